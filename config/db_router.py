"""Reads of dashboards, reports and exports go to a read replica when one is configured.

`DATABASE_REPLICA_URL` adds the `replica` alias (config/settings.py) and this router. Only code
that says so reads from it: a view decorated with `@on_replica` (or a block inside
`with on_replica():`). Everything else, every write, every read inside a transaction on the
primary (a transition's locked reads, `select_for_update`) and every migration stays on
`default`. Once a block has written anything, its later reads stay on `default` too (the
after-commit work of a transition, such as the search index, reads what it just wrote). A replica
lags by its replay delay, so only pages that show figures are routed there (docs/deployment.md,
"The read replica").

In tests the alias is a TEST MIRROR of default (a second connection to the same test database,
which cannot see a test's open transaction), so the router keeps reads on default unless a test
asks for the replica with `replica_reads_in_tests()` (lvzhi/core/tests/test_replica.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connections

REPLICA = "replica"
# Who the caller is stays on the primary: right after a login the replica may not hold the new
# session yet, and a lockout or OTP state must never be read stale.
PRIMARY_ONLY_APPS = {"sessions", "axes", "otp_totp", "otp_static", "django_otp"}


class _Block:
    """One on_replica block: has it written to the primary yet?"""

    wrote = False


_wanted: ContextVar[_Block | None] = ContextVar("lvzhi_on_replica", default=None)
_in_tests: ContextVar[bool] = ContextVar("lvzhi_replica_in_tests", default=False)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def _reading_from_replica() -> Iterator[None]:
    token = _wanted.set(_Block())
    try:
        yield
    finally:
        _wanted.reset(token)


def on_replica(view: F | None = None) -> Any:
    """`@on_replica` on a view, or `with on_replica():` around a block of reads."""
    if view is None:
        return _reading_from_replica()

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with _reading_from_replica():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


@contextmanager
def replica_reads_in_tests() -> Iterator[None]:
    """Let a test's `on_replica` reads reach the replica alias (a transactional test only)."""
    token = _in_tests.set(True)
    try:
        yield
    finally:
        _in_tests.reset(token)


def _testing() -> bool:
    # Django's test environment is up (setup_test_environment, run by pytest-django).
    from django.test import utils

    return hasattr(utils._TestState, "saved_data")


def replica_in_use() -> bool:
    """Would a read here go to the replica?"""
    block = _wanted.get()
    if block is None or block.wrote or REPLICA not in connections.settings:
        return False
    if connections["default"].in_atomic_block:
        return False  # a read inside a write's transaction must see that transaction
    return _in_tests.get() or not _testing()


class ReplicaRouter:
    """Installed only with a replica (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        # "default" rather than None: an object read on the replica must not pull its related
        # rows from there after the block (Django would follow the instance's database).
        if model._meta.app_label in PRIMARY_ONLY_APPS or not replica_in_use():
            return "default"
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        block = _wanted.get()
        if block is not None:
            block.wrote = True  # read your own writes from here on
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
