"""The whole key task loop through the engine: open → submit → approve → assign → dispatch →
report → propose 销号 → returned → propose again → approved; and the sweep on a missed report."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases.engine import fire
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import AssignmentState, Case, Deadline, Event
from lvzhi.cases.monitor import deadline_monitor
from lvzhi.cases.sweep import sweep
from lvzhi.core.models import Notification, Organization
from lvzhi.keytasks import clocks
from lvzhi.keytasks.models import Dispatch, ProgressReport
from lvzhi.keytasks.tests.helpers import EVIDENCE, dispatch, open_task, report, to_handling

pytestmark = pytest.mark.django_db


def test_whole_loop(world, notified):
    case = open_task(world)
    assert case.state == "drafting" and case.number == ""
    detail = case.key_task_detail
    assert detail.responsible_leader == world.leader and detail.planned_lead == world.committee
    assert case.milestones.count() == 2

    fire(case, "submit_for_approval", world.office_clerk)
    assert Notification.objects.filter(user=world.leader, text__contains="提请主任会议审定").exists()
    fire(case, "approve", world.leader, {"note": "同意列入年度重点任务"})
    case.refresh_from_db()
    assert case.state == "registered" and case.number == f"{detail.year}年度第001项"
    assert case.state_label == "已审定待分解"

    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": world.committee.pk, "co": []})
    case.refresh_from_db()
    assert case.state == "handling" and case.state_label == "推进中"
    due = case.deadlines.get(kind=clocks.KEY_TASK_DUE)
    assert due.due_on == detail.due_on and due.assignment.unit == world.committee
    assert not case.deadlines.exclude(kind=clocks.KEY_TASK_DUE).exists()  # no reassign window, no co clock

    result = dispatch(world)
    assert result.dispatch.title == f"{dt.date.today().year}年第1次调度"
    clock = case.deadlines.get(kind=clocks.PROGRESS_REPORT)
    assert clock.due_on == result.dispatch.due_on and clock.assignment.unit == world.committee
    assert Notification.objects.filter(user=world.committee_staff, text__contains="第1次调度").exists()

    first = case.milestones.first()
    report(world, case, 40, milestone=first.pk)
    clock.refresh_from_db()
    assert clock.met_at is not None
    r = ProgressReport.objects.get(case=case)
    assert (r.percent, r.on_time, r.dispatch, r.unit) == (40, True, result.dispatch, world.committee)
    first.refresh_from_db()
    assert first.done_at is not None

    fire(case, "mark_milestone", world.committee_staff, {"milestone": case.milestones.last().pk})
    assert not case.milestones.filter(done_at__isnull=True).exists()

    fire(case, "propose_close_out", world.office_clerk, {"evidence": EVIDENCE})
    case.refresh_from_db()
    assert case.state == "replied" and case.state_label == "销号待审定"
    assert case.assignments.get().state == AssignmentState.REPLIED
    assert case.deadlines.get(kind=clocks.KEY_TASK_DUE).met_at is not None
    assert case.key_task_detail.evidence == EVIDENCE

    fire(case, "close_out", world.leader, {"approve": "0", "note": "佐证材料不全，请补充公告文本"})
    case.refresh_from_db()
    assert case.state == "handling" and case.round == 2
    assert case.assignments.get().state == AssignmentState.HANDLING
    assert case.deadlines.filter(kind=clocks.REWORK, met_at__isnull=True).count() == 1

    fire(case, "propose_close_out", world.office_clerk, {"evidence": EVIDENCE + "附公告文本。"})
    fire(case, "close_out", world.leader, {"approve": "1", "note": "同意销号"})
    case.refresh_from_db()
    assert case.state == "closed" and case.state_label == "已销号" and case.closed_at is not None
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled=False).exists()

    names = list(case.events.order_by("seq").values_list("name", flat=True))
    assert names == ["open", "submit_for_approval", "approve", "assign", "dispatch", "report_progress",
                     "mark_milestone", "propose_close_out", "close_out", "propose_close_out", "close_out"]
    assert verify_chain(world.congress.pk) == (True, None)


def test_return_to_drafting_and_resubmit(world, notified):
    case = open_task(world)
    fire(case, "submit_for_approval", world.office_clerk)
    fire(case, "return_draft", world.leader, {"reason": "完成时限应提前到十月底"})
    case.refresh_from_db()
    assert case.state == "drafting" and case.key_task_detail.returned_reason == "完成时限应提前到十月底"
    assert Notification.objects.filter(user=world.office_clerk, text__contains="退回修改").exists()
    fire(case, "edit", world.office_clerk, {
        "title": case.title, "year": case.key_task_detail.year, "category": "立法", "body": case.body,
        "responsible_leader": world.leader.pk, "due_on": f"{case.key_task_detail.year}-10-31"})
    case.refresh_from_db()
    assert case.key_task_detail.due_on == dt.date(case.key_task_detail.year, 10, 31)
    assert case.milestones.count() == 0
    fire(case, "submit_for_approval", world.office_clerk)
    case.refresh_from_db()
    assert case.state == "pending_approval" and case.key_task_detail.returned_reason == ""


def test_co_office_gives_its_opinion(world):
    co = Organization.objects.get(congress=world.congress, name="代表工作委员会")
    case = to_handling(world, co=[co.pk])
    a = case.assignments.get(unit=co)
    assert not a.deadlines.exists()  # co_opinion_clock="" : no clock for a co-office
    fire(case, "give_co_opinion", world.clerk, {"assignment": a.pk, "opinion": "已提供代表建议办理情况数据"})
    a.refresh_from_db()
    assert a.state == AssignmentState.OPINION_GIVEN
    # A co-office is not the lead office: it cannot report progress.
    from lvzhi.cases.policy import offered

    assert "report_progress" not in {t.name for t in offered(case, world.clerk)}


def test_missed_progress_report_turns_red_and_the_sweep_tells_the_lead_office(world, notified):
    case = to_handling(world)
    d = dispatch(world, due_in=3).dispatch
    clock = case.deadlines.get(kind=clocks.PROGRESS_REPORT)
    today = dt.date.today()
    assert sweep(today).overdue == 0

    later = d.due_on + dt.timedelta(days=1)
    result = sweep(later)
    assert result.overdue == 1
    events = Event.objects.filter(case=case, name="became_overdue")
    assert events.count() == 1 and events.get().payload["kind"] == clocks.PROGRESS_REPORT
    assert events.get().payload["unit"] == world.committee.name
    assert Notification.objects.filter(user=world.committee_staff, text__startswith="已超期",
                                       text__contains="进展报送").exists()
    assert not Notification.objects.filter(user=world.office_clerk, text__startswith="已超期").exists()
    # The shared monitor counts it red for the committee, and lists it.
    loads, overdue = deadline_monitor(world.congress.pk, today=later)
    assert [(u.unit, u.red) for u in loads if u.red] == [(world.committee, 1)]
    assert [x.pk for x in overdue] == [clock.pk]
    # A second sweep emits nothing more.
    assert sweep(later + dt.timedelta(days=2)).overdue == 0
    assert events.count() == 1
    # The late report still meets the clock, marked late.
    report(world, case, 30)
    clock.refresh_from_db()
    assert clock.met_at is not None


def test_report_after_the_due_date_is_marked_late(world):
    case = to_handling(world)
    d = dispatch(world, due_in=2).dispatch
    from django.utils import timezone

    late = timezone.now() + dt.timedelta(days=4)
    lead = case.assignments.get()
    fire(case, "report_progress", world.committee_staff,
         {"assignment": lead.pk, "text": "正在征求意见，进度有所滞后。", "percent": 20}, now=late)
    r = ProgressReport.objects.get(case=case)
    assert r.on_time is False and r.dispatch == d


def test_dispatch_covers_only_tasks_in_progress_and_never_twice(world):
    moving = to_handling(world)
    drafting = open_task(world, title="听取审议市政府关于生态环境保护工作情况的报告", category="监督")
    result = dispatch(world)
    assert [c.pk for c in result.cases] == [moving.pk]
    assert not drafting.deadlines.exists()
    from lvzhi.cases.workflow import InvalidInput

    with pytest.raises(InvalidInput):
        fire(moving, "dispatch", world.office_clerk, {"dispatch": result.dispatch.pk})
    assert moving.deadlines.filter(kind=clocks.PROGRESS_REPORT).count() == 1
    second = dispatch(world, due_in=10)
    assert second.dispatch.title.endswith("第2次调度")
    assert Dispatch.objects.count() == 2


def test_cancel_a_draft(world):
    case = open_task(world)
    fire(case, "cancel", world.office_clerk, {"reason": "并入其他任务一并推进"})
    case.refresh_from_db()
    assert case.state == "cancelled"
    assert Case.objects.get(pk=case.pk).state_label == "已撤销"
