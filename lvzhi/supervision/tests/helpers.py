"""Problems for tests, raised and moved through the engine as the committee would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case
from lvzhi.supervision.models import Opinion, Topic, TopicForm

REPORT = ("已完成全市住宅小区物业服务专项检查，对未按合同履约的12家物业企业约谈整改，"
          "建立物业服务质量季度评价和信用公示制度，整改措施已全部落实。")


def topic_and_opinion(world, year: int | None = None) -> Opinion:
    year = year or timezone.localdate().year
    topic = Topic.objects.create(congress=world.congress, year=year, title="住宅小区物业管理情况",
                                 form=TopicForm.LAW_INSPECTION, lead_committee=world.committee,
                                 supervised_body="市人民政府")
    return Opinion.objects.create(topic=topic, title="关于检查《物业管理条例》实施情况报告的审议意见",
                                  report_due_on=timezone.localdate() + dt.timedelta(days=90))


def raise_problem(world, opinion: Opinion | None = None, days: int = 60, **extra) -> Case:
    data = {"title": "部分小区物业服务合同履约不到位", "body": "检查发现部分物业企业服务标准不公开、"
            "收费与服务不匹配，业主投诉处理不及时。", "requirement": "限期整改，建立服务质量评价机制",
            "due_on": (timezone.localdate() + dt.timedelta(days=days)).isoformat(),
            "opinion": opinion.pk if opinion else "", **extra}
    return open_case("problem", "open", world.committee_staff, data, congress_id=world.congress.pk).case


def to_rectifying(world, case: Case, unit=None) -> Case:
    unit = unit or world.units[0]
    fire(case, "enlist", world.office_clerk)
    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": unit.pk, "co": []})
    return Case.objects.get(pk=case.pk)


def report_done(world, case: Case, unit=None) -> Case:
    unit = unit or world.units[0]
    a = case.assignments.get(unit=unit)
    fire(case, "submit_rectification", world.head_of(unit),
         {"assignment": a.pk, "text": REPORT, "evidence": "市住建局〔2026〕45号整改通报"})
    return Case.objects.get(pk=case.pk)
