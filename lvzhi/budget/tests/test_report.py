"""The 专项监督报告: a Word draft of a period with the execution by book against time progress, the
slowest departments, the warnings by rule, the findings; its figures fixed when drafted; the page
that lists and drafts them, refusing a bad period in Chinese."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from lvzhi.budget import report
from lvzhi.budget.models import (
    AuditFinding,
    Book,
    BudgetImport,
    BudgetLine,
    Dataset,
    ExecutionLine,
    Flow,
    Rectification,
    SupervisionReport,
)
from lvzhi.budget.rules import Finding
from lvzhi.budget.testing import BudgetWorld, budget_world
from lvzhi.budget.warnings import open_warning
from lvzhi.cases.engine import fire

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _imp(bw: BudgetWorld, dataset: str, month: int = 0) -> BudgetImport:
    return BudgetImport.objects.create(congress=bw.world.congress, dataset=dataset, year=YEAR, month=month,
                                       source="市财政局", digest=f"{dataset}{month}", filename="t.xlsx", by=bw.officer)


def execution(bw: BudgetWorld, *, months: int = 3) -> None:
    """教育局 spends 10% of its 1,000 by March, 民政局 50% of its 2,000; the other books a little."""
    c = bw.world.congress
    imp = _imp(bw, Dataset.BUDGET)
    plan = [("105001", Book.GENERAL, "P1", "2050201", "1000"), ("108001", Book.GENERAL, "", "2081901", "2000"),
            ("108001", Book.SOCIAL, "", "2090101", "500"), ("112001", Book.FUND, "", "2120803", "300"),
            ("106001", Book.SOE, "", "2230201", "100")]
    BudgetLine.objects.bulk_create([BudgetLine(imp=imp, congress=c, year=YEAR, book=b, unit=bw.units[u],
                                               project_code=p, function_code=f, amount=Decimal(a))
                                    for u, b, p, f, a in plan])
    spent = {"105001": Decimal("100"), "108001": Decimal("1000")}
    def month_of(total: Decimal, m: int) -> Decimal:
        # Cents, as a finance bureau reports them; the last month takes the rest so the months add up.
        share = (total / months).quantize(Decimal("0.01"))
        return share if m < months else total - share * (months - 1)

    for m in range(1, months + 1):
        e = _imp(bw, Dataset.EXECUTION, m)
        ExecutionLine.objects.bulk_create([
            ExecutionLine(imp=e, congress=c, year=YEAR, month=m, book=Book.GENERAL, flow=Flow.EXPENDITURE,
                          unit=bw.units[u], project_code="P1" if u == "105001" else "",
                          code="2050201" if u == "105001" else "2081901", amount=month_of(s, m))
            for u, s in spent.items()])
    a = _imp(bw, Dataset.AUDIT)
    AuditFinding.objects.create(imp=a, congress=c, year=YEAR, number="审2025-07", unit=bw.units["110001"],
                                title="市卫生健康委员会专项资金闲置一年以上", amount=Decimal("860"),
                                reported_on=dt.date(YEAR - 1, 8, 27), status=Rectification.PARTLY)


def _warning(bw: BudgetWorld, closed: bool) -> None:
    f = Finding(rule="progress", key="unit:105001", title="市教育局支出进度低于序时进度15.0个百分点",
                unit_code="105001", year=YEAR, month=3, measured=Decimal("15.00"), threshold=Decimal("10.00"),
                basis="《中华人民共和国预算法》第五十七条")
    case = open_warning(bw.world.congress, f)
    if closed:
        handler = bw.handlers["105001"]
        case = fire(case, "push", bw.officer, {"unit": handler.organization_id, "note": ""}).case
        case = fire(case, "answer", handler, {"text": "项目招标延期，已完成招标。"}).case
        fire(case, "accept", bw.officer, {"note": ""})


def _doc(data: bytes):
    return Document(io.BytesIO(data))


def test_the_draft_holds_the_numbers(world):
    bw = budget_world(world)
    execution(bw)
    _warning(bw, closed=True)
    assert report.title_for(dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31)) == \
        f"关于{YEAR}年1—3月预算执行联网监督情况的专项监督报告"
    # to today: the warning was raised today; the execution is as of March, the latest month imported
    made = report.create(bw.officer, world.congress, dt.date(YEAR, 1, 1), timezone.localdate())
    assert made.figures["month"] == 3
    doc = _doc(report.docx(made))
    text = [p.text for p in doc.paragraphs]
    for heading in ("一、预算执行总体情况", "二、执行进度靠后的部门", "三、预警发出和处理情况", "四、需要关注的问题",
                    "五、意见和建议"):
        assert heading in text
    heading = next(p for p in doc.paragraphs if p.text == "一、预算执行总体情况")
    assert heading.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    body = "\n".join(text)
    assert "序时进度25.0%" in body and "一般公共预算支出1,100.00万元，执行进度36.7%" in body
    books, slowest, warnings, audit = doc.tables[:4]
    general = [c.text for c in books.rows[1].cells]
    assert general == ["一般公共预算", "3,000.00", "1,100.00", "36.7%", "25.0%", "+11.7"]
    # slowest first: 财政局 and 城管局 have spent nothing, 教育局 10%, 民政局 1,000 of 2,500
    assert [r.cells[0].text for r in slowest.rows[1:]] == ["106001", "112001", "105001", "108001"]
    assert [c.text for c in slowest.rows[3].cells] == ["105001", "市教育局", "1,000.00", "100.00", "10.0%", "-15.0"]
    progress = next(r for r in warnings.rows if r.cells[0].text == "支出进度低于序时进度")
    assert [c.text for c in progress.cells[1:]] == ["1", "0", "0", "0", "1", "0", "0"]
    assert [c.text for c in warnings.rows[-1].cells][:2] == ["合计", "1"]
    assert "市卫生健康委员会专项资金闲置一年以上" in [c.text for c in audit.rows[1].cells]
    assert "单位在规定时限内说明并销号1件" in body


def test_the_draft_keeps_what_was_seen_when_it_was_drafted(world):
    bw = budget_world(world)
    execution(bw)
    made = report.create(bw.officer, world.congress, dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31))
    e = BudgetImport.objects.get(dataset=Dataset.EXECUTION, month=3)
    ExecutionLine.objects.create(imp=e, congress=world.congress, year=YEAR, month=3, book=Book.GENERAL,
                                 flow=Flow.EXPENDITURE, unit=bw.units["105001"], code="2050201", amount=Decimal(500))
    made.refresh_from_db()
    books = _doc(report.docx(made)).tables[0]
    assert books.rows[1].cells[2].text == "1,100.00"  # not 1,600.00: the figures were fixed at drafting
    assert report.create(bw.officer, world.congress, dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31)
                         ).figures["books"][0]["spent"] == "1600.00"


def test_bad_periods_are_refused_in_chinese(world):
    bw = budget_world(world)
    c = world.congress
    with pytest.raises(report.ReportRefused, match="尚未导入预算执行数据"):
        report.create(bw.officer, c, dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31))
    execution(bw)
    cases = [(dt.date(YEAR, 5, 1), dt.date(YEAR, 3, 31), "开始日期不能晚于结束日期"),
             (dt.date(YEAR - 1, 12, 1), dt.date(YEAR, 3, 31), "同一年度"),
             (dt.date(YEAR, 1, 1), timezone.localdate() + dt.timedelta(days=1), "不能晚于今天")]
    for start, end, words in cases:
        with pytest.raises(report.ReportRefused, match=words):
            report.create(bw.officer, c, start, end)
    with pytest.raises(report.ReportRefused, match="只有预算工委"):
        report.create(bw.committee_staff, c, dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31))
    assert not SupervisionReport.objects.exists()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_reports_page_lists_drafts_and_downloads(world):
    bw = budget_world(world)
    execution(bw)
    officer = _client(bw.officer)
    page = officer.get("/budget/reports/")
    assert page.status_code == 200 and "起草新的专项监督报告" in page.content.decode()
    bad = officer.post("/budget/reports/", {"start": f"{YEAR}-05-01", "end": f"{YEAR}-03-31"}, follow=True)
    assert "开始日期不能晚于结束日期" in bad.content.decode() and not SupervisionReport.objects.exists()
    bad = officer.post("/budget/reports/", {"start": "明年", "end": f"{YEAR}-03-31"}, follow=True)
    assert "报告期间起" in bad.content.decode() and not SupervisionReport.objects.exists()
    done = officer.post("/budget/reports/", {"start": f"{YEAR}-01-01", "end": f"{YEAR}-03-31"}, follow=True)
    made = SupervisionReport.objects.get()
    assert made.title in done.content.decode() and "已起草" in done.content.decode()
    word = officer.get(f"/budget/reports/{made.pk}/download/")
    assert word["Content-Type"] == report.DOCX and _doc(word.content).tables

    staff = _client(bw.committee_staff)  # 财经委 reads, cannot draft
    assert staff.get("/budget/reports/").status_code == 200
    assert "起草新的专项监督报告" not in staff.get("/budget/reports/").content.decode()
    assert staff.post("/budget/reports/", {"start": f"{YEAR}-01-01", "end": f"{YEAR}-03-31"}).status_code == 403
    assert _client(bw.finance_handler).get("/budget/reports/").status_code == 403
    assert _client(world.deputy_user).get(f"/budget/reports/{made.pk}/download/").status_code == 403
    assert SupervisionReport.objects.count() == 1
