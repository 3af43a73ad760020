"""Public comment's report figures. Each returns a QuerySet of the records it counts (Comment,
CommentPeriod or ContactPoint rows, each with str() and get_absolute_url()), so every number is
traceable; the lead registers FIGURES with lvzhi.reports.registry.

A comment counts in the period it was made (Comment.created_at's date in start…end); a comment
period in the period it opened; a contact point is active when it sent at least one opinion then.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.legislation.comment_models import Channel, Comment, CommentPeriod, Outcome
from lvzhi.legislation.models import ContactPoint


def comments(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Comment]:
    return (Comment.objects.filter(period__congress_id__in=congress_ids, created_at__date__gte=start,
                                   created_at__date__lte=end).select_related("period__draft__bill"))


def _channel(code: str):
    def fn(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Comment]:
        return comments(congress_ids, start, end).filter(channel=code)
    return fn


def _outcome(code: str):
    def fn(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Comment]:
        return comments(congress_ids, start, end).filter(outcome=code)
    return fn


def periods(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[CommentPeriod]:
    return CommentPeriod.objects.filter(congress_id__in=congress_ids, opens_on__gte=start, opens_on__lte=end)


def active_points(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(
        pk__in=comments(congress_ids, start, end).filter(contact_point__isnull=False).values("contact_point_id"))


def point_adopted(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Comment]:
    return comments(congress_ids, start, end).filter(channel=Channel.CONTACT_POINT,
                                                     outcome__in=[Outcome.ADOPTED, Outcome.PARTLY])


FIGURES = (
    Figure("comment_periods", "法规草案公开征求意见", periods, unit="次"),
    Figure("comments_total", "收到立法意见", comments, unit="条"),
    *(Figure(f"comments_{code}", f"立法意见：{label}", _channel(code), unit="条") for code, label in Channel.choices),
    *(Figure(f"comments_{code}", f"立法意见{label}", _outcome(code), unit="条") for code, label in Outcome.choices),
    Figure("contact_points_active", "报送意见的基层立法联系点", active_points, unit="个"),
    Figure("contact_point_adopted", "基层立法联系点意见被采纳（含部分采纳）", point_adopted, unit="条"),
)
