"""The API's reads: every queryset starts from visible_cases(user) and prefetches what the
serializers touch, so a page costs the same number of queries whatever its length."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from lvzhi.cases.kinds import all_kinds
from lvzhi.cases.models import (
    Assignment,
    Case,
    Event,
    Reply,
    RuleSet,
)
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.selectors import open_clocks_prefetch, reply_visible
from lvzhi.core.models import User

DEFAULT_WARN_DAYS: int = RuleSet._meta.get_field("warn_days").default


def detail_case(user: User, pk: int) -> Case:
    """The case with everything the detail shows, or 404 when it is outside the caller's scope
    (the same answer as for a case that does not exist, so existence does not leak)."""
    details = [k.detail_name for k in all_kinds() if k.detail_name]  # each kind's own row
    qs = visible_cases(user).select_related("lead_deputy", "session__term", *details).prefetch_related(
        "cosigns__deputy",
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                 .prefetch_related("deadlines")),
        Prefetch("replies", queryset=Reply.objects.select_related("assignment__unit")),
        "evaluations",
        "commitments__unit",
        "contacts__assignment__unit",
        Prefetch("events", queryset=Event.objects.order_by("seq")),
        open_clocks_prefetch(),
    )
    case = qs.filter(pk=pk).first()
    if case is None:
        raise Http404("未找到该案件，或您无权查看")
    return case


def visible_replies(user: User, case: Case) -> list[Reply]:
    """Same rule as the pages (lvzhi.cases.selectors.reply_visible), on the prefetched replies."""
    return [r for r in case.replies.all() if reply_visible(user, r)]


def warn_days_for(congress_ids: Iterable[int]) -> dict[int, int]:
    """The yellow-light window per congress, read (never created) in one query."""
    ids = set(congress_ids)
    found = dict(RuleSet.objects.filter(congress_id__in=ids).values_list("congress_id", "warn_days"))
    return {cid: found.get(cid, DEFAULT_WARN_DAYS) for cid in ids}


def deputies_of(user: User, q: str = "") -> QuerySet:
    from lvzhi.deputies.models import Deputy, DeputyStatus

    qs = Deputy.objects.filter(congress_id=user.congress_id, status=DeputyStatus.ACTIVE
                               ).select_related("delegation").order_by("delegation_id", "id")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(delegation__name__icontains=q))
    return qs


def units_of(user: User) -> QuerySet:
    from lvzhi.core.models import Organization, OrganizationKind

    return Organization.objects.filter(congress_id=user.congress_id, kind=OrganizationKind.UNIT,
                                       is_active=True).order_by("sort_order", "name")
