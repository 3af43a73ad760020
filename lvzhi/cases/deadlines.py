"""Every deadline in the platform, computed from the congress's RuleSet and calendar.

A Deadline row stores how it was started (kind, start date, extension); `due_on` is derived
here and recomputed whenever the inputs change: an extension, a holiday change (a DayOverride
saved), or a reassignment (the old assignment's clocks are cancelled, the new one's start).

Rule sets and calendars are cached per process (`rules_for`, `calendar_for`): every page and
form reads them, and they change a few times a year. A save or delete of a RuleSet, a
DayOverride or a Congress clears that congress's entry in this process at once; other
processes (gunicorn workers) notice after at most CACHE_SECONDS — a short TTL rather than a
shared version, because the default cache is per process and a version row would cost the very
query the cache saves. Staleness is confined to what pages SHOW (a light's colour, a form's
choices): fire() reads both fresh inside its transaction (`fresh=True`), so no due date is ever
stored from an old rule, and recompute_open_deadlines reads fresh too.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time
from dataclasses import dataclass
from enum import StrEnum

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from lvzhi.cases.clocks import get_clock
from lvzhi.cases.models import Assignment, Case, Deadline, RuleSet
from lvzhi.core.models import Congress, DayOverride
from lvzhi.core.workdays import WorkCalendar, add_months


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    DONE = "done"


LIGHT_LABELS = {Light.GREEN: "正常", Light.YELLOW: "临期", Light.RED: "超期", Light.DONE: "已完成"}


CACHE_SECONDS = 60.0  # how long another process may show an old rule set or calendar
_rules_cache: dict[int, tuple[float, RuleSet | None]] = {}  # None: the congress has no row yet
_cal_cache: dict[int, tuple[float, WorkCalendar]] = {}
_cache_lock = threading.Lock()
_MISS = object()


def _cached(store: dict, congress_id: int):
    hit = store.get(congress_id)
    return hit[1] if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS else _MISS


def _store(store: dict, congress_id: int, value) -> None:
    with _cache_lock:
        store[congress_id] = (time.monotonic(), value)


def forget_rules(congress_id: int | None = None) -> None:
    """Drop this process's cached rule set and calendar of a congress (all with None)."""
    with _cache_lock:
        for store in (_rules_cache, _cal_cache):
            if congress_id is None:
                store.clear()
            else:
                store.pop(congress_id, None)


def _forget_on_change(sender, instance, **kwargs) -> None:
    # A new Congress too: SQLite reuses the ids of rolled-back rows (tests), and a congress
    # created again must not inherit a cached rule set of the one that was rolled back.
    forget_rules(instance.pk if sender is Congress else instance.congress_id)


for _model in (RuleSet, DayOverride, Congress):
    post_save.connect(_forget_on_change, sender=_model, dispatch_uid=f"deadlines-forget-{_model.__name__}")
    post_delete.connect(_forget_on_change, sender=_model, dispatch_uid=f"deadlines-forget-del-{_model.__name__}")


def rules_for(congress: Congress | int, *, fresh: bool = False) -> RuleSet:
    """The congress's rule set (created with the defaults if it has none). A copy: a caller
    that edits it (a settings form) never changes what other requests read. `fresh` reads the
    row (fire() does, inside its transaction) and refreshes the cache."""
    congress_id = congress if isinstance(congress, int) else congress.pk
    rules = None if fresh else _cached(_rules_cache, congress_id)
    if rules is _MISS or rules is None:
        rules, _ = RuleSet.objects.get_or_create(congress_id=congress_id)
        _store(_rules_cache, congress_id, rules)
    return copy.copy(rules)


def existing_rules(congress_id: int) -> RuleSet:
    """The rule set as pages read it: never created (a page writes nothing); the defaults,
    unsaved, for a congress without a row."""
    rules = _cached(_rules_cache, congress_id)
    if rules is _MISS:
        rules = RuleSet.objects.filter(congress_id=congress_id).first()
        _store(_rules_cache, congress_id, rules)
    return copy.copy(rules) if rules is not None else RuleSet(congress_id=congress_id)


def calendar_for(congress_id: int | None, *, fresh: bool = False) -> WorkCalendar:
    """The congress's working-day calendar (national days plus its own DayOverrides), shared
    read-only by every request of the process."""
    if congress_id is None:
        return WorkCalendar()
    cal = _MISS if fresh else _cached(_cal_cache, congress_id)
    if cal is _MISS:
        cal = WorkCalendar.for_congress(congress_id)
        _store(_cal_cache, congress_id, cal)
    return cal


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
    rules = rules_for(congress_id, fresh=True)
    cal = calendar_for(congress_id, fresh=True)
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
    calendar are read once, from the process cache (never created: a list page writes nothing)."""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self._rules: dict[int, RuleSet] = {}
        self._cals: dict[int, WorkCalendar] = {}

    def rules(self, congress_id: int) -> RuleSet:
        if congress_id not in self._rules:
            self._rules[congress_id] = existing_rules(congress_id)
        return self._rules[congress_id]

    def calendar(self, congress_id: int) -> WorkCalendar:
        if congress_id not in self._cals:
            self._cals[congress_id] = calendar_for(congress_id)
        return self._cals[congress_id]

    def of(self, deadline: Deadline, congress_id: int | None = None) -> DeadlineLight:
        cid = congress_id if congress_id is not None else deadline.case.congress_id
        return deadline_light(deadline, self.today, self.rules(cid), self.calendar(cid))
