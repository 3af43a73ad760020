"""Every analysis chart's table, once: the page renders it below the chart and "导出Excel" writes
the very same rows (from the same selector call), so the download holds the page's numbers.

A `Table` is built from a selector's result; `build(key, ...)` rebuilds one for the export view
from the query string the page linked with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lvzhi.budget import selectors as s
from lvzhi.documents.excel import Column, Workbook

SHORT_LABEL = 12  # characters: what the browser checks keep on one line (lvzhi/testing_browser.py)

AMOUNT_FORMAT, PCT_FORMAT = "#,##0.00", "0.0"


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"  # text, amount (万元), pct, int, date, bool


@dataclass
class Table:
    key: str  # the export's name, in the URL
    title: str
    cols: list[Col]
    rows: list[list[Any]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # the first cell's link per row ("" for none)
    total: list[Any] | None = None
    export_url: str = ""  # set by the page: its "导出Excel" link

    def add(self, values: list[Any], href: str = "") -> None:
        self.rows.append(values)
        self.links.append(href)

    def shown(self) -> list[dict[str, Any]]:
        """The rows as the page prints them: strings, numbers right-aligned, a link on the first."""
        return [{"cells": [(show(v, c.kind), c.kind != "text") for v, c in zip(r, self.cols, strict=True)],
                 "href": h} for r, h in zip(self.rows, self.links, strict=True)]

    def body_html(self) -> SafeString:
        """The <tbody> rows, escaped here rather than in template loops: a 400-row ledger renders
        in milliseconds instead of half a second."""
        out = []
        for r, href in zip(self.rows, self.links, strict=True):
            cells = []
            for i, (v, c) in enumerate(zip(r, self.cols, strict=True)):
                plain = show(v, c.kind)
                text = escape(plain)
                # A short label (国有资本经营预算, 市档案馆) stays on one line, as Chinese has no
                # spaces to break at; the table scrolls sideways on a phone. Long names may wrap.
                keep = " text-nowrap" if len(plain) <= SHORT_LABEL else ""
                if i == 0:
                    link = f'<a class="lz-row-link" href="{escape(href)}">{text}</a>' if href else text
                    cells.append(f'<th scope="row" class="fw-normal{keep}">{link}</th>')
                else:
                    cells.append(f'<td class="text-end text-nowrap">{text}</td>' if c.kind != "text"
                                 else f'<td class="{keep.strip()}">{text}</td>' if keep else f"<td>{text}</td>")
            out.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(out))  # every value above went through escape()

    def shown_total(self) -> list[tuple[str, bool]] | None:
        if self.total is None:
            return None
        return [(show(v, c.kind), c.kind != "text") for v, c in zip(self.total, self.cols, strict=True)]

    def xlsx(self, subtitle: str = "") -> bytes:
        wb = Workbook()
        columns = [Column(c.header, number_format={"amount": AMOUNT_FORMAT, "pct": PCT_FORMAT}.get(c.kind))
                   for c in self.cols]
        sheet = wb.sheet(self.title, columns, title=f"{self.title}{subtitle}")
        for r in self.rows:
            sheet.row([_cell(v, c.kind) for v, c in zip(r, self.cols, strict=True)])
        if self.total is not None:
            sheet.row([_cell(v, c.kind) for v, c in zip(self.total, self.cols, strict=True)],
                      bold=[self.cols[0].header])
        sheet.note("金额单位：万元；百分比为%，差距为百分点。")
        return wb.to_bytes()


def show(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "amount":
        return f"{value:,.2f}"
    if kind == "pct":
        return f"{value:.1f}"
    if kind == "bool":
        return "是" if value else "否"
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _cell(value: Any, kind: str) -> Any:
    if kind == "bool":
        return "是" if value else "否"
    return value


Href = Callable[[str], str]


def _none(_: str) -> str:
    return ""


# ------------------------------------------------------------------------------ the tables

def books_table(ov: s.Overview) -> Table:
    t = Table("books", f"{ov.year}年四本预算执行情况（截至{ov.month}月）",
              [Col("预算"), Col("预算数", "amount"), Col("累计支出", "amount"), Col("支出进度（%）", "pct"),
               Col("序时进度（%）", "pct"), Col("差距（百分点）", "pct"), Col("累计收入", "amount")])
    for r in ov.books:
        t.add([r.label, r.budget, r.spent, r.progress, r.time_progress, r.gap, r.revenue])
    r = ov.total
    t.total = [r.label, r.budget, r.spent, r.progress, r.time_progress, r.gap, r.revenue]
    return t


def departments_table(year: int, month: int, rows: list[s.UnitRow], href: Href = _none) -> Table:
    t = Table("departments", f"{year}年各部门支出进度（截至{month}月）",
              [Col("部门"), Col("部门编码"), Col("预算数", "amount"), Col("累计支出", "amount"),
               Col("支出进度（%）", "pct"), Col("与序时进度差距（百分点）", "pct")])
    for r in rows:
        t.add([r.name, r.code, r.budget, r.spent, r.progress, r.gap], href(r.code))
    return t


def drill_table(title: str, drill: s.Drill, href: Href = _none) -> Table:
    t = Table("drill", title, [Col(drill.level or "项目"), Col("预算数", "amount"), Col("累计支出", "amount"),
                               Col("支出进度（%）", "pct"), Col("与序时进度差距（百分点）", "pct")])
    for r in drill.rows:
        t.add([r.label, r.budget, r.spent, r.progress, r.gap], href(r.key))
    t.total = ["合计", drill.budget, drill.spent, s.pct(drill.spent, drill.budget), None]
    return t


def months_table(title: str, pm: s.ProjectMonths) -> Table:
    t = Table("months", title, [Col("月份"), Col("本月支出", "amount"), Col("累计支出", "amount"),
                                Col("本月国库支付", "amount"),
                                Col("累计进度（%）", "pct"), Col("序时进度（%）", "pct")])
    for m in pm.months:
        t.add([f"{m.month}月", m.amount, m.cumulative, m.paid, m.progress, m.time_progress])
    return t


def yoy_table(key: str, title: str, rows: list[s.YoyRow]) -> Table:
    t = Table(key, title, [Col("项目"), Col("本年累计", "amount"), Col("上年同期", "amount"),
                           Col("增减", "amount"), Col("增减（%）", "pct")])
    for r in rows:
        t.add([r.label, r.this_year, r.last_year, r.change, r.change_pct])
    return t


def debt_table(year: int, rows: list[s.DebtRow]) -> Table:
    t = Table("debt", f"{year}年政府债务情况",
              [Col("地区"), Col("类型"), Col("债务余额", "amount"), Col("债务限额", "amount"),
               Col("当年到期", "amount"),
               Col("综合财力", "amount"), Col("债务率（%）", "pct"), Col("限额使用率（%）", "pct")])
    for r in rows:
        t.add([r.region, r.kind, r.balance, r.limit, r.due, r.capacity, r.ratio, r.limit_used])
    return t


def transfers_table(year: int, tr: s.Transfers) -> Table:
    t = Table("transfers", f"{year}年转移支付下达情况",
              [Col("项目"), Col("类型"), Col("文号"), Col("下达对象"), Col("金额", "amount"),
               Col("收到日期", "date"), Col("下达日期", "date"),
               Col("用时（天）", "int"), Col("法定时限（天）", "int"), Col("超过时限", "bool")])
    for r in tr.rows:
        t.add([r.title, r.kind, r.document, r.recipient, r.amount, r.received_on, r.passed_on, r.days,
               r.limit_days, r.late])
    return t


def warnings_table(rows: list[s.WarningRow], href: Href = _none) -> Table:
    t = Table("warnings", "未办结的预算预警",
              [Col("编号"), Col("预警"), Col("状态"), Col("部门"), Col("年度", "int"), Col("月份", "int"),
               Col("监测值", "amount"), Col("预警阈值", "amount")])
    for r in rows:
        t.add([r.number or f"内部编号{r.case_id}", r.title, r.state_label, r.unit, r.year, r.month or None,
               r.measured, r.threshold], href(str(r.case_id)))
    return t


def audit_table(year: int, ledger: s.AuditLedger) -> Table:
    t = Table("audit", f"{year}年度审计查出问题整改台账",
              [Col("问题编号"), Col("部门"), Col("问题"), Col("问题类别"), Col("涉及金额", "amount"), Col("整改情况"),
               Col("审计工作报告日期", "date"), Col("整改完成日期", "date"), Col("已历月数", "int"),
               Col("超六个月未整改", "bool")])
    for r in ledger.rows:
        t.add([r.number, r.unit, r.title, r.category, r.amount, r.status, r.reported_on, r.rectified_on,
               r.months_open, r.overdue])
    return t


def audit_units_table(year: int, ledger: s.AuditLedger) -> Table:
    t = Table("audit_units", f"{year}年度审计查出问题整改情况（按部门）",
              [Col("部门"), Col("问题数", "int"), Col("已整改", "int"), Col("部分整改", "int"), Col("未整改", "int"),
               Col("超六个月未整改", "int")])
    for u in ledger.by_unit:
        t.add([u.unit, u.total, u.done, u.partly, u.open, u.overdue])
    return t


def changes_table(key: str, title: str, rows: list[s.ChangeRow], what: str) -> Table:
    t = Table(key, title, [Col(what), Col("草案数", "amount"), Col("上年预算数", "amount"), Col("增减", "amount"),
                           Col("增减（%）", "pct")])
    for r in rows:
        t.add([r.label, r.draft, r.last, r.change, r.change_pct])
    return t


def draft_tables(dc: s.DraftChanges) -> list[Table]:
    y = dc.year
    return [changes_table("unit_up", f"{y}年预算草案增加最多的部门", dc.unit_increases, "部门"),
            changes_table("unit_down", f"{y}年预算草案减少最多的部门", dc.unit_decreases, "部门"),
            changes_table("function_up", f"{y}年预算草案增加最多的功能分类（类）", dc.function_increases, "功能分类"),
            changes_table("function_down", f"{y}年预算草案减少最多的功能分类（类）", dc.function_decreases, "功能分类")]


# ------------------------------------------------------------------------------ the export view's entry

class UnknownTable(Exception):
    pass


def build(key: str, congress_id: int, year: int, params: dict[str, str], today: dt.date) -> Table:
    """The table `key` of the page the query string names (year, book, unit, code, project)."""
    month = s.latest_month(congress_id, year)
    book = params.get("book", "")
    if key == "books":
        return books_table(s.overview(congress_id, year, month))
    if key == "departments":
        return departments_table(year, month, s.departments(congress_id, year, month, book=book))
    if key in ("drill", "months"):
        return drill_for(congress_id, year, month, params)[1]
    if key in ("yoy_books", "yoy_revenue", "yoy_functions"):
        return yoy_tables(s.yoy(congress_id, year, month))[["yoy_books", "yoy_revenue", "yoy_functions"].index(key)]
    if key == "debt":
        return debt_table(year, s.debt(congress_id, year))
    if key == "transfers":
        return transfers_table(year, s.transfers(congress_id, year, today))
    if key == "warnings":
        return warnings_table(s.open_warnings(congress_id, year))
    if key in ("audit", "audit_units"):
        ledger = s.audit_ledger(congress_id, year, today)
        return audit_table(year, ledger) if key == "audit" else audit_units_table(year, ledger)
    if key in ("unit_up", "unit_down", "function_up", "function_down"):
        return next(t for t in draft_tables(s.draft_changes(congress_id, year)) if t.key == key)
    raise UnknownTable(key)


def yoy_tables(y: s.Yoy) -> list[Table]:
    head = f"{y.year}年与{y.year - 1}年1至{y.month}月"
    return [yoy_table("yoy_books", f"{head}支出对比（按预算）", y.books),
            yoy_table("yoy_revenue", f"{head}收入对比（按预算）", y.revenue),
            yoy_table("yoy_functions", f"{head}支出对比（按功能分类类级）", y.functions)]


@dataclass
class DrillLevel:
    """Where a drill-down stands: the crumbs above, the level's rows, what a row opens."""

    crumbs: list[tuple[str, dict[str, str]]]  # label, query params
    drill: s.Drill | None
    months: s.ProjectMonths | None
    next_param: str  # the parameter a row's key sets ("" for the monthly view)


def drill_level(congress_id: int, year: int, month: int, params: dict[str, str]) -> DrillLevel:
    """The city-wide (book → 类 → 款 → 项 → 部门 → 项目 → 月) or one department's (类 → 款 → 项 →
    项目 → 月) drill-down, from the query parameters (`dept` fixes the department)."""
    book, code, unit_code = params.get("book", ""), params.get("code", ""), params.get("unit", "")
    project = params.get("project")
    dept = params.get("dept", "")
    base: dict[str, str] = {"year": str(year)}
    crumbs: list[tuple[str, dict[str, str]]] = []
    if dept:
        base["dept"] = dept
        unit_code = dept
    unit = s.unit_by_code(congress_id, unit_code) if unit_code else None
    if dept and unit is None:
        raise UnknownTable(dept)
    if not dept:
        crumbs.append(("全市", dict(base)))
        if not book:
            return DrillLevel(crumbs, None, None, "book")
        base["book"] = book
        crumbs.append((s.BOOK_LABELS.get(book, book), dict(base)))
    else:
        crumbs.append((unit.name, dict(base)))
    for n in (3, 5, 7):
        if len(code) >= n:
            base["code"] = code[:n]
            crumbs.append((f"{code[:n]} {s.codes.name(s.codes.FUNCTION, code[:n])}", dict(base)))
    if len(code) < 7:
        d = s.drill_codes(congress_id, year, month, code=code, book=book, unit_id=unit.pk if dept else None)
        return DrillLevel(crumbs, d, None, "code")
    if not dept and unit is None:
        return DrillLevel(crumbs, s.drill_units(congress_id, year, month, code=code, book=book), None, "unit")
    if not dept:
        base["unit"] = unit.code
        crumbs.append((unit.name, dict(base)))
    if project is None:
        return DrillLevel(crumbs, s.drill_projects(congress_id, year, month, unit_id=unit.pk, code=code, book=book),
                          None, "project")
    base["project"] = project
    pm = s.project_months(congress_id, year, month, unit_id=unit.pk, project_code=project, code=code)
    crumbs.append((pm.name, dict(base)))
    return DrillLevel(crumbs, None, pm, "")


def drill_for(congress_id: int, year: int, month: int, params: dict[str, str],
              href: Href = _none) -> tuple[DrillLevel, Table]:
    level = drill_level(congress_id, year, month, params)
    title = f"{year}年" + "／".join(c[0] for c in level.crumbs) + f"（截至{month}月）"
    if level.months is not None:
        return level, months_table(title + "逐月执行", level.months)
    if level.drill is None:  # the books
        ov = s.overview(congress_id, year, month)
        d = s.Drill("预算", [s.DrillRow(r.book, r.label, r.budget, r.spent, r.progress, r.gap) for r in ov.books],
                    ov.total.budget, ov.total.spent)
        return level, drill_table(title, d, href)
    return level, drill_table(title, level.drill, href)

