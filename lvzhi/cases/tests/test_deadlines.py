"""Deadlines on the official calendar: working-day windows across 调休, month arithmetic,
roll-over onto the next working day, extensions, DayOverride recompute and the traffic light.

Dates below are checked by hand against the State Council's 2026 holiday notice:
National Day + Mid-Autumn: 1–7 October off, Sunday 20 September and Saturday 10 October worked;
Spring Festival 2026: Saturday 14 and Saturday 28 February worked.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.cases.deadlines import (
    Light,
    compute_due,
    deadline_light,
    light,
    max_due,
    recompute_open_deadlines,
    roll_to_workday,
    rules_for,
    start_clock,
)
from lvzhi.cases.engine import fire
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Deadline, RuleSet
from lvzhi.cases.tests.strategies import advance, build_cast, new_case
from lvzhi.core.models import Congress, DayOverride
from lvzhi.core.workdays import WorkCalendar, add_months

D = dt.date
K = DeadlineKind
CAL = WorkCalendar()
RULES = RuleSet()  # unsaved: the statutory defaults (3/6 months, 5 and 15 working days …)


# ------------------------------------------------------------------ pure calendar arithmetic

def test_reassign_window_spans_national_day():
    # 30 Sep + 5 working days: 8, 9, 10 (Saturday, worked), 12, 13 October.
    assert compute_due(K.REASSIGN_WINDOW, D(2026, 9, 30), RULES, CAL) == D(2026, 10, 13)


def test_swapped_sunday_counts_as_a_working_day():
    # 18 Sep (Fri) + 1 working day is Sunday the 20th, a 调休 working day, not Monday.
    assert CAL.add_workdays(D(2026, 9, 18), 1) == D(2026, 9, 20)
    # …and the Mid-Autumn Friday 25 Sep is skipped: 24 Sep + 1 → 28 Sep.
    assert CAL.add_workdays(D(2026, 9, 24), 1) == D(2026, 9, 28)


def test_evaluation_window_counts_working_days_only():
    # 15 working days from 24 Sep: 28,29,30 Sep; 8,9,10,12..16 Oct; 19..22 Oct → 22 Oct.
    assert compute_due(K.EVALUATION, D(2026, 9, 24), RULES, CAL) == D(2026, 10, 22)
    assert CAL.workdays_between(D(2026, 9, 24), D(2026, 10, 22)) == 15


def test_interim_assign_window():
    assert compute_due(K.INTERIM_ASSIGN, D(2026, 9, 29), RULES, CAL) == D(2026, 10, 12)


@pytest.mark.parametrize("start, months, expected", [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),   # leap year
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 12, 15), 1, D(2027, 1, 15)),  # across the year end
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_month_deadline_ending_on_holiday_rolls_to_next_working_day():
    # 1 Jul + 3 months = 1 Oct, a holiday → 8 Oct.
    assert compute_due(K.REPLY, D(2026, 7, 1), RULES, CAL) == D(2026, 10, 8)
    # 4 Jul + 3 months = Sunday 4 Oct, inside the holiday → 8 Oct.
    assert compute_due(K.REPLY, D(2026, 7, 4), RULES, CAL) == D(2026, 10, 8)
    # A co-opinion month ending on an ordinary Saturday rolls to Monday.
    assert compute_due(K.CO_OPINION, D(2026, 5, 16), RULES, CAL) == D(2026, 6, 16)
    assert compute_due(K.CO_OPINION, D(2026, 5, 13), RULES, CAL) == D(2026, 6, 15)


def test_month_deadline_on_a_swapped_saturday_does_not_roll():
    # 28 Nov 2025 + 3 months = Saturday 28 Feb 2026, a 调休 working day: due that day.
    assert compute_due(K.REPLY, D(2025, 11, 28), RULES, CAL) == D(2026, 2, 28)
    assert roll_to_workday(D(2026, 10, 10), CAL) == D(2026, 10, 10)


def test_extension_recompute_and_six_month_cap():
    start = D(2026, 4, 1)
    base = compute_due(K.REPLY, start, RULES, CAL)
    extended = compute_due(K.REPLY, start, RULES, CAL, extension_months=3)
    assert base == D(2026, 7, 1)
    assert extended == D(2026, 10, 8)  # 1 Oct is a holiday
    assert extended == max_due("reply", start, RULES.reply_max_months, CAL)
    assert compute_due(K.REHANDLE, start, RULES, CAL, extension_months=1) == D(2026, 6, 1)


def test_fixed_due_date_is_kept_as_given():
    fixed = D(2026, 10, 3)  # a holiday, but a promised date is what the reply wrote
    assert compute_due(K.COMMITMENT, D(2026, 1, 5), RULES, CAL, fixed_due_on=fixed) == fixed
    with pytest.raises(ValueError):
        compute_due(K.COMMITMENT, D(2026, 1, 5), RULES, CAL)


def test_day_override_beats_the_national_calendar():
    cal = WorkCalendar({D(2026, 10, 13): False, D(2026, 10, 11): True})
    # 30 Sep + 5: 8, 9, 10, 11 (local override), 12 → 12 Oct.
    assert compute_due(K.REASSIGN_WINDOW, D(2026, 9, 30), RULES, cal) == D(2026, 10, 12)
    assert roll_to_workday(D(2026, 10, 13), cal) == D(2026, 10, 14)


# ------------------------------------------------------------------------ with the database

@pytest.mark.django_db
def test_day_override_moves_open_clocks_and_leaves_met_ones_alone():
    cast = build_cast()
    congress = cast.world.congress
    case = new_case(cast)
    rules, cal = rules_for(congress), WorkCalendar.for_congress(congress.pk)
    open_window = start_clock(case, K.REASSIGN_WINDOW, D(2026, 9, 30), rules, cal)
    met_window = start_clock(case, K.REASSIGN_WINDOW, D(2026, 9, 30), rules, cal)
    met_window.met_at = timezone.now()
    met_window.save()
    cancelled = start_clock(case, K.REASSIGN_WINDOW, D(2026, 9, 30), rules, cal)
    cancelled.cancelled = True
    cancelled.save()
    reply = start_clock(case, K.REPLY, D(2026, 7, 13), rules, cal)  # 13 Oct, a Tuesday
    assert open_window.due_on == reply.due_on == D(2026, 10, 13)

    # The city gives 12 October off (a local holiday): both open clocks move one day on.
    DayOverride.objects.create(congress=congress, day=D(2026, 10, 12), is_workday=False)
    DayOverride.objects.create(congress=congress, day=D(2026, 10, 13), is_workday=False)
    assert recompute_open_deadlines(congress.pk) == 2
    assert Deadline.objects.get(pk=open_window.pk).due_on == D(2026, 10, 15)
    assert Deadline.objects.get(pk=reply.pk).due_on == D(2026, 10, 14)
    assert Deadline.objects.get(pk=met_window.pk).due_on == D(2026, 10, 13)
    assert Deadline.objects.get(pk=cancelled.pk).due_on == D(2026, 10, 13)
    assert recompute_open_deadlines(congress.pk) == 0  # idempotent


@pytest.mark.django_db
def test_rule_change_recomputes_the_open_reply_clock():
    cast = build_cast()
    case = advance(cast, new_case(cast), "handling")
    clock = case.deadlines.get(kind=K.REPLY, met_at=None, cancelled=False)
    rules = rules_for(cast.world.congress)
    rules.reply_months = 2
    rules.save()
    assert recompute_open_deadlines(cast.world.congress.pk) >= 1
    clock.refresh_from_db()
    assert clock.due_on == roll_to_workday(add_months(clock.start_on, 2), CAL)


@pytest.mark.django_db
def test_extension_through_fire_recomputes_from_the_start_date():
    cast = build_cast()
    case = advance(cast, new_case(cast), "handling")
    lead = case.assignments.get(unit=cast.world.units[0])
    clock = case.deadlines.get(kind=K.REPLY, assignment=lead)
    fire(case, "extend", cast["clerk"], {"assignment": lead.pk, "months": 2, "reason": "涉及多个部门"})
    clock.refresh_from_db()
    rules, cal = rules_for(cast.world.congress), WorkCalendar.for_congress(cast.world.congress.pk)
    assert clock.extension_months == 2
    assert clock.due_on == compute_due(K.REPLY, clock.start_on, rules, cal, extension_months=2)
    fire(case, "extend", cast["clerk"], {"assignment": lead.pk, "months": 1, "reason": "涉及多个部门"})
    clock.refresh_from_db()
    assert clock.due_on == max_due("reply", clock.start_on, rules.reply_max_months, cal)


@pytest.mark.django_db
def test_closed_case_keeps_no_running_co_opinion_clock():
    """A co-unit that never sent its opinion must not leave a clock running (and turning red)
    on a finished case: only promises are still followed."""
    cast = build_cast()
    case = advance(cast, new_case(cast), "closed")
    running = case.deadlines.filter(met_at=None, cancelled=False).exclude(kind=K.COMMITMENT)
    assert list(running.values_list("kind", flat=True)) == []


# ------------------------------------------------------------------------------ the light

@pytest.mark.parametrize("due, met, cancelled, expected", [
    (D(2026, 10, 30), False, False, Light.GREEN),
    (D(2026, 10, 17), False, False, Light.GREEN),   # 16 days left, warn at 15
    (D(2026, 10, 16), False, False, Light.YELLOW),  # exactly warn_days left
    (D(2026, 10, 1), False, False, Light.YELLOW),   # due today: not yet late
    (D(2026, 9, 30), False, False, Light.RED),
    (D(2026, 9, 1), True, False, Light.DONE),       # met, even though the date passed
    (D(2026, 9, 1), False, True, Light.DONE),       # cancelled
])
def test_light(due, met, cancelled, expected):
    d = Deadline(kind=K.REPLY, start_on=D(2026, 7, 1), due_on=due, cancelled=cancelled,
                 met_at=timezone.now() if met else None)
    assert light(d, D(2026, 10, 1), 15) == expected


# ------------------------------------------------------- each clock's window, what a light says
# Week of 2–6 and 9–13 November 2026: plain working weeks (no holiday, no 调休).

def _clock(kind: str, due: dt.date, **kw) -> Deadline:
    return Deadline(kind=kind, start_on=D(2026, 11, 4), due_on=due, **kw)


@pytest.mark.parametrize("today, colour, text", [
    # 5 working days from Wed 4 Nov → Wed 11 Nov. Day one is green (15 calendar days made it
    # yellow from its first day), yellow with 2 working days left, counted over the weekend.
    (D(2026, 11, 4), Light.GREEN, "交办期限 剩5个工作日"),
    (D(2026, 11, 6), Light.GREEN, "交办期限 剩3个工作日"),
    (D(2026, 11, 7), Light.GREEN, "交办期限 剩3个工作日"),  # Saturday: still 9, 10, 11 to go
    (D(2026, 11, 9), Light.YELLOW, "交办期限 剩2个工作日"),
    (D(2026, 11, 11), Light.YELLOW, "交办期限 今天到期"),
    (D(2026, 11, 12), Light.RED, "交办期限 超期1个工作日"),
    (D(2026, 11, 14), Light.RED, "交办期限 超期2个工作日"),  # Saturday after Thu, Fri
])
def test_working_day_clock_warns_in_working_days(today, colour, text):
    s = deadline_light(_clock(K.INTERIM_ASSIGN, D(2026, 11, 11)), today, RULES, CAL)
    assert (s.light, s.text) == (colour, text)
    assert s.unit_word == "个工作日"


def test_old_callers_passing_warn_days_get_the_clock_window_too():
    # light(d, today, 15): the number is the month clocks' window; working-day clocks keep theirs.
    assert light(_clock(K.INTERIM_ASSIGN, D(2026, 11, 11)), D(2026, 11, 4), 15) == Light.GREEN
    assert light(_clock(K.REPLY, D(2026, 11, 16)), D(2026, 11, 4), 15) == Light.YELLOW


@pytest.mark.parametrize("kind, due, today, colour, text", [
    (K.REPLY, D(2026, 11, 13), D(2026, 11, 1), Light.YELLOW, "答复期限 剩12天"),
    (K.REPLY, D(2026, 11, 13), D(2026, 11, 16), Light.RED, "答复期限 超期3天"),
    (K.REASSIGN_WINDOW, D(2026, 11, 11), D(2026, 11, 9), Light.YELLOW, "申请调整期限 剩2个工作日"),
    # a window that lapsed is over, not late
    (K.REASSIGN_WINDOW, D(2026, 11, 11), D(2026, 11, 12), Light.DONE, "申请调整期限 已截止"),
    (K.EVALUATION, D(2026, 11, 13), D(2026, 11, 9), Light.GREEN, "代表评价期限 剩4个工作日"),
    (K.EVALUATION, D(2026, 11, 13), D(2026, 11, 10), Light.YELLOW, "代表评价期限 剩3个工作日"),
    # one month to give a co-opinion: yellow in its last 7 days, not its last 15
    (K.CO_OPINION, D(2026, 11, 30), D(2026, 11, 22), Light.GREEN, "会办意见期限 剩8天"),
    (K.CO_OPINION, D(2026, 11, 30), D(2026, 11, 23), Light.YELLOW, "会办意见期限 剩7天"),
])
def test_every_light_says_what_and_how_far(kind, due, today, colour, text):
    s = deadline_light(_clock(kind, due), today, RULES, CAL)
    assert (s.light, s.text) == (colour, text)


def test_met_and_cancelled_clocks_say_so():
    met = deadline_light(_clock(K.REPLY, D(2026, 9, 1), met_at=timezone.now()), D(2026, 11, 4), RULES)
    cancelled = deadline_light(_clock(K.REPLY, D(2026, 12, 1), cancelled=True), D(2026, 11, 4), RULES)
    assert (met.light, met.text, met.days) == (Light.DONE, "答复期限 已完成", None)
    assert (cancelled.light, cancelled.text) == (Light.DONE, "答复期限 已取消")


def test_the_congress_sets_a_clock_window_in_its_rule_set():
    d = _clock(K.INTERIM_ASSIGN, D(2026, 11, 11))
    friday = D(2026, 11, 6)  # 3 working days left
    assert deadline_light(d, friday, RuleSet(), CAL).light == Light.GREEN
    assert deadline_light(d, friday, RuleSet(params={"warn": {"interim_assign": 4}}), CAL).light == Light.YELLOW
    reply = _clock(K.REPLY, D(2026, 11, 13))
    assert deadline_light(reply, D(2026, 11, 1), RuleSet(params={"warn": {"reply": 5}}), CAL).light == Light.GREEN
    # RuleSet.warn_days stays the window of month clocks that declare none of their own …
    assert deadline_light(reply, D(2026, 11, 1), RuleSet(warn_days=10), CAL).light == Light.GREEN
    # … but not of those that do (会办意见: 7 days).
    co = _clock(K.CO_OPINION, D(2026, 11, 30))
    assert deadline_light(co, D(2026, 11, 20), RuleSet(warn_days=30), CAL).light == Light.GREEN


@pytest.mark.parametrize("bad", ["三天", -2, None, [3], {"n": 3}, True])
def test_a_bad_window_in_the_rule_set_is_ignored(bad):
    rules = RuleSet(params={"warn": {"reply": bad}})
    assert deadline_light(_clock(K.REPLY, D(2026, 11, 13)), D(2026, 11, 1), rules, CAL).light == Light.YELLOW
    assert deadline_light(_clock(K.REPLY, D(2026, 11, 13)), D(2026, 11, 1),
                          RuleSet(params={"warn": "x"}), CAL).light == Light.YELLOW


@pytest.mark.django_db
def test_a_congress_day_off_counts_in_the_window():
    """A local day off (DayOverride) moves the count of working days left, as it moves due dates."""
    congress_id = Congress.objects.create(name="北辰市人民代表大会", short_name="北辰市人大").pk
    DayOverride.objects.create(congress_id=congress_id, day=D(2026, 11, 10), is_workday=False)
    cal = WorkCalendar.for_congress(congress_id)
    s = deadline_light(_clock(K.INTERIM_ASSIGN, D(2026, 11, 11)), D(2026, 11, 6), RULES, cal)
    assert (s.light, s.text) == (Light.YELLOW, "交办期限 剩2个工作日")
