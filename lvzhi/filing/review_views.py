"""The review queue for the 法工委, the committees and the 主任会议: every filing the user may
see, by state, with its clock light, the overdue first. A filing itself is the generic case page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lvzhi.cases import deadlines, selectors
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.permissions import visible_cases
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.filing import permissions
from lvzhi.filing.choices import DocKind


@role_required(Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.may_see_review(user):
        raise PermissionDenied("备案审查只对法制工作委员会、各专门委员会和主任会议开放")
    qs = (selectors.with_list_relations(visible_cases(user).filter(kind=permissions.KIND))
          .select_related("filing_detail__body").order_by("-submitted_at", "-id"))
    doc_kind = request.GET.get("doc_kind", "")
    if doc_kind in DocKind.values:
        qs = qs.filter(filing_detail__doc_kind=doc_kind)
    rows = selectors.decorate(list(qs[:500]), lights=deadlines.Lights(timezone.localdate()))
    kind = get_kind(permissions.KIND)
    groups = [(s, [r for r in rows if r.case.state == s.code]) for s in kind.states]
    overdue = [r for r in rows if r.light == deadlines.Light.RED]
    return render(request, "filing/review_queue.html", {
        "groups": [(s, g) for s, g in groups if g], "overdue": overdue, "total": len(rows),
        "late": sum(1 for r in rows if r.case.filing_detail.late_days), "doc_kinds": DocKind.choices,
        "doc_kind": doc_kind})
