"""Every deadline in the platform, computed from the congress's RuleSet and calendar.

A Deadline row stores how it was started (kind, start date, extension); `due_on` is derived
here and recomputed whenever the inputs change: an extension, a holiday change (a DayOverride
saved), or a reassignment (the old assignment's clocks are cancelled, the new one's start).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from lvzhi.cases.clocks import get_clock
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


@dataclass(frozen=True)
class DeadlineLight:
    """What a light says: its colour, which deadline, and how far ("答复期限 剩12天")."""

    light: Light
    label: str  # the clock's term: 答复期限, 申请调整期限
    days: int | None  # days left (green, yellow) or over (red); None once met or cancelled
    unit_word: str  # 天 or 个工作日
    due_on: dt.date | None
    text: str

    @property
    def colour_label(self) -> str:
        return LIGHT_LABELS[self.light]

    @property
    def overdue(self) -> bool:
        return self.light == Light.RED

    def as_dict(self) -> dict[str, object]:
        return {"light": self.light.value, "light_label": self.colour_label, "label": self.label,
                "days": self.days, "unit": self.unit_word, "text": self.text}


DAY_WORDS = {"workdays": "个工作日", "days": "天"}


def _days(unit: str, start: dt.date, end: dt.date, cal: WorkCalendar) -> int:
    """Days from `start` to `end` (end later) in the window's unit."""
    return cal.workdays_between(start, end) if unit == "workdays" else (end - start).days


def deadline_light(deadline: Deadline, today: dt.date, rules: RuleSet | None = None,
                   cal: WorkCalendar | None = None) -> DeadlineLight:
    """The one answer to "how is this deadline doing": yellow within the clock's own warning
    window (Clock.warning: working days for a working-day clock), counted in that unit.
    Without a calendar the national one is used (a congress's own days off are then ignored)."""
    clock = get_clock(deadline.kind)
    cal = cal or WorkCalendar()
    n, unit = clock.warning(rules)
    word = DAY_WORDS[unit]
    label = clock.term
    due = deadline.due_on
    if not deadline.is_open:
        done = "已取消" if deadline.cancelled else "已完成"
        return DeadlineLight(Light.DONE, label, None, word, due, f"{label} {done}")
    if due < today and not clock.duty:  # a lapsed window, not a late duty
        return DeadlineLight(Light.DONE, label, None, word, due, f"{label} 已截止")
    if due < today:
        # Late from the first day after the due date, even when that day is a day off.
        over = max(1, _days(unit, due, today, cal))
        return DeadlineLight(Light.RED, label, over, word, due, f"{label} 超期{over}{word}")
    left = _days(unit, today, due, cal)
    colour = Light.YELLOW if left <= n else Light.GREEN
    text = f"{label} 今天到期" if due == today else f"{label} 剩{left}{word}"
    return DeadlineLight(colour, label, left, word, due, text)


def light(deadline: Deadline, today: dt.date, rules: RuleSet | int | None = None,
          cal: WorkCalendar | None = None) -> Light:
    """The colour only. `rules` may still be a number of days (the old warn_days argument): it
    then stands for RuleSet.warn_days, the window of month and fixed clocks."""
    if isinstance(rules, int):
        rules = RuleSet(warn_days=rules)
    return deadline_light(deadline, today, rules, cal).light


def in_warning(deadline: Deadline, today: dt.date, rules: RuleSet | None,
               cal: WorkCalendar | None = None) -> bool:
    """Within the clock's warning window and not yet due: when the sweep reminds."""
    return deadline_light(deadline, today, rules, cal).light == Light.YELLOW


class Lights:
    """Lights for many deadlines, perhaps of several congresses: each congress's rules and
    calendar are read once (never created: a list page writes nothing)."""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self._rules: dict[int, RuleSet] = {}
        self._cals: dict[int, WorkCalendar] = {}

    def rules(self, congress_id: int) -> RuleSet:
        if congress_id not in self._rules:
            self._rules[congress_id] = (RuleSet.objects.filter(congress_id=congress_id).first()
                                        or RuleSet(congress_id=congress_id))
        return self._rules[congress_id]

    def calendar(self, congress_id: int) -> WorkCalendar:
        if congress_id not in self._cals:
            self._cals[congress_id] = WorkCalendar.for_congress(congress_id)
        return self._cals[congress_id]

    def of(self, deadline: Deadline, congress_id: int | None = None) -> DeadlineLight:
        cid = congress_id if congress_id is not None else deadline.case.congress_id
        return deadline_light(deadline, self.today, self.rules(cid), self.calendar(cid))
