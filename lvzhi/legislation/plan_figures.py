"""The legislative plan's and the bills' report figures. Each returns a QuerySet of this app's own
records (plan items, suggestions, readings, bills, motions), listed on the annual page by str()
and get_absolute_url(), so every number traces to its records.

A period's plan items are those of the plan years it covers (LegislativePlan.year in
start.year…end.year), dropped items excluded. Suggestions count by the day received; readings by
the meeting date (held: on or before the period's end); bills voted by the vote date; approvals
by the approval date, on time when within the four months (approval_due_on).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case
from lvzhi.legislation.choices import BillState
from lvzhi.legislation.models import Bill, Reading
from lvzhi.legislation.plan_models import ADOPTED, ItemKind, LegislativeSuggestion, PlanItem

__all__ = ["FIGURES"]


def plan_items(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(plan__congress_id__in=congress_ids, plan__year__gte=start.year,
                                   plan__year__lte=end.year, dropped=False)


def _kind(kind: str):
    def fn(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[PlanItem]:
        return plan_items(congress_ids, start, end).filter(kind=kind)
    return fn


def items_with_bill(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[PlanItem]:
    return plan_items(congress_ids, start, end).filter(bill__isnull=False)


def motions_linked(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    """第五十六条: the deputies' motions a plan item of the period answers (each once)."""
    return Case.objects.filter(kind="motion", legislative_plan_items__in=plan_items(congress_ids, start, end)
                               ).distinct()


def suggestions(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[LegislativeSuggestion]:
    return LegislativeSuggestion.objects.filter(congress_id__in=congress_ids, received_on__gte=start,
                                                received_on__lte=end)


def suggestions_adopted(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[LegislativeSuggestion]:
    return suggestions(congress_ids, start, end).filter(outcome__in=ADOPTED)


def readings_held(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Reading]:
    return Reading.objects.filter(bill__congress_id__in=congress_ids, meeting_on__gte=start, meeting_on__lte=end)


def bills_read(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Bill]:
    return Bill.objects.filter(readings__in=readings_held(congress_ids, start, end)).distinct()


def bills_voted(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Bill]:
    """Regulations voted through (表决通过) in the period."""
    return Bill.objects.filter(congress_id__in=congress_ids, voted_on__gte=start, voted_on__lte=end).exclude(
        state=BillState.REJECTED)


def approvals(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Bill]:
    return Bill.objects.filter(congress_id__in=congress_ids, approved_on__gte=start, approved_on__lte=end)


def approvals_on_time(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Bill]:
    return approvals(congress_ids, start, end).filter(approved_on__lte=F("approval_due_on"))


FIGURES = (
    Figure("leg_plan_items", "年度立法计划项目", plan_items, unit="件"),
    Figure("leg_plan_formal", "立法计划正式项目", _kind(ItemKind.FORMAL), unit="件"),
    Figure("leg_plan_reserve", "立法计划预备项目", _kind(ItemKind.RESERVE), unit="件"),
    Figure("leg_plan_research", "立法计划调研项目", _kind(ItemKind.RESEARCH), unit="件"),
    Figure("leg_plan_with_bill", "计划项目已立案", items_with_bill, unit="件"),
    Figure("leg_motions_linked", "列入立法计划研究的代表议案", motions_linked, unit="件"),
    Figure("leg_suggestions", "征集立法建议", suggestions, unit="条"),
    Figure("leg_suggestions_adopted", "采纳立法建议", suggestions_adopted, unit="条"),
    Figure("leg_readings", "审议法规案（次）", readings_held, unit="次"),
    Figure("leg_bills_read", "审议法规案（件）", bills_read, unit="件"),
    Figure("leg_bills_voted", "表决通过地方性法规", bills_voted, unit="件"),
    Figure("leg_approvals", "获批准的地方性法规", approvals, unit="件"),
    Figure("leg_approvals_on_time", "四个月内获批准", approvals_on_time, unit="件"),
)
