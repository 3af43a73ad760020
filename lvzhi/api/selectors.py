"""The API's reads: every queryset starts from visible_cases(user) and prefetches what the
serializers touch, so a page costs the same number of queries whatever its length."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from lvzhi.cases.kinds import all_kinds
from lvzhi.cases.models import Assignment, Case, Event, Reply, ReturnedBy
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.selectors import event_visible, open_clocks_prefetch, reply_visible
from lvzhi.core.models import User

# The event each kind of return leaves (lvzhi.cases.handling.replies).
RETURN_EVENTS = {ReturnedBy.HEAD: "return_draft", ReturnedBy.OFFICE: "return_reply"}


def detail_case(user: User, pk: int) -> Case:
    """The case with everything the detail shows, or 404 when it is outside the caller's scope
    (the same answer as for a case that does not exist, so existence does not leak)."""
    details = [k.detail_name for k in all_kinds() if k.detail_name]  # each kind's own row
    qs = visible_cases(user).select_related("lead_deputy", "session__term", *details).prefetch_related(
        "cosigns__deputy",
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                 .prefetch_related("deadlines")),
        Prefetch("replies", queryset=Reply.objects.select_related(
            "assignment__unit", "returned_by__organization")),
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


def return_visible(user: User, reply: Reply) -> bool:
    """Whether the user may read who sent the reply back and why: exactly when the timeline
    shows them the return's event (the same rule as the pages, lvzhi.cases.selectors)."""
    name = RETURN_EVENTS.get(reply.returned_stage)
    return name is not None and event_visible(user, Event(name=name, payload={}))


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
