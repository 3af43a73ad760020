"""The budget analysis's aggregations, shared by the pages, the API and the 专项监督报告.

Every function reads current revisions only (the current imports' ids, or `objects.current()`),
one congress and one budget year, and sums in the database (values().annotate(Sum)): a page asks a handful of grouped
queries whatever the number of execution rows. Amounts are Decimal 万元; percentages are floats
rounded to one decimal, None where the base is zero.

"As of" is the latest month of the year that has execution data; time progress (序时进度) is
that month ÷ 12.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Sum
from django.db.models.functions import Substr

from lvzhi.budget import codes
from lvzhi.budget.models import (
    AuditFinding,
    Book,
    BudgetImport,
    BudgetLine,
    BudgetUnit,
    Dataset,
    Debt,
    DebtKind,
    ExecutionLine,
    Flow,
    Rectification,
    Transfer,
    TransferKind,
    WarningDetail,
)

ZERO = Decimal("0")
OPEN_WARNING_STATES = ("raised", "pushed", "answered")
WARNING_STATE_LABELS = {"raised": "待甄别", "pushed": "待说明", "answered": "已说明"}
# 预算法 第五十二条: 一般性转移支付 within 30 days, 专项 within 60.
TRANSFER_DAYS = {TransferKind.GENERAL: 30, TransferKind.SPECIAL: 60}
BOOK_LABELS = dict(Book.choices)


def pct(part: Decimal | None, whole: Decimal | None) -> float | None:
    if not whole:
        return None
    return round(float((part or ZERO) * 100 / whole), 1)


def _gap(progress: float | None, time_progress: float) -> float | None:
    return None if progress is None else round(progress - time_progress, 1)


# ------------------------------------------------------------------------------ the period

def import_ids(congress_id: int, dataset: str, years: tuple[int, ...], month: int | None = None) -> list[int]:
    """The current imports of a dataset for the years (and months up to `month`). The facts are
    then filtered by import id, so the planner walks the (imp, unit) index instead of joining the
    import table for every one of 200,000 rows."""
    qs = BudgetImport.objects.current(congress_id, dataset).filter(year__in=years)
    if month is not None:
        qs = qs.filter(month__lte=month)
    return list(qs.values_list("pk", flat=True))


def budget_lines(congress_id: int, year: int, dataset: str = Dataset.BUDGET):
    return BudgetLine.objects.filter(imp_id__in=import_ids(congress_id, dataset, (year,)))


def spending(congress_id: int, year: int, month: int):
    """Cumulative expenditure rows, January to `month`."""
    return ExecutionLine.objects.filter(imp_id__in=import_ids(congress_id, Dataset.EXECUTION, (year,), month),
                                        flow=Flow.EXPENDITURE)


def _current_imports(congress_id: int, *datasets: str):
    return BudgetImport.objects.current(congress_id, *datasets)


def years(congress_id: int) -> list[int]:
    """Budget years with a budget or execution, newest first (read from the imports, not the facts)."""
    return sorted(set(_current_imports(congress_id, Dataset.BUDGET, Dataset.EXECUTION)
                      .values_list("year", flat=True).distinct()), reverse=True)


def latest_month(congress_id: int, year: int) -> int:
    """The last month of `year` with execution data (0 when none)."""
    m = _current_imports(congress_id, Dataset.EXECUTION).filter(year=year).aggregate(m=Max("month"))["m"]
    return m or 0


def time_progress(month: int) -> float:
    return round(month * 100 / 12, 1)


# ------------------------------------------------------------------------------ 1. the books

@dataclass
class BookRow:
    book: str  # Book code, "" for the total
    label: str
    budget: Decimal  # approved budget (万元)
    spent: Decimal  # cumulative expenditure to the month
    revenue: Decimal  # cumulative revenue to the month
    progress: float | None  # spent ÷ budget, %
    time_progress: float
    gap: float | None  # progress − time progress, points (negative: behind)


@dataclass
class Overview:
    year: int
    month: int
    time_progress: float
    books: list[BookRow]
    total: BookRow


def overview(congress_id: int, year: int, month: int | None = None) -> Overview:
    """The four books' budget, spending and revenue to the month: 3 grouped queries."""
    month = latest_month(congress_id, year) if month is None else month
    tp = time_progress(month)
    budget = dict(budget_lines(congress_id, year).values_list("book").annotate(s=Sum("amount")))
    flows: dict[tuple[str, str], Decimal] = {
        (b, f): s for b, f, s in ExecutionLine.objects
        .filter(imp_id__in=import_ids(congress_id, Dataset.EXECUTION, (year,), month))
        .values_list("book", "flow").annotate(s=Sum("amount"))}
    rows = []
    for code, label in Book.choices:
        b = budget.get(code) or ZERO
        s = flows.get((code, Flow.EXPENDITURE)) or ZERO
        p = pct(s, b)
        rows.append(BookRow(code, label, b, s, flows.get((code, Flow.REVENUE)) or ZERO, p, tp, _gap(p, tp)))
    tb, ts = sum((r.budget for r in rows), ZERO), sum((r.spent for r in rows), ZERO)
    tp_total = pct(ts, tb)
    total = BookRow("", "合计", tb, ts, sum((r.revenue for r in rows), ZERO), tp_total, tp, _gap(tp_total, tp))
    return Overview(year, month, tp, rows, total)


# ------------------------------------------------------------------------------ 2. departments

@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    budget: Decimal
    spent: Decimal
    progress: float | None
    gap: float | None


def departments(congress_id: int, year: int, month: int, *, book: str = "") -> list[UnitRow]:
    """Departments with a budget or spending, slowest first (progress ascending, None last)."""
    lines = budget_lines(congress_id, year)
    spent = spending(congress_id, year, month).filter(unit__isnull=False)
    if book:
        lines, spent = lines.filter(book=book), spent.filter(book=book)
    budget = dict(lines.values_list("unit_id").annotate(s=Sum("amount")))
    # Grouped on an expression, not the bare column: SQLite would otherwise walk the unit_id index
    # to skip a sort, reading all 200,000 rows at random (1.6 s against 0.14 s); PostgreSQL hashes either way.
    paid = dict(spent.annotate(u=F("unit_id") + 0).values_list("u").annotate(s=Sum("amount")))
    tp = time_progress(month)
    units = BudgetUnit.objects.filter(pk__in=set(budget) | set(paid)).values_list("pk", "code", "name")
    rows = []
    for pk, code, name in units:
        b, s = budget.get(pk) or ZERO, paid.get(pk) or ZERO
        p = pct(s, b)
        rows.append(UnitRow(pk, code, name, b, s, p, _gap(p, tp)))
    rows.sort(key=lambda r: (r.progress is None, r.progress if r.progress is not None else 0, r.code))
    return rows


# ------------------------------------------------------------------------------ 3. drill-down

@dataclass
class DrillRow:
    key: str  # the next level's parameter: a function code, a unit code or a project code
    label: str
    budget: Decimal
    spent: Decimal
    progress: float | None
    gap: float | None


@dataclass
class Drill:
    level: str  # "类", "款", "项", "部门" or "项目"
    rows: list[DrillRow]
    budget: Decimal  # the sums of the rows: equal to the parent's row
    spent: Decimal


def _drill_rows(budget: dict[str, Decimal], spent: dict[str, Decimal], labels: dict[str, str],
                tp: float) -> list[DrillRow]:
    rows = []
    for key in sorted(set(budget) | set(spent)):
        b, s = budget.get(key) or ZERO, spent.get(key) or ZERO
        p = pct(s, b)
        rows.append(DrillRow(key, labels.get(key) or key, b, s, p, _gap(p, tp)))
    rows.sort(key=lambda r: -r.budget)
    return rows


def _drill(rows: list[DrillRow], level: str) -> Drill:
    return Drill(level, rows, sum((r.budget for r in rows), ZERO), sum((r.spent for r in rows), ZERO))


def drill_codes(congress_id: int, year: int, month: int, *, code: str = "", book: str = "",
                unit_id: int | None = None) -> Drill:
    """The 功能分类 children of `code` ("" → the 类) with their budget and spending, for one book
    and/or one department: 2 grouped queries on a code prefix."""
    n = len(code) + 2 if code else 3
    lines = budget_lines(congress_id, year).filter(function_code__startswith=code)
    spent = spending(congress_id, year, month).filter(code__startswith=code)
    if book:
        lines, spent = lines.filter(book=book), spent.filter(book=book)
    if unit_id:
        lines, spent = lines.filter(unit_id=unit_id), spent.filter(unit_id=unit_id)
    budget = dict(lines.annotate(k=Substr("function_code", 1, n)).values_list("k").annotate(s=Sum("amount")))
    paid = dict(spent.annotate(k=Substr("code", 1, n)).values_list("k").annotate(s=Sum("amount")))
    labels = {k: f"{k} {codes.name(codes.FUNCTION, k)}" for k in set(budget) | set(paid)}
    return _drill(_drill_rows(budget, paid, labels, time_progress(month)), codes.LEVEL_LABELS.get(n, ""))


def drill_units(congress_id: int, year: int, month: int, *, code: str, book: str = "") -> Drill:
    """The departments under a 功能分类 code (keyed by unit code)."""
    lines = budget_lines(congress_id, year).filter(function_code__startswith=code)
    spent = spending(congress_id, year, month).filter(code__startswith=code, unit__isnull=False)
    if book:
        lines, spent = lines.filter(book=book), spent.filter(book=book)
    by_id = dict(lines.values_list("unit_id").annotate(s=Sum("amount")))
    paid_id = dict(spent.annotate(u=F("unit_id") + 0).values_list("u").annotate(s=Sum("amount")))  # as departments()
    units = {pk: (code, name) for pk, code, name in BudgetUnit.objects.filter(pk__in=set(by_id) | set(paid_id))
             .values_list("pk", "code", "name")}
    budget = {units[pk][0]: v for pk, v in by_id.items()}
    paid = {units[pk][0]: v for pk, v in paid_id.items()}
    labels = {code: name for code, name in units.values()}
    return _drill(_drill_rows(budget, paid, labels, time_progress(month)), "部门")


def drill_projects(congress_id: int, year: int, month: int, *, unit_id: int, code: str = "",
                   book: str = "") -> Drill:
    """One department's projects under a code (key "" is 基本支出)."""
    lines = budget_lines(congress_id, year).filter(unit_id=unit_id, function_code__startswith=code)
    spent = spending(congress_id, year, month).filter(unit_id=unit_id, code__startswith=code)
    if book:
        lines, spent = lines.filter(book=book), spent.filter(book=book)
    budget = dict(lines.values_list("project_code").annotate(s=Sum("amount")))
    paid = dict(spent.values_list("project_code").annotate(s=Sum("amount")))
    labels = {pc: name for pc, name in lines.exclude(project_code="").values_list("project_code", "project_name")}
    labels[""] = "基本支出"
    return _drill(_drill_rows(budget, paid, labels, time_progress(month)), "项目")


@dataclass
class MonthRow:
    month: int
    amount: Decimal  # spent that month
    cumulative: Decimal
    paid: Decimal  # 国库支付 that month
    progress: float | None  # cumulative ÷ the project's budget
    time_progress: float


@dataclass
class ProjectMonths:
    project_code: str
    name: str
    budget: Decimal
    months: list[MonthRow] = field(default_factory=list)


def project_months(congress_id: int, year: int, month: int, *, unit_id: int, project_code: str,
                   code: str = "") -> ProjectMonths:
    lines = budget_lines(congress_id, year).filter(unit_id=unit_id, project_code=project_code,
                                                   function_code__startswith=code)
    agg = lines.aggregate(s=Sum("amount"), n=Max("project_name"))
    budget = agg["s"] or ZERO
    by_month = {m: (a, p) for m, a, p in spending(congress_id, year, month)
                .filter(unit_id=unit_id, project_code=project_code, code__startswith=code)
                .values_list("month").annotate(a=Sum("amount"), p=Sum("paid"))}
    out = ProjectMonths(project_code, agg["n"] or project_code or "基本支出", budget)
    cum = ZERO
    for m in range(1, month + 1):
        a, p = by_month.get(m, (ZERO, ZERO))
        cum += a or ZERO
        out.months.append(MonthRow(m, a or ZERO, cum, p or ZERO, pct(cum, budget), time_progress(m)))
    return out


# ------------------------------------------------------------------------------ 4. year on year

@dataclass
class YoyRow:
    key: str
    label: str
    this_year: Decimal  # to the month
    last_year: Decimal  # to the same month
    change: Decimal
    change_pct: float | None


@dataclass
class Yoy:
    year: int
    month: int
    books: list[YoyRow]  # expenditure by book
    revenue: list[YoyRow]  # revenue by book
    functions: list[YoyRow]  # expenditure by 功能分类 类


def _yoy_rows(now: dict[str, Decimal], before: dict[str, Decimal], labels: dict[str, str],
              order: list[str] | None = None) -> list[YoyRow]:
    keys = order if order is not None else sorted(set(now) | set(before))
    rows = []
    for k in keys:
        a, b = now.get(k) or ZERO, before.get(k) or ZERO
        rows.append(YoyRow(k, labels.get(k, k), a, b, a - b, pct(a - b, b)))
    return rows


def yoy(congress_id: int, year: int, month: int) -> Yoy:
    """This year's and last year's execution to the same month: one grouped query (flow, book,
    类) per year, rolled up here (two smaller sorts beat one over both years on SQLite)."""
    flows: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    cats: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for y in (year, year - 1):
        rows = (ExecutionLine.objects.filter(imp_id__in=import_ids(congress_id, Dataset.EXECUTION, (y,), month))
                .annotate(k=Substr("code", 1, 3)).values_list("flow", "book", "k").annotate(s=Sum("amount")))
        for f, b, k, total in rows:
            flows[(y, f)][b] += total
            if f == Flow.EXPENDITURE:
                cats[y][k] += total
    order = [c for c, _ in Book.choices]
    books = _yoy_rows(flows[(year, Flow.EXPENDITURE)], flows[(year - 1, Flow.EXPENDITURE)], BOOK_LABELS, order)
    revenue = _yoy_rows(flows[(year, Flow.REVENUE)], flows[(year - 1, Flow.REVENUE)], BOOK_LABELS, order)
    labels = {k: f"{k} {codes.name(codes.FUNCTION, k)}" for k in set(cats[year]) | set(cats[year - 1])}
    return Yoy(year, month, books, revenue, _yoy_rows(cats[year], cats[year - 1], labels))


# ------------------------------------------------------------------------------ 5. debt and transfers

@dataclass
class DebtRow:
    region: str
    kind: str  # DebtKind label, "合计" for a region's total
    balance: Decimal
    limit: Decimal
    due: Decimal
    capacity: Decimal
    ratio: float | None  # 债务率 = balance ÷ 综合财力, %
    limit_used: float | None  # balance ÷ limit, %


def debt(congress_id: int, year: int) -> list[DebtRow]:
    """Each region's debt by kind, then the region's total. A region's 综合财力 is the sum of its
    rows (as the import's columns say and the debt rule reads it); each kind's ratio is on it too."""
    rows = list(Debt.objects.current().filter(congress_id=congress_id, year=year)
                .values_list("region", "kind").annotate(b=Sum("balance"), lim=Sum("limit"), d=Sum("due"),
                                                        c=Sum("capacity")).order_by("region", "kind"))
    kinds = dict(DebtKind.choices)
    out: list[DebtRow] = []
    by_region: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        by_region[r[0]].append(r)
    for region, items in by_region.items():
        c = sum((i[5] for i in items), ZERO)
        for _, k, b, lim, d, _c in items:
            out.append(DebtRow(region, kinds.get(k, k), b, lim, d, c, pct(b, c), pct(b, lim)))
        b = sum((i[2] for i in items), ZERO)
        lim = sum((i[3] for i in items), ZERO)
        d = sum((i[4] for i in items), ZERO)
        out.append(DebtRow(region, "合计", b, lim, d, c, pct(b, c), pct(b, lim)))
    return out


@dataclass
class TransferRow:
    title: str
    kind: str  # label
    document: str
    recipient: str
    amount: Decimal
    received_on: dt.date
    passed_on: dt.date | None
    days: int | None  # received → passed down (or → today while not passed)
    limit_days: int  # 30 or 60 (预算法 第五十二条)
    late: bool


@dataclass
class Transfers:
    rows: list[TransferRow]
    received: Decimal
    passed: Decimal
    late: int


def transfers(congress_id: int, year: int, today: dt.date) -> Transfers:
    kinds = dict(TransferKind.choices)
    rows = []
    for t in Transfer.objects.current().filter(congress_id=congress_id, year=year).order_by("received_on", "id"):
        end = t.passed_on or today
        days = (end - t.received_on).days
        limit = TRANSFER_DAYS.get(t.kind, 30)
        rows.append(TransferRow(t.title, kinds.get(t.kind, t.kind), t.document, t.recipient, t.amount,
                                t.received_on, t.passed_on, days, limit, days > limit))
    return Transfers(rows, sum((r.amount for r in rows), ZERO),
                     sum((r.amount for r in rows if r.passed_on), ZERO), sum(1 for r in rows if r.late))


# ------------------------------------------------------------------------------ 6. open warnings

@dataclass
class WarningRow:
    case_id: int
    number: str
    title: str
    state: str
    state_label: str
    rule: str
    unit: str
    year: int
    month: int
    measured: Decimal | None
    threshold: Decimal | None


def open_warnings(congress_id: int, year: int | None = None) -> list[WarningRow]:
    """Warnings in 待甄别, 待说明 or 已说明 (the warnings part owns the kind; this only reads)."""
    qs = (WarningDetail.objects.filter(congress_id=congress_id, case__state__in=OPEN_WARNING_STATES)
          .select_related("case", "unit").order_by("-case__id"))
    if year:
        qs = qs.filter(year=year)
    return [WarningRow(w.case_id, w.case.number, w.case.title, w.case.state,
                       WARNING_STATE_LABELS.get(w.case.state, w.case.state), w.rule,
                       w.unit.name if w.unit else "", w.year, w.month, w.measured, w.threshold) for w in qs]


def open_warning_counts(congress_id: int, year: int | None = None) -> dict[str, int]:
    qs = WarningDetail.objects.filter(congress_id=congress_id, case__state__in=OPEN_WARNING_STATES)
    if year:
        qs = qs.filter(year=year)
    return dict(qs.values_list("case__state").annotate(n=Count("pk")))


# ------------------------------------------------------------------------------ 7. audit ledger

@dataclass
class AuditRow:
    number: str
    unit: str
    title: str
    category: str
    amount: Decimal | None
    status: str  # label
    reported_on: dt.date
    rectified_on: dt.date | None
    months_open: int  # reported → rectified (or → today)
    overdue: bool  # not done after six months (监督法 第二十七条)


@dataclass
class AuditUnitRow:
    unit: str
    total: int
    done: int
    partly: int
    open: int
    overdue: int


@dataclass
class AuditLedger:
    rows: list[AuditRow]
    by_unit: list[AuditUnitRow]


def months_between(start: dt.date, end: dt.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0))


def audit_ledger(congress_id: int, year: int, today: dt.date) -> AuditLedger:
    labels = dict(Rectification.choices)
    rows = []
    for f in (AuditFinding.objects.current().filter(congress_id=congress_id, year=year).select_related("unit")
              .order_by("unit__sort_order", "unit__code", "number")):
        end = f.rectified_on if f.status == Rectification.DONE and f.rectified_on else today
        months = months_between(f.reported_on, end)
        rows.append(AuditRow(f.number, f.unit.name, f.title, f.category, f.amount, labels.get(f.status, f.status),
                             f.reported_on, f.rectified_on, months,
                             f.status != Rectification.DONE and months >= 6))
    units: dict[str, AuditUnitRow] = {}
    done, partly = labels[Rectification.DONE], labels[Rectification.PARTLY]
    for r in rows:
        u = units.setdefault(r.unit, AuditUnitRow(r.unit, 0, 0, 0, 0, 0))
        u.total += 1
        u.done += r.status == done
        u.partly += r.status == partly
        u.open += r.status not in (done, partly)
        u.overdue += r.overdue
    return AuditLedger(rows, list(units.values()))


# ------------------------------------------------------------------------------ 8. the draft's changes

@dataclass
class ChangeRow:
    key: str
    label: str
    draft: Decimal  # this year's draft
    last: Decimal  # last year's approved budget
    change: Decimal
    change_pct: float | None


@dataclass
class DraftChanges:
    year: int
    draft_total: Decimal
    last_total: Decimal
    unit_increases: list[ChangeRow]
    unit_decreases: list[ChangeRow]
    function_increases: list[ChangeRow]
    function_decreases: list[ChangeRow]


def _changes(now: dict[str, Decimal], before: dict[str, Decimal], labels: dict[str, str],
             top: int) -> tuple[list[ChangeRow], list[ChangeRow]]:
    rows = _yoy_rows(now, before, labels)
    changes = [ChangeRow(r.key, r.label, r.this_year, r.last_year, r.change, r.change_pct) for r in rows]
    ups = sorted((r for r in changes if r.change > 0), key=lambda r: -r.change)[:top]
    downs = sorted((r for r in changes if r.change < 0), key=lambda r: r.change)[:top]
    return ups, downs


def draft_changes(congress_id: int, year: int, top: int = 10) -> DraftChanges:
    """The draft budget of `year` against `year - 1`'s approved budget, by department and by 类."""
    draft = budget_lines(congress_id, year, Dataset.DRAFT)
    last = budget_lines(congress_id, year - 1, Dataset.BUDGET)
    du = dict(draft.values_list("unit__code").annotate(s=Sum("amount")))
    lu = dict(last.values_list("unit__code").annotate(s=Sum("amount")))
    ulabels = dict(BudgetUnit.objects.filter(congress_id=congress_id, code__in=set(du) | set(lu))
                   .values_list("code", "name"))
    df = dict(draft.annotate(k=Substr("function_code", 1, 3)).values_list("k").annotate(s=Sum("amount")))
    lf = dict(last.annotate(k=Substr("function_code", 1, 3)).values_list("k").annotate(s=Sum("amount")))
    flabels = {k: f"{k} {codes.name(codes.FUNCTION, k)}" for k in set(df) | set(lf)}
    ui, ud = _changes(du, lu, ulabels, top)
    fi, fd = _changes(df, lf, flabels, top)
    return DraftChanges(year, sum(du.values(), ZERO), sum(lu.values(), ZERO), ui, ud, fi, fd)


def draft_years(congress_id: int) -> list[int]:
    """Years with a draft budget, newest first."""
    return sorted(set(_current_imports(congress_id, Dataset.DRAFT).values_list("year", flat=True).distinct()),
                  reverse=True)


def unit_by_code(congress_id: int, code: str) -> BudgetUnit | None:
    return BudgetUnit.objects.filter(congress_id=congress_id, code=code).first()

