"""The import service on real files (openpyxl and CSV): preview, confirm, revisions, refusals."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lvzhi.budget import importing, samples
from lvzhi.budget.importing import ImportRefused
from lvzhi.budget.models import BudgetImport, BudgetLine, BudgetUnit, ExecutionLine, PendingImport
from lvzhi.budget.testing import BudgetWorld, budget_world
from lvzhi.cases.models import Event

pytestmark = pytest.mark.django_db
SOURCE = "市财政局预算管理一体化系统"


@pytest.fixture
def bw(world) -> BudgetWorld:
    return budget_world(world)


def _units(bw: BudgetWorld) -> list[BudgetUnit]:
    return list(bw.units.values())


def _preview(bw: BudgetWorld, dataset: str, data: bytes, *, filename: str = "预算.xlsx", month: int = 0,
             **kw) -> importing.Preview:
    return importing.preview(bw.officer, bw.world.congress, dataset, year=2026, month=month, source=SOURCE,
                             file=data, filename=filename, **kw)


def _counts() -> tuple[int, int, int, int, int]:
    return (BudgetImport.objects.count(), BudgetLine.objects.count(), ExecutionLine.objects.count(),
            BudgetUnit.objects.count(), Event.objects.filter(subject_type="budget_import").count())


def _import_budget(bw: BudgetWorld, units=None) -> BudgetImport:
    p = _preview(bw, "budget", samples.budget_file(units or _units(bw)))
    assert p.ok, p.errors
    return importing.confirm(bw.officer, p.id)


def _edit_xlsx(data: bytes, cell: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    wb.active[cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_budget_import_creates_new_departments_and_lines_with_an_event(bw):
    units = [*_units(bw), ("201001", "市发展和改革委员会")]
    data = samples.budget_file(units)
    p = _preview(bw, "budget", data)
    assert p.ok and not p.errors
    assert p.new_units == [("201001", "市发展和改革委员会")]
    assert [b[0] for b in p.by_book] == ["一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算"]
    assert len(p.head) == importing.HEAD_ROWS and p.head[0][0] == "3"  # Excel row 3: under the title and header
    rows = samples.budget_rows(units)
    assert p.rows == len(rows) and Decimal(p.total) == sum(r[7] for r in rows)
    assert BudgetLine.objects.count() == 0  # a preview saves no facts

    imp = importing.confirm(bw.officer, p.id)
    assert (imp.revision, imp.is_current, imp.rows) == (1, True, len(rows))
    assert BudgetLine.objects.current().filter(imp=imp).count() == len(rows)
    new = BudgetUnit.objects.get(congress=bw.world.congress, code="201001")
    assert new.name == "市发展和改革委员会"
    line = BudgetLine.objects.get(imp=imp, unit=new, function_code="2010301", economic_code="30101")
    assert line.book == "general" and line.project_code == "" and line.row > 2
    event = Event.objects.get(subject_type="budget_import", subject_id=imp.pk)
    assert event.name == "imported" and "批准的预算" in event.label
    assert not PendingImport.objects.exists()


def test_execution_month_from_csv(bw):
    _import_budget(bw)
    data = samples.execution_file(_units(bw), 3, fmt="csv")
    p = _preview(bw, "execution", data, filename="3月执行.csv", month=3)
    assert p.ok, p.errors
    assert "一般公共预算·支出" in dict(p.by_book) and "一般公共预算·收入" in dict(p.by_book)
    imp = importing.confirm(bw.officer, p.id)
    assert imp.month == 3 and str(imp) == f"2026年3月月度执行（{SOURCE}，第1版）"
    edu = ExecutionLine.objects.filter(imp=imp, unit=bw.units["105001"], flow="expenditure")
    assert edu.exists() and all(e.month == 3 and e.paid is not None for e in edu)
    revenue = ExecutionLine.objects.filter(imp=imp, flow="revenue")
    assert revenue.filter(code="10101", unit=None).count() == 1


def test_execution_needs_a_month_and_matching_month_column(bw):
    _import_budget(bw)
    with pytest.raises(ImportRefused, match="须选择月份"):
        _preview(bw, "execution", samples.execution_file(_units(bw), 3), month=0)
    p = _preview(bw, "execution", samples.execution_file(_units(bw), 3), month=4)
    assert not p.ok and "月份为3，与本次导入的4月不一致" in p.errors[0]


def test_same_file_again_makes_no_new_revision(bw):
    imp = _import_budget(bw)
    before = _counts()
    p = _preview(bw, "budget", samples.budget_file(_units(bw)))
    assert not p.ok and p.same_revision == 1
    assert _counts() == before and BudgetImport.objects.get().pk == imp.pk


def test_corrected_month_shows_the_difference_and_keeps_revision_one(bw):
    _import_budget(bw)
    units = _units(bw)
    first = _preview(bw, "execution", samples.execution_file(units, 3), month=3)
    rev1 = importing.confirm(bw.officer, first.id)
    rows = samples.execution_rows(units, 3)
    edu = next(r for r in rows if r[3] == "105001" and r[6] == "2050202")
    old_amount = edu[8]
    edu[8] = old_amount + Decimal("500.00")
    p = _preview(bw, "execution", samples.execution_file(units, 3, rows=rows), month=3)
    assert p.ok and p.is_correction and p.base_revision == 1
    assert p.diff_count == 1
    d = p.diff[0]
    assert "105001 市教育局" in d.key and "2050202 小学教育" in d.key and d.measure == "本月数"
    assert (d.old, d.new, d.change) == (f"{old_amount:,.2f}", f"{old_amount + 500:,.2f}", "+500.00")

    with pytest.raises(ImportRefused, match="更正说明"):
        importing.confirm(bw.officer, p.id)
    done = importing.confirm_import(bw.officer, p.id, note="财政局更正教育局3月支出")
    rev2 = done.imp
    rev1.refresh_from_db()
    assert (rev2.revision, rev2.is_current, rev1.is_current) == (2, True, False)
    assert rev1.superseded_at is not None and done.replaced == rev1
    assert done.result is not None  # the rule run ran after the commit
    assert ExecutionLine.objects.filter(imp=rev1).count() == len(rows)  # history kept
    current = ExecutionLine.objects.current().get(unit=bw.units["105001"], code="2050202", month=3)
    assert current.amount == old_amount + 500
    assert Event.objects.get(subject_type="budget_import", subject_id=rev2.pk).name == "corrected"


def test_unknown_code_is_named_with_its_row(bw):
    data = _edit_xlsx(samples.budget_file(_units(bw)), "F5", "2059999")
    before = _counts()
    p = _preview(bw, "budget", data)
    assert not p.ok
    assert p.errors == ["第5行：功能分类科目编码“2059999”不在政府收支分类科目中"]
    assert _counts() == before and not PendingImport.objects.exists()


def test_text_in_a_number_column_is_a_row_error(bw):
    data = _edit_xlsx(samples.budget_file(_units(bw)), "H7", "约一百万")
    p = _preview(bw, "budget", data)
    assert p.errors == ["第7行：预算数（万元）应为数字（万元），不能填“约一百万”"]
    assert BudgetImport.objects.count() == 0


def test_total_row_or_declared_total_that_does_not_add_up(bw):
    good = _preview(bw, "budget", samples.budget_file(_units(bw), total_row=True))
    assert good.ok  # a 合计 line that adds up is accepted, and not imported as a line
    assert good.rows == len(samples.budget_rows(_units(bw)))
    PendingImport.objects.all().delete()
    p = _preview(bw, "budget", samples.budget_file(_units(bw), declared_total=Decimal("1000.00")))
    assert not p.ok and len(p.errors) == 1
    assert "合计行预算数（万元）为1,000.00万元" in p.errors[0] and "相差" in p.errors[0]
    p = _preview(bw, "budget", samples.budget_file(_units(bw)), declared_total=Decimal("1.00"))
    assert not p.ok and p.errors[0].startswith("填写的合计1.00万元与文件各行预算数（万元）合计")
    assert _counts()[:2] == (0, 0)


def test_execution_naming_an_unknown_department_is_an_error(bw):
    _import_budget(bw)
    rows = samples.execution_rows(_units(bw), 2)
    rows[3][3], rows[3][4] = "999001", "市虚构局"
    before = _counts()
    p = _preview(bw, "execution", samples.execution_file(_units(bw), 2, rows=rows), month=2)
    assert p.errors == ["第6行：部门编码“999001”（市虚构局）不在已导入的预算部门中，请先导入批准的预算"]
    assert _counts() == before


def test_errors_are_listed_row_by_row_first_200_and_counted(bw):
    rows = samples.budget_rows(_units(bw)) * 10
    for r in rows:
        r[5] = "2059999"
    p = _preview(bw, "budget", samples.budget_file([], rows=rows, fmt="csv"), filename="b.csv")
    assert p.error_count == len(rows) > 200 and len(p.errors) == 200
    assert p.errors[0].startswith("第2行：") and p.errors[1].startswith("第3行：")


def test_too_many_rows_is_refused_in_chinese(bw, monkeypatch):
    monkeypatch.setattr(importing, "MAX_IMPORT_ROWS", 50)
    rows = samples.budget_rows(_units(bw)) * 2
    assert len(rows) > 50
    with pytest.raises(ImportRefused, match="一次最多导入50行，请分成几个文件导入"):
        _preview(bw, "budget", samples.budget_file([], rows=rows))
    assert _counts()[:2] == (0, 0)


def test_confirm_after_someone_else_imported_the_same_period_is_refused(bw):
    _import_budget(bw)
    units = _units(bw)
    a = _preview(bw, "execution", samples.execution_file(units, 5), month=5)
    b = _preview(bw, "execution", samples.execution_file(units, 5, pace=0.5), month=5)
    importing.confirm(bw.officer, a.id)
    before = _counts()
    with pytest.raises(ImportRefused, match="已有第1版导入"):
        importing.confirm(bw.officer, b.id)
    assert _counts() == before
    assert BudgetImport.objects.filter(dataset="execution", month=5, is_current=True).count() == 1


def test_a_failure_inside_the_write_leaves_nothing(bw, monkeypatch):
    _import_budget(bw)
    p = _preview(bw, "execution", samples.execution_file(_units(bw), 6), month=6)
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("chain unavailable")

    monkeypatch.setattr(importing, "append_subject_event", broken)
    with pytest.raises(RuntimeError):
        importing.confirm(bw.officer, p.id)
    assert _counts() == before and PendingImport.objects.filter(pk=p.id).exists()


def test_only_the_budget_office_may_import(bw):
    with pytest.raises(ImportRefused, match="预算工委"):
        importing.preview(bw.committee_staff, bw.world.congress, "budget", year=2026, source=SOURCE,
                          file=samples.budget_file(_units(bw)), filename="b.xlsx")


@pytest.mark.parametrize("dataset,make", [
    ("adjustment", lambda u: samples.adjustment_file(u)), ("transfer", lambda u: samples.transfer_file()),
    ("debt", lambda u: samples.debt_file()), ("soe", lambda u: samples.soe_file()),
    ("audit", lambda u: samples.audit_file(u)), ("disclosure", lambda u: samples.disclosure_file(u)),
])
def test_every_other_dataset_imports_from_its_sample(bw, dataset, make):
    p = _preview(bw, dataset, make(_units(bw)))
    assert p.ok, p.errors
    imp = importing.confirm(bw.officer, p.id)
    model = importing.layout(dataset).model
    assert model.objects.current().filter(imp=imp).count() == imp.rows > 0
    again = _preview(bw, dataset, make(_units(bw)), filename="again.xlsx")
    assert again.same_revision == 1


def test_templates_read_back_as_their_dataset(bw):
    for dataset in importing.LAYOUTS:
        wb = load_workbook(io.BytesIO(importing.template_xlsx(dataset)))
        headers = [c.value for c in wb.active[2]]
        assert headers == [c.header for c in importing.layout(dataset).columns]
