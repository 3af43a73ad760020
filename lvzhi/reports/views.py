from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config.db_router import on_replica
from lvzhi.cases.kinds import all_kinds
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Organization, Role, Session
from lvzhi.core.params import id_param, int_param
from lvzhi.reports.figures import annual_figures, figure_cases, find_figure
from lvzhi.reports.selectors import CASE_SETS, case_sets, figures, years


def _scope(request: HttpRequest):
    """The dashboard's scope from the query: the kind (of those whose answers are evaluated,
    RULES.md 2.2), the session and the year of submission (按年度); every figure, chart and
    link keeps them."""
    kinds = [k for k in all_kinds() if k.handling is not None and k.handling.evaluator]
    kind = next((k for k in kinds if k.code == request.GET.get("kind")), kinds[0])
    session_id = id_param(request.GET.get("session"))
    session = (Session.objects.filter(pk=session_id, term__congress_id=request.user.congress_id)
               .select_related("term").first() if session_id else None)
    year = int_param(request.GET.get("year", ""), 2000, timezone.localdate().year + 1)
    scope = {"kind": kind.code, **({"session": session.pk} if session else {}),
             **({"year": year} if year else {})}
    return kinds, kind, session, year, scope


def _list_scope(scope: dict) -> str:
    """The same scope for the case list (/cases/), whose filter for a year is a date range."""
    out = {k: v for k, v in scope.items() if k != "year"}
    if "year" in scope:
        out |= {"submitted_from": f"{scope['year']}-01-01", "submitted_to": f"{scope['year']}-12-31"}
    return urlencode(out)


def _scope_words(session: Session | None, year: int | None) -> str:
    """The scope in words, read before "提出的": "2025年", "第十六届…第五次会议、2025年"."""
    words = "、".join(p for p in (str(session) if session else "", f"{year}年" if year else "") if p)
    return words or "全部会议（含闭会期间）"


@role_required(Role.LEADER, Role.CLERK)
@on_replica  # figures only, never read back after a write (config/db_router.py)
def dashboard(request: HttpRequest) -> HttpResponse:
    kinds, kind, session, year, scope = _scope(request)
    f = figures(request.user.congress_id, kind=kind.code, session_id=session.pk if session else None,
                year=year)
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
        "year": year, "years": years(request.user.congress_id, kind.code),
        "scope_words": _scope_words(session, year),
        "scope": urlencode(scope), "list_scope": _list_scope(scope), "overdue_rows": overdue_rows})


@role_required(Role.LEADER, Role.CLERK)
@on_replica  # figures only, never read back after a write (config/db_router.py)
def dashboard_cases(request: HttpRequest, figure: str) -> HttpResponse:
    """The cases behind one of the dashboard's figures, in the dashboard's scope: the count is
    the congress's (as on the dashboard), the list what the user may open."""
    if figure not in CASE_SETS:
        raise Http404("没有这项统计")
    _kinds, kind, session, year, scope = _scope(request)
    qs = case_sets(request.user.congress_id, kind.code, session.pk if session else None, year=year)[figure]
    visible = qs.filter(pk__in=visible_cases(request.user).values("pk")).order_by("-id")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(request, "reports/dashboard_cases.html", {
        "kind": kind, "session": session, "label": CASE_SETS[figure], "total": qs.count(),
        "scope_words": _scope_words(session, year),
        "page": page, "visible_count": visible.count(), "scope": urlencode(scope)})


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int_param(raw, 2000, today.year + 1) or today.year


@role_required(Role.LEADER, Role.CLERK)
@on_replica  # figures only, never read back after a write (config/db_router.py)
def annual(request: HttpRequest) -> HttpResponse:
    """年度数字: every figure each kind registers, each linked to the cases behind it."""
    year = _year(request)
    groups = annual_figures([request.user.congress_id], year)
    return render(request, "reports/annual.html", {"groups": groups, "year": year,
                                                   "years": range(timezone.localdate().year, 2020, -1)})


@role_required(Role.LEADER, Role.CLERK)
@on_replica  # figures only, never read back after a write (config/db_router.py)
def figure_trace(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The cases behind one figure: the count is the congress's, the list what the user may open."""
    year = _year(request)
    try:
        owner_, figure = find_figure(kind, code)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    qs = figure_cases(kind, code, [request.user.congress_id], year)
    cases = qs.model is Case
    # cases: what the user may open; other records: the annual page's readers see them all
    visible = (qs.filter(pk__in=visible_cases(request.user).values("pk")) if cases else qs).order_by("-pk")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(request, "reports/figure_trace.html", {
        "kind": owner_, "figure": figure, "year": year, "total": qs.count(), "cases": cases,
        "page": page, "visible_count": visible.count()})
