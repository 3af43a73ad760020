"""The budget analysis pages: thin — ask permissions, read the selectors, hand each chart its table.

Every page is one congress and one budget year (?year=, default the newest with data); a chart's
data goes to the page as json_script for static/budget/analysis.js (no inline script: CSP).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from lvzhi.budget import exports, permissions
from lvzhi.budget import selectors as s
from lvzhi.budget.models import Book
from lvzhi.core.params import int_param

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = [("budget:overview", "执行总览"), ("budget:departments", "部门进度"), ("budget:drill", "逐级查看"),
         ("budget:yoy", "同比"), ("budget:debt", "债务和转移支付"), ("budget:open_warnings", "未办结预警"),
         ("budget:audit", "审计整改")]
PARAMS = ("book", "code", "unit", "project", "dept")


@dataclass
class Period:
    congress_id: int
    year: int
    month: int
    years: list[int]
    today: dt.date


def _period(request: HttpRequest) -> Period:
    if not permissions.may_read_analysis(request.user):
        raise PermissionDenied("只有代表、各委员会和预算工委可以查看预算分析")
    cid = request.user.congress_id
    years = s.years(cid)
    today = timezone.localdate()
    year = int_param(request.GET.get("year"), 2000, 2100) or (years[0] if years else today.year)
    return Period(cid, year, s.latest_month(cid, year), years, today)


def export_url(table: exports.Table, year: int, params: dict[str, str] | None = None) -> str:
    q = {"year": year, **{k: v for k, v in (params or {}).items() if v is not None}}
    return f"{reverse('budget:export', args=[table.key])}?{urlencode(q)}"


def _with_export(table: exports.Table, p: Period, params: dict[str, str] | None = None) -> exports.Table:
    table.export_url = export_url(table, p.year, params)
    return table


def _may_read_warnings(request: HttpRequest) -> None:
    """The warnings are the kind's to show: a committee other than the 财经委 reads the execution, not them."""
    if not permissions.may_read_warnings(request.user):
        raise PermissionDenied("您无权查看预算预警")


def _render(request: HttpRequest, template: str, p: Period, page: str, **ctx) -> HttpResponse:
    reads_warnings = permissions.may_read_warnings(request.user)
    pages = [(name, label) for name, label in PAGES if reads_warnings or name != "budget:open_warnings"]
    return render(request, template, {"p": p, "pages": pages, "page": page, "time_progress": s.time_progress(p.month),
                                      "reads_warnings": reads_warnings, **ctx})


def _progress_chart(names: list[str], values: list[float | None], tp: float) -> dict:
    return {"type": "progress", "names": names, "values": values, "time": tp}


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    p = _period(request)
    ov = s.overview(p.congress_id, p.year, p.month)
    table = _with_export(exports.books_table(ov), p)
    chart = _progress_chart([r.label for r in ov.books], [r.progress for r in ov.books], ov.time_progress)
    revenue = {"type": "bars", "names": [r.label for r in ov.books],
               "series": [{"name": "累计收入", "values": [float(r.revenue) for r in ov.books]},
                          {"name": "累计支出", "values": [float(r.spent) for r in ov.books]}]}
    counts = s.open_warning_counts(p.congress_id, p.year)
    return _render(request, "budget/analysis/overview.html", p, "budget:overview", ov=ov, table=table,
                   chart=chart, revenue=revenue, warnings=[(s.WARNING_STATE_LABELS[k], counts.get(k, 0))
                                                          for k in s.OPEN_WARNING_STATES],
                   n_warnings=sum(counts.values()),
                   books=[(b.value, b.label) for b in Book])


CHART_DEPARTMENTS = 20


@login_required
def departments(request: HttpRequest) -> HttpResponse:
    p = _period(request)
    book = request.GET.get("book", "")
    book = book if book in Book.values else ""
    rows = s.departments(p.congress_id, p.year, p.month, book=book)
    href = lambda code: f"{reverse('budget:department', args=[code])}?year={p.year}"  # noqa: E731
    table = _with_export(exports.departments_table(p.year, p.month, rows, href), p, {"book": book})
    # A city has 150 departments: the chart shows the slowest, the table below lists them all.
    slowest = rows[:CHART_DEPARTMENTS]
    chart = _progress_chart([r.name for r in slowest], [r.progress for r in slowest], s.time_progress(p.month))
    return _render(request, "budget/analysis/departments.html", p, "budget:departments", table=table, chart=chart,
                   book=book, books=[(b.value, b.label) for b in Book], charted=len(slowest), total=len(rows))


def _drill_page(request: HttpRequest, p: Period, params: dict[str, str], url: str, page: str,
                unit_name: str = "") -> HttpResponse:
    def href(key: str) -> str:
        return f"{url}?{urlencode({**level_params, next_param: key})}"

    try:
        level = exports.drill_level(p.congress_id, p.year, p.month, params)
    except exports.UnknownTable as exc:
        raise Http404("没有这个部门") from exc
    next_param = level.next_param
    level_params = {"year": str(p.year), **{k: v for k, v in params.items() if v is not None and k != "dept"}}
    _, table = exports.drill_for(p.congress_id, p.year, p.month, params, href if next_param else exports._none)
    table = _with_export(table, p, params)
    crumbs = [(label, f"{url}?{urlencode({k: v for k, v in q.items() if k != 'dept'})}")
              for label, q in level.crumbs]
    if level.months is not None:
        m = level.months
        chart = {"type": "line", "names": [f"{r.month}月" for r in m.months],
                 "series": [{"name": "累计进度（%）", "values": [r.progress for r in m.months]},
                            {"name": "序时进度（%）", "values": [r.time_progress for r in m.months]}]}
    else:
        rows = table.rows
        chart = _progress_chart([str(r[0]) for r in rows], [r[3] for r in rows], s.time_progress(p.month))
    return _render(request, "budget/analysis/drill.html", p, page, table=table, chart=chart, crumbs=crumbs,
                   level=level, unit_name=unit_name)


def _params(request: HttpRequest) -> dict[str, str]:
    out = {k: request.GET[k] for k in PARAMS if k in request.GET and k != "dept"}
    if "book" in out and out["book"] not in Book.values:
        out.pop("book")
    if "code" in out and not (out["code"].isdigit() and len(out["code"]) in (3, 5, 7)):
        out.pop("code")
    return out


@login_required
def drill(request: HttpRequest) -> HttpResponse:
    """全市 → 预算 → 类 → 款 → 项 → 部门 → 项目 → 逐月."""
    p = _period(request)
    return _drill_page(request, p, _params(request), reverse("budget:drill"), "budget:drill")


@login_required
def department(request: HttpRequest, code: str) -> HttpResponse:
    """One department: 类 → 款 → 项 → 项目 → 逐月."""
    p = _period(request)
    unit = s.unit_by_code(p.congress_id, code)
    if unit is None:
        raise Http404("没有这个部门")
    params = {**_params(request), "dept": unit.code}
    params.pop("unit", None)
    return _drill_page(request, p, params, reverse("budget:department", args=[unit.code]), "budget:departments",
                       unit.name)


@login_required
def yoy(request: HttpRequest) -> HttpResponse:
    p = _period(request)
    y = s.yoy(p.congress_id, p.year, p.month)
    tables = [_with_export(t, p) for t in exports.yoy_tables(y)]
    charts = [{"type": "bars", "names": [str(r[0]) for r in t.rows],
               "series": [{"name": f"{p.year}年", "values": [float(r[1]) for r in t.rows]},
                          {"name": f"{p.year - 1}年同期", "values": [float(r[2]) for r in t.rows]}]} for t in tables]
    return _render(request, "budget/analysis/yoy.html", p, "budget:yoy", panels=list(zip(tables, charts, strict=True)))


@login_required
def debt(request: HttpRequest) -> HttpResponse:
    p = _period(request)
    rows = s.debt(p.congress_id, p.year)
    tr = s.transfers(p.congress_id, p.year, p.today)
    totals = [r for r in rows if r.kind == "合计"]
    debt_chart = {"type": "bars", "names": [r.region for r in totals],
                  "series": [{"name": "债务余额", "values": [float(r.balance) for r in totals]},
                             {"name": "债务限额", "values": [float(r.limit) for r in totals]}]}
    transfer_chart = {"type": "bars", "names": [r.title for r in tr.rows],
                      "series": [{"name": "用时（天）", "values": [r.days for r in tr.rows]},
                                 {"name": "法定时限（天）", "values": [r.limit_days for r in tr.rows]}]}
    return _render(request, "budget/analysis/debt.html", p, "budget:debt",
                   debt_table=_with_export(exports.debt_table(p.year, rows), p), debt_chart=debt_chart,
                   transfer_table=_with_export(exports.transfers_table(p.year, tr), p), transfer_chart=transfer_chart,
                   tr=tr)


@login_required
def open_warnings(request: HttpRequest) -> HttpResponse:
    p = _period(request)
    _may_read_warnings(request)
    rows = s.open_warnings(p.congress_id, p.year)
    table = _with_export(exports.warnings_table(rows, lambda pk: reverse("cases:detail", args=[int(pk)])), p)
    counts = s.open_warning_counts(p.congress_id, p.year)
    chart = {"type": "bars", "names": [s.WARNING_STATE_LABELS[k] for k in s.OPEN_WARNING_STATES],
             "series": [{"name": "件数", "values": [counts.get(k, 0) for k in s.OPEN_WARNING_STATES]}]}
    return _render(request, "budget/analysis/warnings.html", p, "budget:open_warnings", table=table, chart=chart)


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    p = _period(request)
    ledger = s.audit_ledger(p.congress_id, p.year, p.today)
    units = _with_export(exports.audit_units_table(p.year, ledger), p)
    chart = {"type": "stack", "names": [u.unit for u in ledger.by_unit],
             "series": [{"name": "已整改", "values": [u.done for u in ledger.by_unit]},
                        {"name": "部分整改", "values": [u.partly for u in ledger.by_unit]},
                        {"name": "未整改", "values": [u.open for u in ledger.by_unit]}]}
    return _render(request, "budget/analysis/audit.html", p, "budget:audit", units=units, chart=chart,
                   table=_with_export(exports.audit_table(p.year, ledger), p), ledger=ledger)


@login_required
def export(request: HttpRequest, key: str) -> HttpResponse:
    p = _period(request)
    if key == "warnings":
        _may_read_warnings(request)
    params = {k: request.GET[k] for k in PARAMS if k in request.GET}
    try:
        table = exports.build(key, p.congress_id, p.year, params, p.today)
    except exports.UnknownTable as exc:
        raise Http404("没有这张表") from exc
    response = HttpResponse(table.xlsx(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{table.title}.xlsx")
    return response
