"""Bad input is refused with the office's Chinese message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case, Deadline, Event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.keytasks.models import KeyTaskDetail, Milestone, ProgressReport
from lvzhi.keytasks.tests.helpers import PROGRESS, dispatch, open_task, task_data, to_handling

pytestmark = pytest.mark.django_db


def refused(world, fn, *args, expect: str, **kwargs):
    before = (Case.objects.count(), Event.objects.count(), Deadline.objects.count(),
              ProgressReport.objects.count(), Milestone.objects.filter(done_at__isnull=False).count(),
              list(Case.objects.values_list("pk", "state").order_by("pk")))
    with pytest.raises(InvalidInput) as exc:
        fn(*args, **kwargs)
    text = exc.value.message + "".join(m for ms in exc.value.errors.values() for m in ms)
    assert expect in text, text
    after = (Case.objects.count(), Event.objects.count(), Deadline.objects.count(),
             ProgressReport.objects.count(), Milestone.objects.filter(done_at__isnull=False).count(),
             list(Case.objects.values_list("pk", "state").order_by("pk")))
    assert after == before
    return exc.value


@pytest.mark.parametrize(("override", "expect"), [
    ({"title": "物业"}, "任务名称至少5字，当前2字"),
    ({"title": ""}, "请填写任务名称"),
    ({"body": "太短"}, "工作内容和目标至少10字，当前2字"),
    ({"category": "经济"}, "类别应为立法工作、监督工作、代表工作、自身建设或其他重点工作"),
    ({"responsible_leader": ""}, "请选择责任领导"),
    ({"due_on": "明年"}, "完成时限应为日期"),
    ({"year": "二〇二六"}, "年度应为四位数字"),
    ({"due_on": "2001-01-01", "year": 2026}, "完成时限不能早于2026年1月1日"),
    ({"milestones": "六月底 完成调研"}, "工作节点第1行格式应为"),
    ({"milestones": "2026-02-30 完成调研"}, "不是有效的日期"),
    ({"milestones": "2026-03-01"}, "缺少节点内容"),
])
def test_bad_task_fields(world, override, expect):
    data = task_data(world, **override)
    if "milestones" in override:
        data["year"], data["due_on"] = 2026, "2026-12-31"
    refused(world, open_case, "key_task", "open", world.office_clerk, data, congress_id=world.congress.pk,
            expect=expect)


def test_leader_must_be_a_leader_and_milestones_not_after_the_due_date(world):
    refused(world, open_case, "key_task", "open", world.office_clerk,
            task_data(world, responsible_leader=world.clerk.pk), congress_id=world.congress.pk,
            expect="责任领导应为本级主任会议成员")
    due = dt.date.today() + dt.timedelta(days=30)
    refused(world, open_case, "key_task", "open", world.office_clerk,
            task_data(world, due_on=due.isoformat(), milestones=f"{due + dt.timedelta(days=1)} 完成审议"),
            congress_id=world.congress.pk, expect="晚于完成时限")
    refused(world, open_case, "key_task", "open", world.office_clerk,
            task_data(world, planned_co=[world.committee.pk]), congress_id=world.congress.pk,
            expect="不能同时是牵头部门和配合部门")


def test_bad_progress_report(world):
    case = to_handling(world)
    dispatch(world)
    lead = case.assignments.get()
    base = {"assignment": lead.pk, "text": PROGRESS, "percent": 50}
    for change, expect in [({"percent": 150}, "完成进度应为0到100之间的整数"),
                           ({"percent": -1}, "完成进度应为0到100之间的整数"),
                           ({"percent": "一半"}, "完成进度应为0到100之间的整数"),
                           ({"percent": ""}, "请填写完成进度"),
                           ({"text": "已推进"}, "进展情况至少10字，当前3字"),
                           ({"milestone": 999999}, "所选工作节点不存在或已完成")]:
        refused(world, fire, case, "report_progress", world.committee_staff, {**base, **change}, expect=expect)
    assert case.deadlines.get(kind="progress_report").met_at is None


def test_bad_close_out(world):
    case = to_handling(world)
    refused(world, fire, case, "propose_close_out", world.office_clerk, {}, expect="提请销号须写明完成情况和佐证材料")
    refused(world, fire, case, "propose_close_out", world.office_clerk, {"evidence": "已完成"},
            expect="至少10字，当前3字")
    fire(case, "propose_close_out", world.office_clerk, {"evidence": "条例已表决通过，常委会公告第12号。"})
    refused(world, fire, case, "close_out", world.leader, {"approve": "0", "note": ""},
            expect="退回继续办理时请写明理由")
    refused(world, fire, case, "close_out", world.leader, {}, expect="请选择审定结果")


def test_bad_return_and_cancel(world):
    case = open_task(world)
    refused(world, fire, case, "cancel", world.office_clerk, {"reason": ""}, expect="请写明理由")
    fire(case, "submit_for_approval", world.office_clerk)
    refused(world, fire, case, "return_draft", world.leader, {"reason": "改"}, expect="理由至少5字，当前1字")
    assert KeyTaskDetail.objects.get(case=case).returned_reason == ""


def test_a_past_dispatch_is_refused(world):
    from django.utils import timezone

    case = to_handling(world)
    d = dispatch(world, due_in=1).dispatch
    other = to_handling(world, title="听取审议市政府关于生态环境保护工作情况的报告")
    refused(world, fire, other, "dispatch", world.office_clerk, {"dispatch": d.pk},
            now=timezone.now() + dt.timedelta(days=5), expect="报送截止日期")
    assert case.deadlines.filter(kind="progress_report").count() == 1
