"""Shared pytest fixtures: a small real congress world (see lvzhi/testing.py)."""

from __future__ import annotations

import os
import tempfile

import pytest

from lvzhi.testing import World, build_world

# Playwright's sync API runs an event loop in the live-server tests' thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # PBKDF2 is deliberately slow; tests create dozens of accounts per world.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded attachments go to a throw-away folder, not the checkout's media/.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="lvzhi-media-")


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def browser():
    """Debian's headless Chromium for a browser test (lvzhi.testing_browser.chromium)."""
    from lvzhi.testing_browser import chromium

    with chromium() as b:
        yield b
