"""The sweep at a million cases: it reads only what is due (the due date in SQL), so its queries
do not grow with the open clocks that are not due, and reminders are written in one batch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.cases.clocks import all_clocks, get_clock
from lvzhi.cases.deadlines import Light, Lights
from lvzhi.cases.events import verify_chain
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Deadline, Event
from lvzhi.cases.sweep import sweep, warning_horizon
from lvzhi.core.models import DayOverride, Notification
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db
K = DeadlineKind


def _clones(deadline: Deadline, due_on: dt.date, n: int) -> list[Deadline]:
    """n more open clocks like `deadline` (same case and unit), due on `due_on`."""
    made = Deadline.objects.bulk_create([
        Deadline(case_id=deadline.case_id, assignment_id=deadline.assignment_id, kind=deadline.kind,
                 start_on=deadline.start_on, due_on=due_on) for _ in range(n)])
    return list(Deadline.objects.filter(pk__in=[d.pk for d in made]))


def _queries(today: dt.date) -> tuple[int, object]:
    sweep(today - dt.timedelta(days=60))  # nothing due then; warm: the rule set and calendar may be cached per process
    with CaptureQueriesContext(connection) as ctx:
        result = sweep(today)
    return len(ctx.captured_queries), result


def test_clocks_not_due_cost_no_queries(world):
    case = to_state(world, draft(world), "handling")
    reply = case.deadlines.get(kind=K.REPLY)
    today = reply.start_on + dt.timedelta(days=10)  # nothing is due yet
    _clones(reply, today + dt.timedelta(days=120), 5)
    few, result = _queries(today)
    assert (result.overdue, result.reminded, result.closed) == (0, 0, 0)
    _clones(reply, today + dt.timedelta(days=120), 300)  # many more open clocks, none due
    many, result = _queries(today)
    assert (result.overdue, result.reminded, result.closed) == (0, 0, 0)
    assert many == few


def test_reminders_are_one_batch_whatever_their_number(world):
    case = to_state(world, draft(world), "handling")
    reply = case.deadlines.get(kind=K.REPLY)
    today = reply.start_on + dt.timedelta(days=10)
    _clones(reply, today + dt.timedelta(days=1), 3)
    few, result = _queries(today)
    assert result.reminded == 3
    _clones(reply, today + dt.timedelta(days=2), 40)
    many, result = _queries(today)
    assert result.reminded == 40  # the first three were reminded already: once each
    assert many == few
    handler = world.handler_of(world.units[0])
    assert Notification.objects.filter(user=handler, text__startswith="临期提醒").count() == 43
    assert not Deadline.objects.filter(case=case, kind=K.REPLY, reminded=False,
                                       due_on__lte=today + dt.timedelta(days=2)).exists()


def test_overdue_clocks_of_a_case_are_one_transaction_each_event_once(world):
    case = to_state(world, draft(world), "handling")
    reply = case.deadlines.get(kind=K.REPLY)
    today = reply.start_on + dt.timedelta(days=10)
    late = _clones(reply, today - dt.timedelta(days=1), 2)
    two, result = _queries(today)
    assert result.overdue == 2
    late += _clones(reply, today - dt.timedelta(days=2), 4)
    six, result = _queries(today)
    assert result.overdue == 4  # only the new ones: the event is emitted once per clock
    assert Event.objects.filter(case=case, name="became_overdue").count() == 6
    assert {e.payload["deadline_id"] for e in Event.objects.filter(case=case, name="became_overdue")} == {
        d.pk for d in late}
    # Per late clock: its event (the chain head and the row); the rest is per case, not per clock.
    per_clock = (six - two) / 2
    assert per_clock <= 6, (two, six)
    assert verify_chain(world.congress.pk) == (True, None)


@pytest.mark.parametrize("code", sorted({c.code for c in all_clocks() if c.remind}))
def test_the_sql_window_is_exactly_the_yellow_light(world, code):
    """warning_horizon mirrors deadline_light on every day of two months, a day off included."""
    today = timezone.localdate()
    DayOverride.objects.create(congress=world.congress, day=today + dt.timedelta(days=3), is_workday=False)
    lights = Lights(today)
    horizon = warning_horizon(get_clock(code), lights, world.congress.pk)
    for offset in range(0, 60):
        due = today + dt.timedelta(days=offset)
        d = Deadline(kind=code, start_on=today, due_on=due)
        yellow = lights.of(d, world.congress.pk).light == Light.YELLOW
        assert yellow == (due <= horizon), (code, due, horizon)


def test_bench_sweep_compares_old_and_new_and_leaves_the_database_as_it_was(world, capsys):
    import sys
    from pathlib import Path

    from django.conf import settings

    case = to_state(world, draft(world), "handling")
    reply = case.deadlines.get(kind=K.REPLY)
    Deadline.objects.filter(pk=reply.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    events_before = Event.objects.count()
    sys.path.insert(0, str(Path(settings.BASE_DIR) / "benchmarks"))
    try:
        import bench_sweep
    finally:
        sys.path.pop(0)
    bench_sweep.main(["--in-place", "--rounds", "2"])
    out = capsys.readouterr().out
    assert out.count("  old:") == 2 and out.count("  new:") == 2 and "ratio old/new" in out
    assert out.count("overdue 1") == 4  # both find the same late clock, every run
    assert Event.objects.count() == events_before  # every run rolled back
