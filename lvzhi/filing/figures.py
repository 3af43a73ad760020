"""The filing kind's report figures; each names the cases behind it.

A period's filings are those filed (Case.submitted_at) within it. They reconcile so:
    filing_on_time + filing_late = filing_received − filing_returned
    Σ filing_<doc_kind> = filing_received
filing_reviewed counts the registered filings (each is reviewed in substance, 有备必审);
filing_problem those with a finding; filing_criterion_<c> those with a finding on c (a filing
may count under several criteria); filing_corrected those corrected (by the maker after
沟通 or a 书面审查意见, or by the 常委会's order); filing_revoked those revoked.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case
from lvzhi.filing.choices import Criterion, DocKind, Outcome
from lvzhi.filing.models import Finding
from lvzhi.filing.permissions import KIND
from lvzhi.filing.states import RETURNED, REVOKED


def received(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(congress_id__in=congress_ids, kind=KIND, submitted_at__date__gte=start,
                               submitted_at__date__lte=end)


def of_kind(doc_kind: str):
    def cases(congress_ids, start, end) -> QuerySet[Case]:
        return received(congress_ids, start, end).filter(filing_detail__doc_kind=doc_kind)
    return cases


def returned(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state=RETURNED)


def on_time(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).exclude(state=RETURNED).filter(filing_detail__late_days=0)


def late(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).exclude(state=RETURNED).filter(filing_detail__late_days__gt=0)


def reviewed(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(registered_at__isnull=False)


def problem(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(Exists(Finding.objects.filter(case=OuterRef("pk"))))


def of_criterion(criterion: str):
    def cases(congress_ids, start, end) -> QuerySet[Case]:
        return received(congress_ids, start, end).filter(
            Exists(Finding.objects.filter(case=OuterRef("pk"), criterion=criterion)))
    return cases


def corrected(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(filing_detail__outcome__in=[
        Outcome.SELF_CORRECTED, Outcome.CORRECTED, Outcome.ORDERED_CORRECTED])


def revoked(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(state=REVOKED)


def stop_ordered(congress_ids, start, end) -> QuerySet[Case]:
    return received(congress_ids, start, end).filter(filing_detail__stop_ordered_at__isnull=False)


FIGURES = (
    Figure("filing_received", "报送备案", received),
    *(Figure(f"filing_{k.value}", f"其中{k.label}", of_kind(k.value)) for k in DocKind),
    Figure("filing_on_time", "按时报送", on_time),
    Figure("filing_late", "逾期报送", late),
    Figure("filing_returned", "不属于备案范围退回", returned),
    Figure("filing_reviewed", "登记审查", reviewed),
    Figure("filing_problem", "审查发现问题", problem),
    *(Figure(f"filing_criterion_{c.value}", f"问题：{c.label.split('）')[-1]}", of_criterion(c.value))
      for c in Criterion),
    Figure("filing_corrected", "督促纠正", corrected),
    Figure("filing_revoked", "决定撤销", revoked),
    Figure("filing_stop_ordered", "通知停止执行", stop_ordered),
)
