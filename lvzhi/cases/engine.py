"""fire(): the one function that changes a case.

permission check → state check → input validation → guard → effect → state change → one
Event, all in one transaction with the case row locked; notifications go out on commit.
"""

from __future__ import annotations

import datetime as dt
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
        locked = (Case.objects.select_for_update().select_related("congress")
                  .get(pk=case_id))
        t = get_kind(locked.kind).workflow.get(name)
        if not may_fire(actor, locked, t.actors):
            raise NotAllowed(f"您无权对该案件执行“{t.label}”")
        if locked.state not in t.sources:
            raise WrongState(f"案件当前状态为“{locked.get_state_display()}”，不能执行“{t.label}”")
        form = build_form(locked, t, actor, data or {}, files)
        if not form.is_valid():
            errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
            first = next(iter(errors.values()))[0]
            raise InvalidInput(f"“{t.label}”填写有误：{first}", errors)
        ctx = Context(case=locked, actor=actor, data=form.cleaned_data, now=now,
                      rules=rules_for(locked.congress_id),
                      calendar=WorkCalendar.for_congress(locked.congress_id))
        if t.guard:
            t.guard(ctx)
        before = locked.state
        target = (t.effect(ctx) if t.effect else None) or t.target or before
        locked.state = target
        locked.save()
        event = append_event(locked, actor, t.name, t.label, from_state=before, to_state=target,
                             payload=ctx.payload, at=now)
        if ctx.notify:
            transaction.on_commit(lambda: _send(ctx.notify, locked.pk, now))
    return Result(locked, event)


def record(case: Case, name: str, label: str, actor: User | None, payload: dict[str, Any],
           now: dt.datetime | None = None) -> Event:
    """An event that changes no state (e.g. the sweep's became-overdue); caller holds a transaction."""
    return append_event(case, actor, name, label, from_state=case.state, to_state=case.state,
                        payload=payload, at=now or timezone.now())


def _send(items: list[tuple[int, str]], case_id: int, at: dt.datetime) -> None:
    Notification.objects.bulk_create(
        [Notification(user_id=uid, case_id=case_id, text=text[:300], created_at=at) for uid, text in items])


__all__ = ["InvalidInput", "NotAllowed", "Result", "WrongState", "available", "fire", "record"]
