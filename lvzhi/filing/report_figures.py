"""This part's report figures (group "filing_reports"): each returns the records it counts.

- filing_catalogue_missing: 发文目录 rows flagged 漏报 whose document was published in the period
  (still counted once the body files it late: the report says so).
- filing_special_reviews: special reviews opened in the period.
- filing_special_documents: the documents those reviews read (one per review and document).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.filing.models import CatalogueEntry, ItemConclusion, SpecialItem, SpecialReview


def catalogue_missing(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[CatalogueEntry]:
    return (CatalogueEntry.objects.filter(catalogue__congress_id__in=congress_ids, missing=True,
                                          published_on__gte=start, published_on__lte=end)
            .select_related("catalogue__body"))


def special_reviews(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[SpecialReview]:
    return SpecialReview.objects.filter(congress_id__in=congress_ids, created_at__date__gte=start,
                                        created_at__date__lte=end)


def special_documents(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[SpecialItem]:
    return SpecialItem.objects.filter(review__in=special_reviews(congress_ids, start, end)).select_related(
        "review", "filing")


def special_problems(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[SpecialItem]:
    return special_documents(congress_ids, start, end).filter(conclusion=ItemConclusion.PROBLEM)


FIGURES = (
    Figure("filing_catalogue_missing", "发文目录比对发现漏报", catalogue_missing),
    Figure("filing_special_reviews", "开展专项审查、集中清理", special_reviews, unit="次"),
    Figure("filing_special_documents", "专项审查、集中清理审查文件", special_documents),
    Figure("filing_special_problems", "专项审查、集中清理发现问题", special_problems),
)
