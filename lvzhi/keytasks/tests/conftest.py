from __future__ import annotations

import types

import pytest
from django.db import transaction


@pytest.fixture
def notified(monkeypatch):
    """The engine sends its notifications after commit; a test runs in one transaction that is
    never committed, so here they are sent at once (only the engine's on_commit is replaced)."""
    from lvzhi.cases import engine

    now = types.SimpleNamespace(atomic=transaction.atomic, on_commit=lambda f, *a, **k: f())
    monkeypatch.setattr(engine, "transaction", now)
