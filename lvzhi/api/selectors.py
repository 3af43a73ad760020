"""The API's reads: every queryset starts from visible_cases(user) and prefetches what the
serializers touch, so a page costs the same number of queries whatever its length."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from rest_framework import serializers

from lvzhi.cases.clocks import shown_codes
from lvzhi.cases.deadlines import Lights
from lvzhi.cases.kinds import all_kinds, get_kind
from lvzhi.cases.models import (
    ROLE_ORDER,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Case,
    Deadline,
    Event,
    Reply,
    ReturnedBy,
)
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.selectors import SEVERITY, event_visible, open_clocks_prefetch, reply_visible
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


# ------------------------------------------------------------------------------ the case list

def list_rows(pks: list[int], lights: Lights) -> dict[int, dict[str, Any]]:
    """The list's rows for these ids as the API renders them (CaseListSerializer documents the
    shape), built from `.values()`: one query for the cases, one for their units, one for
    their running clocks, and no model instances or serializer fields per row."""
    if not pks:
        return {}
    cases = Case.objects.filter(pk__in=pks).values(
        "id", "number", "kind", "title", "category", "state", "round", "is_key", "is_public",
        "lead_deputy__name", "created_at", "submitted_at", "congress_id")
    units: dict[int, list[dict[str, Any]]] = {}
    for a in (Assignment.objects.filter(case_id__in=pks).exclude(state=AssignmentState.WITHDRAWN)
              .order_by("case_id", ROLE_ORDER, "id").values("case_id", "unit_id", "unit__name", "role")):
        units.setdefault(a["case_id"], []).append({
            "id": a["unit_id"], "name": a["unit__name"], "role": a["role"],
            "role_label": AssignmentRole(a["role"]).label})
    clocks: dict[int, list[Deadline]] = {}
    for d in (Deadline.objects.filter(case_id__in=pks, met_at__isnull=True, cancelled=False,
                                      kind__in=shown_codes()).order_by("due_on", "id")):
        clocks.setdefault(d.case_id, []).append(d)
    when = serializers.DateTimeField()
    rows = {}
    for c in cases:
        kind = get_kind(c["kind"])
        own = clocks.get(c["id"], [])
        shown = [lights.of(d, c["congress_id"]) for d in own]
        worst = max(shown, key=lambda s: SEVERITY[s.light], default=None)
        first = own[0] if own else None
        rows[c["id"]] = {
            "id": c["id"], "number": c["number"], "kind": c["kind"], "kind_label": kind.label,
            "title": c["title"], "category": c["category"], "state": c["state"],
            "state_label": kind.state_label(c["state"]), "round": c["round"], "is_key": c["is_key"],
            "is_public": c["is_public"], "lead_deputy": c["lead_deputy__name"],
            "units": units.get(c["id"], []),
            "next_deadline": ({"kind": first.kind, "kind_label": first.get_kind_display(),
                               "due_on": first.due_on.isoformat(), **shown[0].as_dict()}
                              if first else None),
            "light": worst.as_dict() if worst else None,
            "created_at": when.to_representation(c["created_at"]),
            "submitted_at": when.to_representation(c["submitted_at"]) if c["submitted_at"] else None,
        }
    return rows
