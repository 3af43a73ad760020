"""fire() and open(): the one way a case comes to exist and the one way it changes.

permission check → state check → input validation → guard → effect → state change → one
Event, all in one transaction with the case row locked; notifications go out on commit.
`open` is a transition like the others, from the empty state "" (a kind may declare several,
e.g. a deputy's draft and the secretariat's import).
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.deadlines import rules_for
from lvzhi.cases.events import append_event
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, Event
from lvzhi.cases.permissions import may_fire
from lvzhi.cases.workflow import (
    Context,
    InvalidInput,
    NotAllowed,
    Transition,
    TransitionForm,
    WrongState,
)
from lvzhi.core.models import Notification, User
from lvzhi.core.workdays import WorkCalendar

# Set while fire() writes Case.state; Case.save refuses a state change without it.
ENGINE_WRITING: ContextVar[bool] = ContextVar("engine_writing", default=False)


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
               files: Any = None) -> TransitionForm:
    return t.form(as_form_data(data), files, case=case, actor=actor).prepare()


def fire(case: Case | int, name: str, actor: User | None, data: dict[str, Any] | None = None,
         files: Any = None, *, now: dt.datetime | None = None) -> Result:
    case_id = case if isinstance(case, int) else case.pk
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the case row only: a select_related would lock the congress row too (deadlock).
        locked = Case.objects.select_for_update().get(pk=case_id)
        return _run(locked, name, actor, data, files, now)


def open_case(kind: str, name: str, actor: User | None, data: dict[str, Any] | None = None,
              files: Any = None, *, congress_id: int, now: dt.datetime | None = None,
              **fields: Any) -> Result:
    """Create a case by firing one of its kind's opening transitions (sources {""}).
    `fields` preset what the caller knows already (the session a draft belongs to …)."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case(congress_id=congress_id, kind=kind, state="", created_at=now, **fields)
        return _run(case, name, actor, data, files, now)


def _run(case: Case, name: str, actor: User | None, data: Any, files: Any, now: dt.datetime) -> Result:
    t = get_kind(case.kind).workflow.get(name)
    if not may_fire(actor, case, t.actors):
        raise NotAllowed(f"您无权对该{case.kind_label}执行“{t.label}”")
    if case.state not in t.sources:
        if case.pk is None:
            raise WrongState(f"“{t.label}”不能用于新建{case.kind_label}")
        raise WrongState(f"{case.kind_label}当前状态为“{case.state_label}”，不能执行“{t.label}”")
    form = build_form(case, t, actor, data or {}, files)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        first = next(iter(errors.values()))[0]
        raise InvalidInput(f"“{t.label}”填写有误：{first}", errors)
    ctx = Context(case=case, actor=actor, data=form.cleaned_data, now=now,
                  rules=rules_for(case.congress_id),
                  calendar=WorkCalendar.for_congress(case.congress_id))
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
    event = append_event(case, actor, t.name, t.label, from_state=before, to_state=target,
                         payload=ctx.payload, at=now)
    if ctx.notify:
        transaction.on_commit(lambda: _send(ctx.notify, case.pk, now))
    return Result(case, event)


def record(case: Case, name: str, label: str, actor: User | None, payload: dict[str, Any],
           now: dt.datetime | None = None) -> Event:
    """An event that changes no state (e.g. the sweep's became-overdue); caller holds a transaction."""
    return append_event(case, actor, name, label, from_state=case.state, to_state=case.state,
                        payload=payload, at=now or timezone.now())


def _send(items: list[tuple[int, str]], case_id: int, at: dt.datetime) -> None:
    Notification.objects.bulk_create(
        [Notification(user_id=uid, case_id=case_id, text=text[:300], created_at=at) for uid, text in items])


__all__ = ["InvalidInput", "NotAllowed", "Result", "WrongState", "available", "fire", "open_case", "record"]
