"""Registers 代表码上见 at start-up: the kind (its workflow, figures, nav and to-do lists) and
the source the 履职档案 reads (lvzhi.deputies.record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def entries(deputy_ids: Iterable[int], start: dt.date, end: dt.date):
    """One line per request a deputy answered (the request's own deputy; for a station's code,
    the deputy who answered it), dated by the answer."""
    from django.urls import reverse

    from lvzhi.cases.models import Event
    from lvzhi.deputies.models import Deputy
    from lvzhi.deputies.record import Entry
    from lvzhi.requests.citizen_permissions import KIND

    ids = list(deputy_ids)
    by_user = dict(Deputy.objects.filter(pk__in=ids, user__isnull=False).values_list("user_id", "pk"))
    answers = (Event.objects.filter(case__kind=KIND, name__in=["answer", "to_suggestion"], at__date__gte=start,
                                    at__date__lte=end)
               .select_related("case__citizen_request_detail").order_by("at", "pk"))
    seen: set[tuple[int, int]] = set()
    for e in answers:
        d = e.case.citizen_request_detail
        deputy_id = d.deputy_id if d.deputy_id in ids else by_user.get(e.actor_id)
        if deputy_id is None or (deputy_id, e.case_id) in seen:
            continue
        seen.add((deputy_id, e.case_id))
        how = "转为代表建议" if e.name == "to_suggestion" else "答复群众诉求"
        yield Entry(deputy_id=deputy_id, on=e.at.date(), source="citizen_requests",
                    title=f"{how}（{e.case.number}）：{e.case.title}", url=reverse("cases:detail", args=[e.case_id]))


def register() -> None:
    from lvzhi.deputies.record import DutySource, register_source
    from lvzhi.requests import citizen_workflow

    citizen_workflow.register()
    register_source(DutySource("citizen_requests", "代表码上见：答复群众诉求", entries, order=30,
                                public=False))
