"""The daily deadline sweep (cron or the task worker): one-time overdue events, reminders, and
each lapsed window's consequence as its clock declares it (lvzhi.cases.clocks: `on_lapse`).

At a million cases the open clocks number tens of thousands and almost none is due on a given
day, so every step asks the database for what is due only (the due date in WHERE, on the
deadlines' due_on index), never loads a clock to drop it in Python, and batches its writes: one
transaction per case for its overdue clocks, one query for the recipients of every unit, one
insert of every reminder's notifications.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from lvzhi.cases.clocks import Clock, all_clocks, duty_codes, get_clock, reminded_codes
from lvzhi.cases.deadlines import Light, Lights
from lvzhi.cases.engine import Busy, fire, in_transaction, record
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, Deadline
from lvzhi.cases.permissions import relation_users
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.models import Congress, Notification, User
from lvzhi.core.workdays import WorkCalendar

CHUNK = 900  # ids per IN (…): under SQLite's bound-parameter limit


@dataclass
class SweepResult:
    overdue: int = 0
    reminded: int = 0
    closed: int = 0


class _Recipients:
    """Whom a deadline's notice goes to: the assigned unit's active users for a unit clock
    (every unit read in one query, `load`), otherwise whom the clock names."""

    def __init__(self) -> None:
        self.by_unit: dict[int, list[int]] = {}

    def load(self, deadlines: Iterable[Deadline]) -> None:
        self.load_units({d.assignment.unit_id for d in deadlines if d.assignment_id})

    def load_units(self, units: set[int]) -> None:
        units = units - self.by_unit.keys()
        if not units:
            return
        for unit_id in units:
            self.by_unit[unit_id] = []
        for org_id, pk in (User.objects.filter(organization_id__in=units, is_active=True)
                           .order_by("pk").values_list("organization_id", "pk")):
            self.by_unit[org_id].append(pk)

    def of(self, deadline: Deadline, case: Case) -> list[int]:
        if deadline.assignment_id:
            unit_id = deadline.assignment.unit_id
            if unit_id not in self.by_unit:
                self.load([deadline])
            return self.by_unit[unit_id]
        notify = get_clock(deadline.kind).notify
        kind = get_kind(case.kind)
        if notify == "evaluator":
            spec = kind.handling
            return relation_users(case, spec.evaluator if spec else kind.relations.evaluator)
        return relation_users(case, "office")


def _mark_overdue(case_id: int, deadline_ids: list[int], now: dt.datetime,
                  recipients: _Recipients) -> int:
    """Lock the case row, then mark and record each of its late clocks (the engine's lock
    order); returns how many were still unmarked (another sweep may have got there first)."""
    case = Case.objects.select_for_update().get(pk=case_id)
    # Re-read under the case lock (every writer of a clock locks its case first), so two sweeps
    # never emit the same event twice and a clock met meanwhile is left alone.
    late = list(Deadline.objects.filter(pk__in=deadline_ids, overdue_notified=False, met_at__isnull=True,
                                        cancelled=False).select_related("assignment__unit").order_by("pk"))
    if not late:
        return 0
    Deadline.objects.filter(pk__in=[d.pk for d in late]).update(overdue_notified=True)
    notices = []
    for d in late:
        unit = d.assignment.unit.name if d.assignment_id else ""
        record(case, "became_overdue", f"{d.get_kind_display()}超期", None,
               {"deadline_id": d.pk, "kind": d.kind, "due_on": d.due_on.isoformat(),
                "unit": unit}, now)
        text = f"已超期：{case.number or case.title} {d.get_kind_display()}期限{d.due_on:%Y-%m-%d}"
        notices += [Notification(user_id=u, case=case, text=text) for u in recipients.of(d, case)]
    Notification.objects.bulk_create(notices)
    return len(late)


def warning_horizon(clock: Clock, lights: Lights, congress_id: int) -> dt.date:
    """The latest due date whose light is yellow on `lights.today` for this clock and congress:
    the sweep's reminder window as a date range for SQL. It mirrors deadline_light: yellow while
    the days left, counted in the window's unit, are at most the clock's warning."""
    today = lights.today
    n, unit = clock.warning(lights.rules(congress_id))
    if unit != "workdays":
        return today + dt.timedelta(days=n)
    cal: WorkCalendar = lights.calendar(congress_id)
    day, counted = today, 0
    while True:  # the day before the (n+1)-th working day after today
        nxt = day + dt.timedelta(days=1)
        if cal.is_workday(nxt):
            if counted == n:
                return day
            counted += 1
        day = nxt


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def sweep(today: dt.date | None = None) -> SweepResult:
    # `today` is given by tests and back-fills; the events then carry that day's time.
    now = timezone.now() if today is None else timezone.make_aware(dt.datetime.combine(today, dt.time(6)))
    today = today or timezone.localdate()
    result = SweepResult()
    open_clocks = Deadline.objects.filter(met_at__isnull=True, cancelled=False)
    recipients = _Recipients()

    windows = [c for c in all_clocks() if not c.duty]
    # A lapsed window with no consequence is simply over; the others are handled below.
    # Retried like fire(): this many-row update can meet a transition's in a lock race.
    with contextlib.suppress(Busy):  # the next sweep closes them
        in_transaction(lambda: open_clocks.filter(kind__in=[c.code for c in windows if not c.on_lapse],
                                                  due_on__lt=today).update(cancelled=True))

    # Late duties not yet announced, grouped by case: one transaction per case.
    late: dict[int, list[int]] = defaultdict(list)
    units: set[int] = set()
    for pk, case_id, unit_id in (open_clocks.filter(kind__in=duty_codes(), due_on__lt=today,
                                                    overdue_notified=False)
                                 .order_by("case_id", "pk").values_list("pk", "case_id", "assignment__unit_id")):
        late[case_id].append(pk)
        if unit_id:
            units.add(unit_id)
    recipients.load_units(units)
    for case_id, ids in late.items():
        try:
            result.overdue += in_transaction(lambda c=case_id, i=ids: _mark_overdue(c, i, now, recipients))
        except Busy:  # still open: the next sweep emits them
            continue

    # Reminded once its light turns yellow: the clock's own window (Clock.warning), counted in
    # working days for a working-day clock, as every page shows it. Only clocks due within their
    # window are read: one date range per congress and clock.
    lights = Lights(today)
    window, latest = Q(), today
    for congress_id in Congress.objects.order_by("pk").values_list("pk", flat=True):
        for code in reminded_codes():
            horizon = warning_horizon(get_clock(code), lights, congress_id)
            window |= Q(case__congress_id=congress_id, kind=code, due_on__lte=horizon)
            latest = max(latest, horizon)
    # The overall range first (due_on BETWEEN today AND the latest horizon): the open clocks'
    # due-date index finds the few rows; the per-congress, per-clock windows then filter them.
    due_soon = list(open_clocks.filter(window, due_on__gte=today, due_on__lte=latest, reminded=False)
                    .select_related("case", "assignment__unit").order_by("pk")) if window else []
    due_soon = [d for d in due_soon if lights.of(d, d.case.congress_id).light == Light.YELLOW]
    recipients.load(due_soon)
    notices = []
    for d in due_soon:
        text = f"临期提醒：{d.case.number or d.case.title} {d.get_kind_display()}期限{d.due_on:%Y-%m-%d}"
        notices += [Notification(user_id=u, case=d.case, text=text) for u in recipients.of(d, d.case)]
    Notification.objects.bulk_create(notices, batch_size=2000)
    for ids in _chunks([d.pk for d in due_soon]):
        Deadline.objects.filter(pk__in=ids).update(reminded=True)
    result.reminded = len(due_soon)

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

