"""Shared pytest fixtures: a small real congress world (see lvzhi/testing.py)."""

from __future__ import annotations

import pytest

from lvzhi.testing import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()
