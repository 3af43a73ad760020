"""fire() and open(): the one way a case comes to exist and the one way it changes.

permission check → state check → input validation → guard → effect → state change → one
Event, all in one transaction with the case row locked — the notifications too, so a transition
is ONE commit (a rolled-back attempt takes its notifications with it; none is sent twice).
The case row is read once per transition: the locked row is the one the effect changes and the
caller gets back (`Result.case`); the rule set and calendar are read fresh inside the lock.
`open` is a transition like the others, from the empty state "" (a kind may declare several,
e.g. a deputy's draft and the secretariat's import).

Lock order
----------
Every transaction that writes cases takes its row locks in this one order, never backwards:

1. **the case row(s)** — `Case.objects.select_for_update().get(pk=…)` with no join (a
   select_related would lock the congress row too, which every new case's foreign key needs:
   deadlock); an opening's row is its own insert. A transition that creates a second case
   (转为建议) inserts it after locking its own. A transaction that fires on several existing
   cases locks all their rows first, in id order (key tasks' `start_dispatch`): firing them one
   after the other would lock a case row after the chain head.
2. **the number counters** — `CaseNumberCounter` rows, only inside an effect
   (`cases.numbers.next_number`, key tasks' `next_number`).
3. **the chain head** — the congress's `ChainHead`, locked by `append_event` /
   `append_subject_event` as the transaction's last lock, held until commit.

Everything else a transition writes (co-signs, deadlines, assignments, notifications) belongs to
the locked case or is a new row. Nothing locks the chain head before a case row or a counter:
`record()` (the sweep's became-overdue) runs after its caller locked the case; an import batch
(`suggestions.importing`) holds the chain head from its first row to its commit but after it
only inserts new rows (an opening takes no counter, locks no existing case).

Retry
-----
A lock race the database resolves by killing one side — PostgreSQL's deadlock detected (40P01)
or serialization failure (40001), SQLite's "database is locked" after its busy timeout — rolls
the whole transaction back. `in_transaction` runs the block again, at most ATTEMPTS times in
all with a short jittered pause, then refuses with `Busy` (503, "系统繁忙，请稍后重试；您的操作
未生效"). fire() and open_case() go through it; so do the sweep and the import's batches. A
block nested in a caller's transaction is not retried on its own: the outermost one is. The
on_commit callbacks (notifications) of a rolled-back attempt are discarded with it, so they go
out once, after the attempt that committed (notifications are rows written inside the block,
so they simply roll back with it); an error raised by a callback after the commit is never
retried (the block is not run twice).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from lvzhi.cases.deadlines import calendar_for, rules_for
from lvzhi.cases.events import append_event
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, Event
from lvzhi.cases.permissions import may_fire
from lvzhi.cases.workflow import (
    Context,
    InvalidInput,
    NotAllowed,
    Transition,
    TransitionError,
    TransitionForm,
    WrongState,
)
from lvzhi.core.models import Notification, User
from lvzhi.core.validation import summary

log = logging.getLogger(__name__)
T = TypeVar("T")

# Set while fire() writes Case.state; Case.save refuses a state change without it.
ENGINE_WRITING: ContextVar[bool] = ContextVar("engine_writing", default=False)

ATTEMPTS = 3  # tries in all, the first included
BACKOFF_SECONDS = 0.05  # before the 2nd try ×(0.5–1.5), doubled before the 3rd
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
SQLITE_LOCKED = ("database is locked", "database table is locked")
BUSY_MESSAGE = "系统繁忙，请稍后重试；您的操作未生效"


class Busy(TransitionError):
    """The transaction kept losing lock races and was rolled back each time; nothing changed."""

    status = 503

    def __init__(self, message: str = BUSY_MESSAGE, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message, errors)


@dataclass
class RetryCounts:
    retried: int = 0  # attempts rolled back by a lock race and run again
    refused: int = 0  # blocks given up after ATTEMPTS tries (answered with Busy)


_counts = RetryCounts()
_counts_lock = threading.Lock()


def retry_counts() -> RetryCounts:
    """A snapshot of this process's retry counters (tests and the load check read deltas)."""
    with _counts_lock:
        return RetryCounts(_counts.retried, _counts.refused)


def _note(field: str) -> None:
    with _counts_lock:
        setattr(_counts, field, getattr(_counts, field) + 1)


def is_transient(exc: BaseException) -> bool:
    """A deadlock, a serialization failure or SQLite's busy lock, raised by the driver or
    wrapped by Django (the driver's error is then the __cause__)."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        if isinstance(e, TransitionError):
            return False  # a refusal is an answer, never a race to retry
        seen.add(id(e))
        sqlstate = (getattr(e, "sqlstate", None) or getattr(getattr(e, "diag", None), "sqlstate", None)
                    or getattr(e, "pgcode", None))
        if sqlstate in TRANSIENT_SQLSTATES:
            return True
        if isinstance(e, OperationalError | sqlite3.OperationalError) and any(
                m in str(e) for m in SQLITE_LOCKED):
            return True
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
    return False


def in_transaction(block: Callable[[], T]) -> T:
    """Run `block` in transaction.atomic(); on a lock race roll back and run it again (see the
    module's "Retry"); after ATTEMPTS tries raise Busy. Inside a caller's transaction it is a
    plain savepoint: the caller's outermost block is the one that can be retried."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return block()
    for attempt in range(1, ATTEMPTS + 1):
        committed: list[bool] = []
        try:
            with transaction.atomic():
                # The first on_commit callback: an error from a later one (raised after the
                # commit) must not run the committed block a second time.
                transaction.on_commit(lambda done=committed: done.append(True))
                return block()
        except Exception as exc:
            if committed or not is_transient(exc):
                raise
            if attempt == ATTEMPTS:
                _note("refused")
                log.warning("transaction refused after %d attempts: %s", attempt, exc)
                raise Busy() from exc
            _note("retried")
            log.info("transaction retried (attempt %d): %s", attempt, exc)
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


@dataclass
class Result:
    case: Case
    event: Event


def available(case: Case, user: User | None) -> list[Transition]:
    """Transitions this user could fire now (guards are checked only on firing)."""
    workflow = get_kind(case.kind).workflow
    return [t for t in workflow.from_state(case.state) if may_fire(user, case, t.actors)]


def as_form_data(data: Any) -> Any:
    """Form fields parse text: a JSON payload's numbers and booleans become their text
    (so 5 for a date is a Chinese validation error, not a crash); a QueryDict passes as is."""
    if data is None or hasattr(data, "getlist"):
        return data
    def text(v: Any) -> Any:
        return v if v is None or isinstance(v, str) else str(v)
    return {k: [text(x) for x in v] if isinstance(v, list | tuple) else text(v) for k, v in data.items()}


def build_form(case: Case, t: Transition, actor: User | None, data: Any = None,
               files: Any = None, now: dt.datetime | None = None) -> TransitionForm:
    return t.form(as_form_data(data), files, case=case, actor=actor, now=now).prepare()


def fire(case: Case | int, name: str, actor: User | None, data: dict[str, Any] | None = None,
         files: Any = None, *, now: dt.datetime | None = None) -> Result:
    case_id = case if isinstance(case, int) else case.pk

    def attempt() -> Result:
        # Lock the case row only: a select_related would lock the congress row too (deadlock).
        locked = Case.objects.select_for_update().get(pk=case_id)
        return _run(locked, name, actor, data, files, now or timezone.now())

    return in_transaction(attempt)


def open_case(kind: str, name: str, actor: User | None, data: dict[str, Any] | None = None,
              files: Any = None, *, congress_id: int, now: dt.datetime | None = None,
              **fields: Any) -> Result:
    """Create a case by firing one of its kind's opening transitions (sources {""}).
    `fields` preset what the caller knows already (the session a draft belongs to …)."""

    def attempt() -> Result:
        at = now or timezone.now()
        case = Case(congress_id=congress_id, kind=kind, state="", created_at=at, **fields)
        return _run(case, name, actor, data, files, at)

    return in_transaction(attempt)


def _run(case: Case, name: str, actor: User | None, data: Any, files: Any, now: dt.datetime) -> Result:
    t = get_kind(case.kind).workflow.get(name)
    if not may_fire(actor, case, t.actors):
        raise NotAllowed(f"您无权对该{case.kind_label}执行“{t.label}”")
    if case.state not in t.sources:
        if case.pk is None:
            raise WrongState(f"“{t.label}”不能用于新建{case.kind_label}")
        raise WrongState(f"{case.kind_label}当前状态为“{case.state_label}”，不能执行“{t.label}”")
    form = build_form(case, t, actor, data or {}, files, now)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        raise InvalidInput(summary(errors, f"“{t.label}”填写有误"), errors)  # every error, not the first
    # Fresh, not the process cache: a due date stored now must follow the rules as committed.
    ctx = Context(case=case, actor=actor, data=form.cleaned_data, now=now,
                  rules=rules_for(case.congress_id, fresh=True),
                  calendar=calendar_for(case.congress_id, fresh=True))
    if t.guard:
        t.guard(ctx)
    before = case.state
    token = ENGINE_WRITING.set(True)
    try:
        if case.pk is None:  # an opening transition: the row exists before its effect adds to it
            case.state = t.target or ""
            case.save()
        target = (t.effect(ctx) if t.effect else None) or t.target or before
        case.state = target
        case.save()
    finally:
        ENGINE_WRITING.reset(token)
    if ctx.notify:  # in the transaction (one commit), before the chain head's lock is taken
        _send(ctx.notify, case.pk, now)
    event = append_event(case, actor, t.name, t.label, from_state=before, to_state=target,
                         payload=ctx.payload, at=now)
    return Result(case, event)


def record(case: Case, name: str, label: str, actor: User | None, payload: dict[str, Any],
           now: dt.datetime | None = None) -> Event:
    """An event that changes no state (e.g. the sweep's became-overdue); the caller holds a
    transaction and has locked the case row first (the lock order above)."""
    return append_event(case, actor, name, label, from_state=case.state, to_state=case.state,
                        payload=payload, at=now or timezone.now())


def _send(items: list[tuple[int, str]], case_id: int, at: dt.datetime) -> None:
    Notification.objects.bulk_create(
        [Notification(user_id=uid, case_id=case_id, text=text[:300], created_at=at) for uid, text in items])


__all__ = ["Busy", "InvalidInput", "NotAllowed", "Result", "WrongState", "available", "fire", "in_transaction",
           "open_case", "record", "retry_counts"]
