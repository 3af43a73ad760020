"""The daily deadline sweep (cron or the task worker): one-time overdue events, reminders, and
each lapsed window's consequence as its clock declares it (lvzhi.cases.clocks: `on_lapse`)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from lvzhi.cases.clocks import all_clocks, duty_codes, get_clock, reminded_codes
from lvzhi.cases.deadlines import Light, Lights
from lvzhi.cases.engine import Busy, fire, in_transaction, record
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, Deadline
from lvzhi.cases.permissions import relation_users
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.models import Notification, User


@dataclass
class SweepResult:
    overdue: int = 0
    reminded: int = 0
    closed: int = 0


def _recipients(deadline: Deadline) -> list[int]:
    """The assigned organisation's users for a unit clock; otherwise whom the clock names."""
    if deadline.assignment_id:
        return list(User.objects.filter(organization_id=deadline.assignment.unit_id, is_active=True)
                    .values_list("pk", flat=True))
    notify = get_clock(deadline.kind).notify
    kind = get_kind(deadline.case.kind)
    if notify == "evaluator":
        spec = kind.handling
        return relation_users(deadline.case, spec.evaluator if spec else kind.relations.evaluator)
    return relation_users(deadline.case, "office")


def _mark_overdue(d: Deadline, now: dt.datetime) -> bool:
    """Lock the case row, then mark and record (the engine's lock order); False if another
    sweep got there first."""
    case = Case.objects.select_for_update().get(pk=d.case_id)
    # Re-read under the lock so two sweeps never emit the event twice.
    if not Deadline.objects.filter(pk=d.pk, overdue_notified=False, met_at__isnull=True,
                                   cancelled=False).update(overdue_notified=True):
        return False
    unit = d.assignment.unit.name if d.assignment_id else ""
    record(case, "became_overdue", f"{d.get_kind_display()}超期", None,
           {"deadline_id": d.pk, "kind": d.kind, "due_on": d.due_on.isoformat(),
            "unit": unit}, now)
    text = f"已超期：{case.number or case.title} {d.get_kind_display()}期限{d.due_on:%Y-%m-%d}"
    Notification.objects.bulk_create([Notification(user_id=u, case=case, text=text)
                                      for u in _recipients(d)])
    return True


def sweep(today: dt.date | None = None) -> SweepResult:
    # `today` is given by tests and back-fills; the events then carry that day's time.
    now = timezone.now() if today is None else timezone.make_aware(dt.datetime.combine(today, dt.time(6)))
    today = today or timezone.localdate()
    result = SweepResult()
    open_clocks = Deadline.objects.filter(met_at__isnull=True, cancelled=False)

    windows = [c for c in all_clocks() if not c.duty]
    # A lapsed window with no consequence is simply over; the others are handled below.
    # Retried like fire(): this many-row update can meet a transition's in a lock race.
    with contextlib.suppress(Busy):  # the next sweep closes them
        in_transaction(lambda: open_clocks.filter(kind__in=[c.code for c in windows if not c.on_lapse],
                                                  due_on__lt=today).update(cancelled=True))
    duties = open_clocks.filter(kind__in=duty_codes())
    for d in duties.filter(due_on__lt=today, overdue_notified=False).select_related(
            "case", "assignment__unit"):
        try:
            if in_transaction(lambda d=d: _mark_overdue(d, now)):
                result.overdue += 1
        except Busy:  # still open: the next sweep emits it
            continue

    # Reminded once its light turns yellow: the clock's own window (Clock.warning), counted in
    # working days for a working-day clock, as every page shows it.
    lights = Lights(today)
    for d in open_clocks.filter(due_on__gte=today, reminded=False, kind__in=reminded_codes()).select_related(
            "case", "assignment__unit"):
        if lights.of(d, d.case.congress_id).light != Light.YELLOW:
            continue
        text = f"临期提醒：{d.case.number or d.case.title} {d.get_kind_display()}期限{d.due_on:%Y-%m-%d}"
        Notification.objects.bulk_create([Notification(user_id=u, case=d.case, text=text)
                                          for u in _recipients(d)])
        Deadline.objects.filter(pk=d.pk).update(reminded=True)
        result.reminded += 1

    # A window whose lapse has a consequence: the system fires the transition the clock names,
    # on every case whose kind offers it from the case's current state.
    for clock in windows:
        if not clock.on_lapse:
            continue
        lapsed = Case.objects.filter(deadlines__kind=clock.code, deadlines__met_at__isnull=True,
                                     deadlines__cancelled=False, deadlines__due_on__lt=today).distinct()
        for case in lapsed:
            t = get_kind(case.kind).workflow.transitions.get(clock.on_lapse)
            if t is None or case.state not in t.sources:
                continue
            try:
                fire(case, clock.on_lapse, None, now=now)
                result.closed += 1
            except TransitionError:  # already handled by a concurrent sweep or the evaluator
                continue
    return result
