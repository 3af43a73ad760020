"""A problem of the 问题清单 closed loop by loop on the engine: 形成—交办—整改—评价—销号—回头看,
with its clocks, and bad input refused in Chinese with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Deadline, Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.supervision.models import RectifyReport
from lvzhi.supervision.tests.helpers import REPORT, raise_problem, report_done, to_rectifying, topic_and_opinion

pytestmark = pytest.mark.django_db


def test_the_whole_loop_and_a_regression_found_on_revisit(world):
    opinion = topic_and_opinion(world)
    case = raise_problem(world, opinion)
    assert case.state == "drafting" and case.problem_detail.committee == world.committee
    assert case.problem_detail.opinion == opinion

    case = to_rectifying(world, case)
    assert case.state == "handling" and case.number.endswith("年问题第001号")
    clock = Deadline.objects.get(case=case, kind="rectify_due")
    assert clock.due_on == case.problem_detail.due_on  # the opinion's date, not a rule's months

    unit = world.units[0]
    a = case.assignments.get(unit=unit)
    fire(case, "report_progress", world.handler_of(unit),
         {"assignment": a.pk, "text": "已制定整改方案，分三批约谈物业企业", "percent": 40})
    case = report_done(world, case)
    assert case.state == "replied"
    assert Deadline.objects.get(pk=clock.pk).met_at is not None
    assert list(RectifyReport.objects.filter(case=case).values_list("final", flat=True)) == [True, False]

    # 不满意 reopens with the re-rectification clock; the second report is evaluated 满意
    fire(case, "evaluate", world.committee_staff, {"verdict": "unsatisfied", "comment": "信用公示制度尚未落实"})
    case = Case.objects.get(pk=case.pk)
    assert case.state == "handling" and case.round == 2
    assert Deadline.objects.filter(case=case, kind="problem_rework", met_at__isnull=True).exists()
    case = report_done(world, case)
    fire(case, "evaluate", world.committee_staff, {"verdict": "satisfied"})
    assert Case.objects.get(pk=case.pk).state == "evaluated"

    fire(case, "propose_close_out", world.committee_staff, {"evidence": "现场核查12家企业，整改全部到位，验收记录存档"})
    fire(case, "close_out", world.leader, {"approve": "1"})
    case = Case.objects.get(pk=case.pk)
    assert case.state == "closed" and case.closed_at is not None
    revisit = Deadline.objects.get(case=case, kind="revisit", met_at__isnull=True)

    fire(case, "revisit", world.office_clerk, {"finding": "回访发现两家企业服务标准再次不公开", "reopen": "1"})
    case = Case.objects.get(pk=case.pk)
    assert case.state == "handling" and case.round == 3 and case.closed_at is None
    assert Deadline.objects.get(pk=revisit.pk).met_at is not None
    new = Deadline.objects.get(case=case, kind="problem_rework", met_at__isnull=True)
    assert new.due_on > timezone.localdate()
    names = list(Event.objects.filter(case=case).order_by("seq").values_list("name", flat=True))
    assert names[:4] == ["open", "enlist", "assign", "report_progress"] and names[-1] == "revisit"


def test_a_close_out_sent_back_reopens(world):
    case = report_done(world, to_rectifying(world, raise_problem(world)))
    fire(case, "evaluate", world.committee_staff, {"verdict": "basically"})
    fire(case, "propose_close_out", world.committee_staff, {"evidence": "整改报告及佐证材料齐全"})
    fire(case, "close_out", world.leader, {"approve": "0", "note": "长效机制未建立"})
    assert Case.objects.get(pk=case.pk).state == "handling"


def test_bad_input_is_refused_in_chinese_and_changes_nothing(world):
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput, match=r"整改时限.*早于今天"):
        raise_problem(world, due_on=past)
    assert not Case.objects.filter(kind="problem").exists()

    case = report_done(world, to_rectifying(world, raise_problem(world)))
    before = Event.objects.count()
    with pytest.raises(InvalidInput, match=r"不满意.*写明"):
        fire(case, "evaluate", world.committee_staff, {"verdict": "unsatisfied"})
    assert Event.objects.count() == before and Case.objects.get(pk=case.pk).state == "replied"
    fire(case, "evaluate", world.committee_staff, {"verdict": "satisfied"})
    before = Event.objects.count()
    with pytest.raises(InvalidInput, match="提请销号须写明整改完成情况和佐证材料"):
        fire(case, "propose_close_out", world.committee_staff, {"evidence": ""})
    with pytest.raises(NotAllowed):  # the unit cannot close its own problem
        fire(case, "close_out", world.head_of(world.units[0]), {"approve": "1"})
    assert Event.objects.count() == before and Case.objects.get(pk=case.pk).state == "evaluated"


def test_a_unit_report_needs_evidence_and_the_units_own_assignment(world):
    case = to_rectifying(world, raise_problem(world))
    a = case.assignments.get()
    with pytest.raises(InvalidInput, match="整改报告须附佐证材料"):
        fire(case, "submit_rectification", world.head_of(world.units[0]), {"assignment": a.pk, "text": REPORT})
    with pytest.raises(NotAllowed):  # another unit's head
        fire(case, "submit_rectification", world.head_of(world.units[1]),
             {"assignment": a.pk, "text": REPORT, "evidence": "文号"})
    assert Case.objects.get(pk=case.pk).state == "handling"


def test_two_units_each_report_before_evaluation(world):
    case = raise_problem(world)
    fire(case, "enlist", world.office_clerk)
    fire(case, "assign", world.office_clerk, {"mode": "split", "split": [world.units[0].pk, world.units[1].pk]})
    case = report_done(world, Case.objects.get(pk=case.pk), world.units[0])
    assert case.state == "handling"  # the second unit still rectifies
    case = report_done(world, case, world.units[1])
    assert case.state == "replied"


def test_who_sees_a_problem(world):
    from lvzhi.cases.permissions import visible_cases

    case = to_rectifying(world, raise_problem(world))
    for user in (world.leader, world.office_clerk, world.committee_staff, world.handler_of(world.units[0])):
        assert visible_cases(user).filter(pk=case.pk).exists(), user.username
    for user in (world.handler_of(world.units[1]), world.deputy_user, world.clerk):
        assert not visible_cases(user).filter(pk=case.pk).exists(), user.username
    with pytest.raises(WrongState):
        fire(case, "enlist", world.office_clerk)


def test_the_list_shows_each_units_open_and_overdue_problems(client, world):
    late = to_rectifying(world, raise_problem(world, days=10))
    Deadline.objects.filter(case=late, kind="rectify_due").update(due_on=timezone.localdate() - dt.timedelta(days=3))
    from lvzhi.reports.facts import refresh

    refresh(late.pk)
    to_rectifying(world, raise_problem(world, title="小区消防通道被占用问题突出"), world.units[1])
    client.force_login(world.leader)
    page = client.get("/supervision/problems/").content.decode()
    assert "整改超期 1 个" in page
    rows = page.split("按责任单位", 1)[1].split("</table>", 1)[0]
    first = rows.index(world.units[0].name)
    assert first < rows.index(world.units[1].name)  # the overdue unit on top
