"""Every deadline in the platform, computed from the congress's RuleSet and calendar.

A Deadline row stores how it was started (kind, start date, extension); `due_on` is derived
here and recomputed whenever the inputs change: an extension, a holiday change (a DayOverride
saved), or a reassignment (the old assignment's clocks are cancelled, the new one's start).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import timezone

from lvzhi.cases.clocks import duty_codes, get_clock
from lvzhi.cases.models import Assignment, Case, Deadline, RuleSet
from lvzhi.core.models import Congress
from lvzhi.core.workdays import WorkCalendar, add_months


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    DONE = "done"


LIGHT_LABELS = {Light.GREEN: "正常", Light.YELLOW: "临期", Light.RED: "超期", Light.DONE: "已完成"}


def rules_for(congress: Congress | int) -> RuleSet:
    congress_id = congress if isinstance(congress, int) else congress.pk
    rules, _ = RuleSet.objects.get_or_create(congress_id=congress_id)
    return rules


def roll_to_workday(day: dt.date, cal: WorkCalendar) -> dt.date:
    """A period whose last day is a day off ends on the next working day (民法典第二百零三条)."""
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def compute_due(kind: str, start_on: dt.date, rules: RuleSet, cal: WorkCalendar, *,
                extension_months: int = 0, fixed_due_on: dt.date | None = None) -> dt.date:
    """The due date of a clock of `kind` started on `start_on` (lvzhi.cases.clocks)."""
    if fixed_due_on is not None:
        return fixed_due_on
    clock = get_clock(kind)
    n = clock.length(rules)
    match clock.unit:
        case "months":
            return roll_to_workday(add_months(start_on, n + extension_months), cal)
        case "workdays":
            return cal.add_workdays(start_on, n)
        case "days":
            return roll_to_workday(start_on + dt.timedelta(days=n), cal)
    raise ValueError(f"期限类型 {kind} 需要指定到期日")


UNIT_WORDS = {"months": "个月", "workdays": "个工作日", "days": "天"}


def describe(kind: str, rules: RuleSet) -> str:
    """How long a clock runs under these rules, as the pages say it: 3个月, 5个工作日."""
    clock = get_clock(kind)
    return f"{clock.length(rules)}{UNIT_WORDS.get(clock.unit, '')}" if clock.unit in UNIT_WORDS else "指定日期"


def max_due(kind: str, start_on: dt.date, months: int, cal: WorkCalendar) -> dt.date:
    """The latest a months clock may run to after extensions (e.g. 6 months for a reply)."""
    return roll_to_workday(add_months(start_on, months), cal)


def start_clock(case: Case, kind: str, start_on: dt.date, rules: RuleSet, cal: WorkCalendar, *,
                assignment: Assignment | None = None,
                fixed_due_on: dt.date | None = None) -> Deadline:
    due = compute_due(kind, start_on, rules, cal, fixed_due_on=fixed_due_on)
    return Deadline.objects.create(case=case, assignment=assignment, kind=kind,
                                   start_on=start_on, fixed_due_on=fixed_due_on, due_on=due)


def open_clocks(case: Case, kinds: list[str] | None = None,
                assignment: Assignment | None = None):
    qs = Deadline.objects.filter(case=case, met_at__isnull=True, cancelled=False)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    return qs


def meet_clocks(case: Case, kinds: list[str], at: dt.datetime, *,
                assignment: Assignment | None = None) -> int:
    return open_clocks(case, kinds, assignment).update(met_at=at)


def cancel_clocks(case: Case, kinds: list[str] | None = None, *,
                  assignment: Assignment | None = None) -> int:
    return open_clocks(case, kinds, assignment).update(cancelled=True)


def extend_clock(deadline: Deadline, months: int, rules: RuleSet, cal: WorkCalendar) -> dt.date:
    """Extend a months clock; the caller has checked the limit (e.g. reply_max_months)."""
    deadline.extension_months += months
    deadline.due_on = compute_due(deadline.kind, deadline.start_on, rules, cal,
                                  extension_months=deadline.extension_months)
    deadline.overdue_notified = False
    deadline.reminded = False
    deadline.save(update_fields=["extension_months", "due_on", "overdue_notified", "reminded"])
    return deadline.due_on


def recompute_open_deadlines(congress_id: int) -> int:
    """After a calendar or rule change: recompute every open clock; returns how many moved."""
    rules = rules_for(congress_id)
    cal = WorkCalendar.for_congress(congress_id)
    moved = 0
    for d in Deadline.objects.filter(case__congress_id=congress_id, met_at__isnull=True,
                                     cancelled=False):
        due = compute_due(d.kind, d.start_on, rules, cal, extension_months=d.extension_months,
                          fixed_due_on=d.fixed_due_on)
        if due != d.due_on:
            d.due_on = due
            d.overdue_notified = d.overdue_notified and due < timezone.localdate()
            d.save(update_fields=["due_on", "overdue_notified"])
            moved += 1
    return moved


def light(deadline: Deadline, today: dt.date, warn_days: int) -> Light:
    if not deadline.is_open:
        return Light.DONE
    if deadline.kind not in duty_codes() and deadline.due_on < today:
        return Light.DONE  # a lapsed window, not a late duty
    if deadline.due_on < today:
        return Light.RED
    if (deadline.due_on - today).days <= warn_days:
        return Light.YELLOW
    return Light.GREEN
