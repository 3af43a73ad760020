"""The report figures are counted from the records: planned = on time + late + still open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.cases.engine import fire
from lvzhi.cases.kinds import get_kind
from lvzhi.keytasks.tests.helpers import EVIDENCE, open_task, to_handling

pytestmark = pytest.mark.django_db


def close(world, case, at):
    fire(case, "propose_close_out", world.office_clerk, {"evidence": EVIDENCE}, now=at)
    fire(case, "close_out", world.leader, {"approve": "1"}, now=at + dt.timedelta(hours=2))


def test_figures_count_the_records(world):
    today = dt.date.today()
    due = today + dt.timedelta(days=10)
    dated = {"due_on": due.isoformat(), "milestones": ""}
    on_time = [to_handling(world, title=f"按期完成的重点任务{i}", **dated) for i in range(2)]
    late = to_handling(world, title="逾期完成的重点任务", **dated)
    still = [to_handling(world, title=f"仍在推进的重点任务{i}", **dated) for i in range(3)]
    replied = to_handling(world, title="提请销号的重点任务", **dated)
    fire(replied, "propose_close_out", world.office_clerk, {"evidence": EVIDENCE})
    open_task(world, title="起草中的重点任务")  # not yet on the approved list
    cancelled = open_task(world, title="撤销的重点任务")
    fire(cancelled, "cancel", world.office_clerk, {"reason": "并入其他任务"})
    other_year = to_handling(world, title="下一年度的重点任务", year=today.year + 1,
                             due_on=dt.date(today.year + 1, 6, 30).isoformat())

    now = timezone.now()
    for c in on_time:
        close(world, c, now)
    close(world, late, now + dt.timedelta(days=15))

    figures = {f.code: f for f in get_kind("key_task").figures}
    args = ([world.congress.pk], dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    counted = {code: set(f.cases(*args).values_list("pk", flat=True)) for code, f in figures.items()}
    assert counted["key_tasks_closed_on_time"] == {c.pk for c in on_time}
    assert counted["key_tasks_closed_late"] == {late.pk}
    assert counted["key_tasks_open"] == {c.pk for c in still} | {replied.pk}
    assert counted["key_tasks_planned"] == (counted["key_tasks_closed_on_time"] | counted["key_tasks_closed_late"]
                                            | counted["key_tasks_open"])
    assert other_year.pk not in counted["key_tasks_planned"]
    assert [f.label for f in figures.values()] == ["年度重点任务", "按期销号", "逾期销号", "未销号"]
    # Another congress's numbers stay its own.
    assert not figures["key_tasks_planned"].cases([world.congress.pk + 999], *args[1:]).exists()
