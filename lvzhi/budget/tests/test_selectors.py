"""The analysis aggregations on fixed, hand-counted data: progress against time progress, drill
sums equal to their parent, year on year to the same month, debt ratio, transfer days, the
audit ledger's months, the draft's changes; and only current revisions count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from lvzhi.budget import selectors as s
from lvzhi.budget.models import (
    AuditFinding,
    Book,
    BudgetImport,
    BudgetLine,
    Dataset,
    Debt,
    DebtKind,
    ExecutionLine,
    Flow,
    Rectification,
    Transfer,
    TransferKind,
)
from lvzhi.budget.testing import BudgetWorld, budget_world

pytestmark = pytest.mark.django_db

Y = 2026
D = Decimal
EDU, CIVIL = "105001", "108001"
TODAY = dt.date(2026, 4, 15)


@dataclass
class Fixed:
    bw: BudgetWorld
    cid: int


def _imp(bw: BudgetWorld, dataset: str, year: int, month: int = 0, *, current: bool = True,
         revision: int = 1) -> BudgetImport:
    return BudgetImport.objects.create(congress=bw.world.congress, dataset=dataset, year=year, month=month,
                                       source="市财政局", revision=revision, is_current=current, digest="x",
                                       filename="t.xlsx", by=bw.officer)


def _budget(bw, imp, unit, code, amount, project="", name="", book=Book.GENERAL):
    BudgetLine.objects.create(imp=imp, congress=bw.world.congress, year=imp.year, book=book, unit=bw.units[unit],
                              project_code=project, project_name=name, function_code=code, amount=D(amount))


def _spend(bw, imp, unit, code, amount, project="", book=Book.GENERAL, paid=None):
    ExecutionLine.objects.create(imp=imp, congress=bw.world.congress, year=imp.year, month=imp.month, book=book,
                                 flow=Flow.EXPENDITURE, unit=bw.units[unit], project_code=project, code=code,
                                 amount=D(amount), paid=D(paid if paid is not None else amount))


def _revenue(bw, imp, code, amount, book=Book.GENERAL):
    ExecutionLine.objects.create(imp=imp, congress=bw.world.congress, year=imp.year, month=imp.month, book=book,
                                 flow=Flow.REVENUE, code=code, amount=D(amount))


def build_fixed(bw: BudgetWorld) -> Fixed:
    """2026: general budget 2,100 (教育局 幼儿园建设 1,000 + 小学 500, 民政局 低保 600), fund 400;
    three months spent (教育局 300 + 150, 民政局 60, fund 40); 2025 the same three months 240
    (and a fourth that must not count); a superseded March with huge figures; debt, transfers,
    audit findings; a 2027 draft."""
    b = _imp(bw, Dataset.BUDGET, Y)
    _budget(bw, b, EDU, "2050201", "1000", "P1", "幼儿园建设")
    _budget(bw, b, EDU, "2050202", "500")
    _budget(bw, b, CIVIL, "2081901", "600")
    _budget(bw, b, CIVIL, "2120801", "400", "F1", "征地补偿", book=Book.FUND)
    for m in (1, 2, 3):
        e = _imp(bw, Dataset.EXECUTION, Y, m)
        _spend(bw, e, EDU, "2050201", "100", "P1", paid="90")
        _spend(bw, e, EDU, "2050202", "50")
        _spend(bw, e, CIVIL, "2081901", "20")
        _spend(bw, e, CIVIL, "2120801", "40" if m == 3 else "0", "F1", book=Book.FUND)
        _revenue(bw, e, "1010101", "1000")
    old = _imp(bw, Dataset.EXECUTION, Y, 3, current=False, revision=0)
    _spend(bw, old, EDU, "2050201", "99999", "P1")
    last = _imp(bw, Dataset.BUDGET, Y - 1)
    _budget(bw, last, EDU, "2050201", "900", "P1", "幼儿园建设")
    _budget(bw, last, CIVIL, "2081901", "800")
    for m in (1, 2, 3, 4):
        e = _imp(bw, Dataset.EXECUTION, Y - 1, m)
        _spend(bw, e, EDU, "2050201", "80" if m < 4 else "999", "P1")
        _revenue(bw, e, "1010101", "800")
    draft = _imp(bw, Dataset.DRAFT, Y + 1)
    _budget(bw, draft, EDU, "2050201", "1300", "P1", "幼儿园建设")  # 教育局 1,500 → 1,300 + 500 = 1,800
    _budget(bw, draft, EDU, "2050202", "500")
    _budget(bw, draft, CIVIL, "2081901", "450")  # 600 + 400 → 450
    c = bw.world.congress
    debt = _imp(bw, Dataset.DEBT, Y)
    Debt.objects.create(imp=debt, congress=c, year=Y, region="本级", kind=DebtKind.GENERAL, balance=D("800"),
                        limit=D("1000"), due=D("100"), capacity=D("600"))
    Debt.objects.create(imp=debt, congress=c, year=Y, region="本级", kind=DebtKind.SPECIAL, balance=D("400"),
                        limit=D("500"), due=D("50"), capacity=D("400"))  # the region's 综合财力: 600 + 400
    tr = _imp(bw, Dataset.TRANSFER, Y)
    Transfer.objects.create(imp=tr, congress=c, year=Y, kind=TransferKind.GENERAL, title="均衡性转移支付",
                            recipient="城东区", amount=D("300"), received_on=dt.date(2026, 1, 10),
                            passed_on=dt.date(2026, 2, 20))
    Transfer.objects.create(imp=tr, congress=c, year=Y, kind=TransferKind.SPECIAL, title="义务教育补助",
                            recipient="城西区", amount=D("200"), received_on=dt.date(2026, 1, 10),
                            passed_on=dt.date(2026, 2, 20))
    Transfer.objects.create(imp=tr, congress=c, year=Y, kind=TransferKind.SPECIAL, title="农村公路",
                            recipient="城南区", amount=D("100"), received_on=dt.date(2026, 2, 1))
    au = _imp(bw, Dataset.AUDIT, Y)
    AuditFinding.objects.create(imp=au, congress=c, year=Y, number="SJ-1", unit=bw.units[EDU], title="专项资金闲置",
                                reported_on=dt.date(2025, 6, 30), status=Rectification.OPEN, amount=D("120"))
    AuditFinding.objects.create(imp=au, congress=c, year=Y, number="SJ-2", unit=bw.units[EDU], title="超标准采购",
                                reported_on=dt.date(2025, 6, 30), status=Rectification.DONE,
                                rectified_on=dt.date(2025, 9, 30))
    return Fixed(bw, c.pk)


@pytest.fixture
def fixed(db) -> Fixed:
    return build_fixed(budget_world())


def test_books_progress_against_time_progress_read_current_revisions_only(fixed):
    ov = s.overview(fixed.cid, Y)
    assert ov.month == 3 and ov.time_progress == 25.0
    general = ov.books[0]
    assert (general.book, general.budget, general.spent) == (Book.GENERAL, D("2100"), D("510"))
    assert general.progress == 24.3 and general.gap == -0.7  # 510 ÷ 2,100; the superseded 99,999 ignored
    assert general.revenue == D("3000")
    fund = ov.books[1]
    assert (fund.budget, fund.spent, fund.progress, fund.gap) == (D("400"), D("40"), 10.0, -15.0)
    assert ov.books[2].progress is None and ov.books[2].gap is None  # no 国有资本经营 budget
    assert ov.total.budget == D("2500") and ov.total.spent == D("550") and ov.total.progress == 22.0


def test_departments_slowest_first_with_the_gap(fixed):
    rows = s.departments(fixed.cid, Y, 3)
    assert [(r.code, r.progress, r.gap) for r in rows] == [(CIVIL, 10.0, -15.0), (EDU, 30.0, 5.0)]
    general = s.departments(fixed.cid, Y, 3, book=Book.GENERAL)
    assert [(r.code, r.budget, r.spent) for r in general] == [(CIVIL, D("600"), D("60")), (EDU, D("1500"), D("450"))]


def test_drill_each_level_sums_to_its_parent(fixed):
    top = s.drill_codes(fixed.cid, Y, 3, book=Book.GENERAL)
    assert top.level == "类" and {r.key: (r.budget, r.spent) for r in top.rows} == {
        "205": (D("1500"), D("450")), "208": (D("600"), D("60"))}
    assert (top.budget, top.spent) == (D("2100"), D("510"))
    kuan = s.drill_codes(fixed.cid, Y, 3, code="205", book=Book.GENERAL)
    assert kuan.level == "款" and [r.key for r in kuan.rows] == ["20502"]
    assert (kuan.budget, kuan.spent) == (D("1500"), D("450"))
    xiang = s.drill_codes(fixed.cid, Y, 3, code="20502", book=Book.GENERAL)
    assert xiang.level == "项" and [(r.key, r.budget, r.spent, r.progress) for r in xiang.rows] == [
        ("2050201", D("1000"), D("300"), 30.0), ("2050202", D("500"), D("150"), 30.0)]
    assert (xiang.budget, xiang.spent) == (kuan.budget, kuan.spent)
    units = s.drill_units(fixed.cid, Y, 3, code="2050201", book=Book.GENERAL)
    assert [(r.key, r.label, r.budget, r.spent) for r in units.rows] == [(EDU, "市教育局", D("1000"), D("300"))]
    projects = s.drill_projects(fixed.cid, Y, 3, unit_id=fixed.bw.units[EDU].pk, code="20502")
    assert [(r.key, r.label, r.budget, r.spent) for r in projects.rows] == [
        ("P1", "幼儿园建设", D("1000"), D("300")), ("", "基本支出", D("500"), D("150"))]
    assert projects.budget == xiang.budget


def test_a_projects_months(fixed):
    pm = s.project_months(fixed.cid, Y, 3, unit_id=fixed.bw.units[EDU].pk, project_code="P1")
    assert pm.name == "幼儿园建设" and pm.budget == D("1000")
    assert [(m.month, m.amount, m.cumulative, m.paid, m.progress, m.time_progress) for m in pm.months] == [
        (1, D("100"), D("100"), D("90"), 10.0, 8.3), (2, D("100"), D("200"), D("90"), 20.0, 16.7),
        (3, D("100"), D("300"), D("90"), 30.0, 25.0)]


def test_year_on_year_to_the_same_month(fixed):
    y = s.yoy(fixed.cid, Y, 3)
    general = y.books[0]
    assert (general.this_year, general.last_year, general.change) == (D("510"), D("240"), D("270"))
    assert general.change_pct == 112.5  # April 2025's 999 is not "to the same month"
    assert (y.revenue[0].this_year, y.revenue[0].last_year, y.revenue[0].change_pct) == (D("3000"), D("2400"), 25.0)
    cats = {r.key: (r.this_year, r.last_year) for r in y.functions}
    assert cats == {"205": (D("450"), D("240")), "208": (D("60"), D("0")), "212": (D("40"), D("0"))}
    assert next(r for r in y.functions if r.key == "208").change_pct is None  # nothing last year


def test_debt_ratio_and_limit_use(fixed):
    rows = s.debt(fixed.cid, Y)
    assert [(r.kind, r.balance, r.ratio, r.limit_used) for r in rows] == [
        ("一般债务", D("800"), 80.0, 80.0), ("专项债务", D("400"), 40.0, 80.0), ("合计", D("1200"), 120.0, 80.0)]


def test_transfer_days_against_the_30_and_60_day_limits(fixed):
    tr = s.transfers(fixed.cid, Y, TODAY)
    assert [(r.title, r.days, r.limit_days, r.late) for r in tr.rows] == [
        ("均衡性转移支付", 41, 30, True), ("义务教育补助", 41, 60, False), ("农村公路", 73, 60, True)]
    assert (tr.received, tr.passed, tr.late) == (D("600"), D("500"), 2)


def test_audit_ledger_months_open(fixed):
    ledger = s.audit_ledger(fixed.cid, Y, TODAY)
    assert [(r.number, r.status, r.months_open, r.overdue) for r in ledger.rows] == [
        ("SJ-1", "未整改", 9, True), ("SJ-2", "已整改", 3, False)]
    u = ledger.by_unit[0]
    assert (u.unit, u.total, u.done, u.open, u.overdue) == ("市教育局", 2, 1, 1, 1)


def test_draft_changes_by_department_and_function(fixed):
    dc = s.draft_changes(fixed.cid, Y + 1)
    assert (dc.draft_total, dc.last_total) == (D("2250"), D("2500"))
    assert [(r.label, r.change, r.change_pct) for r in dc.unit_increases] == [("市教育局", D("300"), 20.0)]
    assert [(r.label, r.change, r.change_pct) for r in dc.unit_decreases] == [("市民政局", D("-550"), -55.0)]
    assert [r.key for r in dc.function_increases] == ["205"]
    assert [(r.key, r.change) for r in dc.function_decreases] == [("212", D("-400")), ("208", D("-150"))]
