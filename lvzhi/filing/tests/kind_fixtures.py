"""The filing kind's test fixtures (imported by its test modules, so the other parts keep their own)."""

from __future__ import annotations

import pytest

from lvzhi.filing.testing import FilingWorld, add_filing_world


@pytest.fixture
def fw(world) -> FilingWorld:
    return add_filing_world(world)
