"""The case list with its filters, and batch assignment after a session."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lvzhi.cases import deadlines, filters, policy, selectors
from lvzhi.cases.engine import fire
from lvzhi.cases.handling.states import REGISTERED
from lvzhi.cases.kinds import all_kinds, all_state_choices, kind_choices
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Organization, OrganizationKind, Role

# ------------------------------------------------------------------------------- lists

@role_required(Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF, Role.UNIT_HANDLER, Role.UNIT_HEAD,
               Role.DEPUTY)
def case_list(request: HttpRequest) -> HttpResponse:
    f = filters.CaseFilters.from_querydict(request.GET)
    for note in f.ignored:  # say which filter was dropped rather than silently ignore it
        messages.warning(request, note)
    qs = selectors.with_list_relations(filters.filtered_cases(request.user, f))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    warn = deadlines.rules_for(request.user.congress_id).warn_days
    query = request.GET.copy()
    query.pop("page", None)
    from lvzhi.suggestions.categories import CATEGORIES

    return render(request, "cases/case_list.html", {
        "rows": selectors.decorate(list(page.object_list), warn), "page": page, "filters": f,
        "kinds": kind_choices(), "states": all_state_choices(), "categories": CATEGORIES,
        "query": query.urlencode(),
        "units": Organization.objects.filter(congress_id=request.user.congress_id,
                                             kind=OrganizationKind.UNIT),
    })




@role_required(Role.CLERK)
def batch_assign(request: HttpRequest) -> HttpResponse:
    """After a session: assign many registered cases at once, each through the engine."""
    # Kinds this user is the office of whose cases go to handling units (the page offers units).
    office_kinds = [k.code for k in all_kinds() if policy.is_office_of(request.user, k.code)
                    and "assign" in k.workflow.transitions and k.handling is not None
                    and tuple(k.handling.unit_kinds) == (OrganizationKind.UNIT,)]
    cases = list(selectors.with_list_relations(
        visible_cases(request.user).filter(kind__in=office_kinds, state=REGISTERED)).order_by("number")[:50])
    units = list(Organization.objects.filter(congress_id=request.user.congress_id,
                                             kind=OrganizationKind.UNIT, is_active=True))
    by_field: dict[str, Organization] = {}
    for u in units:
        by_field.setdefault(u.field, u)
    results: list[tuple[Case, str, bool]] = []
    if request.method == "POST":
        for case in cases:
            lead = request.POST.get(f"lead_{case.pk}")
            if not lead or not request.POST.get(f"pick_{case.pk}"):
                continue
            data = {"mode": "lead", "lead": lead, "co": request.POST.getlist(f"co_{case.pk}")}
            try:
                fire(case, "assign", request.user, data)
                results.append((case, "已交办", True))
            except TransitionError as exc:
                results.append((case, exc.message, False))
        ok = sum(1 for r in results if r[2])
        if ok:
            messages.success(request, f"已交办{ok}件。")
        if len(results) > ok:
            messages.error(request, f"{len(results) - ok}件未能交办，原因见下表。")
        if not results:
            messages.warning(request, "未选择任何案件。请勾选案件并选择主办单位。")
        if ok and len(results) == ok:
            return redirect("cases:batch_assign")
        cases = [c for c in cases if not any(r[0].pk == c.pk and r[2] for r in results)]
    from lvzhi.assist.services import suggested_leads  # 智能交办; falls back to the field guess

    smart = suggested_leads(cases)
    rows = [(c, smart.get(c.pk) or by_field.get(c.category)) for c in cases]
    return render(request, "cases/batch_assign.html", {
        "rows": rows, "units": units, "results": results})
