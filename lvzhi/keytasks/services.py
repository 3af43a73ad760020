"""What the key task pages do beyond one transition: start a dispatch (调度) across every task
in progress, and fire one transition for many selected tasks. Every change goes through
lvzhi.cases.engine; nothing here writes a state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from lvzhi.cases.engine import fire, in_transaction
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import NotAllowed, TransitionError
from lvzhi.core.models import User
from lvzhi.keytasks.models import Dispatch
from lvzhi.keytasks.permissions import KIND, may_manage
from lvzhi.keytasks.states import HANDLING


def key_tasks(user: User) -> QuerySet[Case]:
    return visible_cases(user).filter(kind=KIND)


def next_dispatch_seq(congress_id: int, year: int) -> int:
    last = (Dispatch.objects.filter(congress_id=congress_id, year=year).order_by("-seq")
            .values_list("seq", flat=True).first())
    return (last or 0) + 1


def dispatch_title(year: int, seq: int) -> str:
    return f"{year}年第{seq}次调度"


@dataclass
class DispatchResult:
    dispatch: Dispatch
    cases: list[Case] = field(default_factory=list)


def start_dispatch(user: User, due_on: dt.date, note: str = "", *, case_ids: list[int] | None = None,
                   now: dt.datetime | None = None) -> DispatchResult:
    """Start the year's next dispatch and fire `dispatch` on every task in progress (or on the
    selected ones): each lead office gets a 进展报送 clock due on `due_on`. All or nothing."""
    if not may_manage(user):
        raise NotAllowed("只有办公室工作人员可以发起调度")
    now = now or timezone.now()
    year = timezone.localdate(now).year
    tasks = key_tasks(user).filter(state=HANDLING).order_by("id")
    if case_ids is not None:
        tasks = tasks.filter(pk__in=case_ids)
    tasks = list(tasks)
    if not tasks:
        raise TransitionError("没有推进中的重点任务可以调度" if case_ids is None else "请至少选择一项推进中的任务")

    def block() -> DispatchResult:
        # Every task's row first, in id order (the engine's lock order): firing them one by one
        # would lock each case row after the chain head the one before had locked.
        list(Case.objects.select_for_update().filter(pk__in=[c.pk for c in tasks]).order_by("pk")
             .values_list("pk", flat=True))
        seq = next_dispatch_seq(user.congress_id, year)
        dispatch = Dispatch.objects.create(congress_id=user.congress_id, year=year, seq=seq,
                                           title=dispatch_title(year, seq), due_on=due_on, note=note,
                                           started_by=user, started_at=now)
        result = DispatchResult(dispatch)
        for case in tasks:
            try:
                result.cases.append(fire(case, "dispatch", user, {"dispatch": dispatch.pk}, now=now).case)
            except TransitionError as exc:
                raise TransitionError(f"《{case.title}》未能调度：{exc.message}", exc.errors) from exc
        return result

    return in_transaction(block)  # retried whole on a lock race, like fire()


@dataclass
class BatchResult:
    done: list[Case] = field(default_factory=list)
    failed: list[tuple[Case, str]] = field(default_factory=list)


def fire_many(user: User, case_ids: list[int], name: str, data: dict | None = None) -> BatchResult:
    """Fire `name` on each selected task the user can see; each succeeds or fails on its own."""
    result = BatchResult()
    for case in key_tasks(user).filter(pk__in=case_ids).order_by("id"):
        try:
            result.done.append(fire(case, name, user, data or {}).case)
        except TransitionError as exc:
            result.failed.append((case, exc.message))
    return result
