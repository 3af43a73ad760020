"""Registers the hotline orders at start-up: the kind, and the source the 履职档案 reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def entries(deputy_ids: Iterable[int], start: dt.date, end: dt.date):
    """One line per order a deputy supervised in the period (dated by the assignment), with
    how many follow-ups he or she recorded and whether it was closed."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from lvzhi.cases.models import Case
    from lvzhi.deputies.record import Entry
    from lvzhi.requests.hotline_permissions import KIND

    rows = (Case.objects.filter(kind=KIND, hotline_detail__deputy_id__in=list(deputy_ids),
                                hotline_detail__assigned_at__date__gte=start,
                                hotline_detail__assigned_at__date__lte=end)
            .annotate(follows=Count("events", filter=Q(events__name="follow")))
            .values_list("pk", "title", "state", "hotline_detail__order_no", "hotline_detail__deputy_id",
                         "hotline_detail__assigned_at", "follows"))
    for pk, title, state, no, deputy_id, at, follows in rows:
        done = "，已办结" if state == "closed" else ""
        yield Entry(deputy_id, at.date(), "hotline_orders", f"督办12345工单{no}（督办{follows}次{done}）：{title}",
                    reverse("cases:detail", args=[pk]))


def register() -> None:
    from lvzhi.deputies.record import DutySource, register_source
    from lvzhi.requests import hotline_workflow

    hotline_workflow.register()
    register_source(DutySource("hotline_orders", "督办12345热线工单", entries, order=31))
