"""The report figures problems register; each names the cases behind it.

A period's problems are those put on the list (registered_at) in it; they split into 已销号
and 未销号, so 已销号 + 未销号 + 已撤销 (after listing) = 列入问题清单. 超期 counts open problems
with a missed 整改 clock, 回头看重新整改 those a 回头看 reopened in the period.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case, Deadline, Event
from lvzhi.supervision import clocks
from lvzhi.supervision.permissions import KIND
from lvzhi.supervision.states import CLOSED, OPEN_STATES


def _bounds(start: dt.date, end: dt.date) -> dict:
    return {"registered_at__date__gte": start, "registered_at__date__lte": end}


def listed(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND, registered_at__isnull=False,
                               **_bounds(start, end))


def closed(congress_ids, start, end) -> QuerySet[Case]:
    return listed(congress_ids, start, end).filter(state=CLOSED)


def still_open(congress_ids, start, end) -> QuerySet[Case]:
    return listed(congress_ids, start, end).filter(state__in=OPEN_STATES)


def overdue(congress_ids, start, end) -> QuerySet[Case]:
    late = Deadline.objects.filter(case=OuterRef("pk"), kind__in=clocks.CODES, met_at__isnull=True,
                                   cancelled=False, due_on__lt=timezone.localdate())
    return still_open(congress_ids, start, end).filter(Exists(late))


def reopened_on_revisit(congress_ids, start, end) -> QuerySet[Case]:
    found = Event.objects.filter(case=OuterRef("pk"), name="revisit", payload__reopened=True,
                                 at__date__gte=start, at__date__lte=end)
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND).filter(Exists(found))


# ---- the 审议意见 (records, not cases: registered in lvzhi.reports.registry by apps.ready)

def _opinions(congress_ids):
    from lvzhi.supervision.models import Opinion

    return Opinion.objects.filter(topic__congress_id__in=congress_ids).select_related("topic")


def opinions_sent(congress_ids, start, end):
    return _opinions(congress_ids).filter(sent_at__date__gte=start, sent_at__date__lte=end)


def opinion_reports(congress_ids, start, end):
    return _opinions(congress_ids).filter(report_received_at__date__gte=start, report_received_at__date__lte=end)


def opinion_reports_late(congress_ids, start, end):
    """Sent, its 研究处理情况报告 past due and not yet received."""
    return opinions_sent(congress_ids, start, end).filter(report_received_at__isnull=True,
                                                           report_due_on__lt=timezone.localdate())


OPINION_FIGURES = (
    Figure("opinions_sent", "交办审议意见", opinions_sent, unit="份"),
    Figure("opinion_reports", "收到研究处理情况报告", opinion_reports, unit="份"),
    Figure("opinion_reports_late", "研究处理情况报告逾期未报", opinion_reports_late, unit="份"),
)

FIGURES = (
    Figure("problems_listed", "列入问题清单", listed, unit="个"),
    Figure("problems_closed", "问题已销号", closed, unit="个"),
    Figure("problems_open", "问题未销号", still_open, unit="个"),
    Figure("problems_overdue", "问题整改超期", overdue, unit="个"),
    Figure("problems_reopened", "回头看重新整改", reopened_on_revisit, unit="个"),
)
