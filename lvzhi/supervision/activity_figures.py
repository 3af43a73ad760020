"""The report figures of the five forms of supervision. These records are not cases: each
function returns the QuerySet of Topic rows behind its number (so the figure traces to topics).

- 听取审议专项工作报告: work-report topics whose meeting date is in the period and past, and whose
  deliberation step (常委会会议听取和审议) is recorded;
- 执法检查: inspections whose report (第三十六条) is dated in the period;
- 专题询问: inquiries held in the period with at least one question recorded;
- 工作评议: appraisals held in the period with at least one score sheet;
- 专题调研/视察: research and visit topics whose report is dated in the period.
"Held in the period" is the meeting date, or the topic's year where no date is set.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lvzhi.cases.kinds import Figure
from lvzhi.supervision.models import Question, ScoreSheet, Topic, TopicForm, WorkReportStep


def _topics(congress_ids: list[int], *forms: str) -> QuerySet[Topic]:
    return Topic.objects.filter(congress_id__in=congress_ids, form__in=forms)


def _held(start: dt.date, end: dt.date) -> Q:
    return (Q(meeting_on__gte=start, meeting_on__lte=end)
            | Q(meeting_on__isnull=True, year__gte=start.year, year__lte=end.year))


def reports_heard(congress_ids, start: dt.date, end: dt.date) -> QuerySet[Topic]:
    deliberated = WorkReportStep.objects.filter(topic=OuterRef("pk"), step="deliberated")
    return _topics(congress_ids, TopicForm.WORK_REPORT).filter(
        meeting_on__gte=start, meeting_on__lte=min(end, timezone.localdate())).filter(Exists(deliberated))


def inspections_done(congress_ids, start, end) -> QuerySet[Topic]:
    return _topics(congress_ids, TopicForm.LAW_INSPECTION).filter(
        activity_report__done_on__gte=start, activity_report__done_on__lte=end)


def inquiries_held(congress_ids, start, end) -> QuerySet[Topic]:
    asked = Question.objects.filter(topic=OuterRef("pk"))
    return _topics(congress_ids, TopicForm.INQUIRY).filter(_held(start, end)).filter(Exists(asked))


def appraisals_held(congress_ids, start, end) -> QuerySet[Topic]:
    scored = ScoreSheet.objects.filter(appraisee__topic=OuterRef("pk"))
    return _topics(congress_ids, TopicForm.APPRAISAL).filter(_held(start, end)).filter(Exists(scored))


def research_done(congress_ids, start, end) -> QuerySet[Topic]:
    return _topics(congress_ids, TopicForm.RESEARCH, TopicForm.VISIT).filter(
        activity_report__done_on__gte=start, activity_report__done_on__lte=end)


FIGURES = (
    Figure("supervision_reports_heard", "听取审议专项工作报告", reports_heard, unit="项"),
    Figure("supervision_inspections", "执法检查", inspections_done, unit="次"),
    Figure("supervision_inquiries", "专题询问", inquiries_held, unit="次"),
    Figure("supervision_appraisals", "工作评议（含两官履职评议）", appraisals_held, unit="次"),
    Figure("supervision_research", "专题调研、视察", research_done, unit="项"),
)
