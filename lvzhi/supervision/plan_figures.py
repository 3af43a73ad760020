"""The annual plan's report figures: topics by form, and joint topics (三级联动). Each returns a
QuerySet of Topic rows — not cases — so the lead wires them as records of their own.

A period's topics are those of the plan years it covers (Topic.year in start.year…end.year),
taken off the plan (stage removed) excluded. **Roll-up of joint topics**: a topic counts for
every congress in `congress_ids` that owns it *or* is joint with it (Topic.joint_with), so a
topic the city runs with a district is in the district's figures and the city's; asked for a
region together with its cities and districts, a topic is counted once (`distinct()`), however
many of them share it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.supervision.models import Topic, TopicForm, TopicStage


def topics(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Topic]:
    return (Topic.objects.filter(Q(congress_id__in=congress_ids) | Q(joint_with__id__in=congress_ids),
                                 year__gte=start.year, year__lte=end.year)
            .exclude(stage=TopicStage.REMOVED).distinct())


def _by(*forms: str):
    def fn(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Topic]:
        return topics(congress_ids, start, end).filter(form__in=forms)
    return fn


work_reports = _by(TopicForm.WORK_REPORT)
inspections = _by(TopicForm.LAW_INSPECTION)
inquiries = _by(TopicForm.INQUIRY)
appraisals = _by(TopicForm.APPRAISAL)
research = _by(TopicForm.RESEARCH, TopicForm.VISIT)


def joint(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Topic]:
    return topics(congress_ids, start, end).exclude(joint_kind="")


FIGURES = (
    Figure("topics_planned", "年度监督计划议题", topics, unit="项"),
    Figure("topics_work_reports", "听取审议专项工作报告", work_reports, unit="项"),
    Figure("topics_inspections", "执法检查", inspections, unit="次"),
    Figure("topics_inquiries", "专题询问", inquiries, unit="次"),
    Figure("topics_appraisals", "工作评议（含履职评议）", appraisals, unit="次"),
    Figure("topics_research", "专题调研、视察", research, unit="项"),
    Figure("topics_joint", "三级联动议题", joint, unit="项"),
)
