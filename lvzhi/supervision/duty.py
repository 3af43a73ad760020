"""Supervision's lines of a deputy's 履职档案 (lvzhi.deputies.record): each supervision topic
(执法检查, 专题调研, 工作评议 …) the deputy was invited to take part in, dated by the topic's
standing-committee meeting (or its creation, before a meeting is set)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Q

from lvzhi.deputies.record import DutySource, Entry, register_source


def topics(deputy_ids: Iterable[int], start: dt.date, end: dt.date) -> Iterator[Entry]:
    from lvzhi.supervision.models import Topic

    ids = list(deputy_ids)
    dated = (Q(meeting_on__gte=start, meeting_on__lte=end)
             | Q(meeting_on__isnull=True, created_at__date__gte=start, created_at__date__lte=end))
    for t in Topic.objects.filter(dated, deputies__in=ids).distinct().prefetch_related("deputies"):
        on = t.meeting_on or t.created_at.date()
        for d in t.deputies.all():
            if d.pk in ids:
                yield Entry(d.pk, on, "supervision_topics", f"参加{t.get_form_display()}：{t.title}",
                            t.get_absolute_url())


def register() -> None:
    register_source(DutySource("supervision_topics", "参加常委会监督工作", topics, order=15))
