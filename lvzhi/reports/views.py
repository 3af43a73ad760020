from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lvzhi.cases.kinds import all_kinds, get_kind
from lvzhi.cases.permissions import visible_cases
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Organization, Role, Session
from lvzhi.core.params import id_param, int_param
from lvzhi.reports.figures import annual_figures, figure_cases
from lvzhi.reports.selectors import CASE_SETS, case_sets, figures


def _scope(request: HttpRequest):
    """The dashboard's scope from the query: the kind (of those whose answers are evaluated,
    RULES.md 2.2) and the session; every figure, chart and link keeps both."""
    kinds = [k for k in all_kinds() if k.handling is not None and k.handling.evaluator]
    kind = next((k for k in kinds if k.code == request.GET.get("kind")), kinds[0])
    session_id = id_param(request.GET.get("session"))
    session = (Session.objects.filter(pk=session_id, term__congress_id=request.user.congress_id)
               .select_related("term").first() if session_id else None)
    scope = {"kind": kind.code, **({"session": session.pk} if session else {})}
    return kinds, kind, session, scope


@role_required(Role.LEADER, Role.CLERK)
def dashboard(request: HttpRequest) -> HttpResponse:
    kinds, kind, session, scope = _scope(request)
    f = figures(request.user.congress_id, kind=kind.code, session_id=session.pk if session else None)
    charts = {
        "states": [{"name": label, "value": n} for _, label, n in f.by_state],
        "categories": {"names": [c for c, _ in f.by_category], "values": [n for _, n in f.by_category]},
        "overdue": {"names": [u for u, _, _ in f.overdue_by_unit][::-1],
                    "values": [n for _, n, _ in f.overdue_by_unit][::-1]},
        "classes": [{"name": f"{c}类", "value": n} for c, n in f.by_class],
    }
    units = dict(Organization.objects.filter(congress_id=request.user.congress_id,
                                             name__in=[u for u, _, _ in f.overdue_by_unit])
                 .values_list("name", "pk"))
    overdue_rows = [(name, n, handling, units.get(name)) for name, n, handling in f.overdue_by_unit]
    sessions = Session.objects.filter(term__congress_id=request.user.congress_id).select_related("term")
    return render(request, "reports/dashboard.html", {
        "f": f, "charts": charts, "sessions": sessions, "session": session,
        "session_id": session.pk if session else None, "kind": kind, "kinds": kinds,
        "scope": urlencode(scope), "overdue_rows": overdue_rows})


@role_required(Role.LEADER, Role.CLERK)
def dashboard_cases(request: HttpRequest, figure: str) -> HttpResponse:
    """The cases behind one of the dashboard's figures, in the dashboard's scope: the count is
    the congress's (as on the dashboard), the list what the user may open."""
    if figure not in CASE_SETS:
        raise Http404("没有这项统计")
    _kinds, kind, session, scope = _scope(request)
    qs = case_sets(request.user.congress_id, kind.code, session.pk if session else None)[figure]
    visible = qs.filter(pk__in=visible_cases(request.user).values("pk")).order_by("-id")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(request, "reports/dashboard_cases.html", {
        "kind": kind, "session": session, "label": CASE_SETS[figure], "total": qs.count(),
        "page": page, "visible_count": visible.count(), "scope": urlencode(scope)})


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int_param(raw, 2000, today.year + 1) or today.year


@role_required(Role.LEADER, Role.CLERK)
def annual(request: HttpRequest) -> HttpResponse:
    """年度数字: every figure each kind registers, each linked to the cases behind it."""
    year = _year(request)
    groups = annual_figures([request.user.congress_id], year)
    return render(request, "reports/annual.html", {"groups": groups, "year": year,
                                                   "years": range(timezone.localdate().year, 2020, -1)})


@role_required(Role.LEADER, Role.CLERK)
def figure_trace(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The cases behind one figure: the count is the congress's, the list what the user may open."""
    year = _year(request)
    try:
        qs = figure_cases(kind, code, [request.user.congress_id], year)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    figure = next(f for f in get_kind(kind).figures if f.code == code)
    visible = qs.filter(pk__in=visible_cases(request.user).values("pk")).order_by("-id")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(request, "reports/figure_trace.html", {
        "kind": get_kind(kind), "figure": figure, "year": year, "total": qs.count(),
        "page": page, "visible_count": visible.count()})
