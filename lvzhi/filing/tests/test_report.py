"""The annual report: its figures reconcile with the records, its sentences say those figures, the
备案目录 in Excel and the Word draft open and read in Chinese, and its life after drafting (heard,
published, sent up within 30 days) refuses what is out of order."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.filing import catalogue, report, special, states
from lvzhi.filing.choices import DocKind
from lvzhi.filing.models import AnnualReport
from lvzhi.filing.testing import make_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    from lvzhi.filing.testing import add_filing_world

    return add_filing_world(world)


def at(month: int, day: int = 10):
    return timezone.make_aware(dt.datetime(2025, month, day, 10))


@pytest.fixture
def year(world, fw):
    make_filing(world, state=states.TERMINATED, now=at(2))
    make_filing(world, state=states.TERMINATED, now=at(3), late=True)
    make_filing(world, state=states.SUSPENDED, now=at(4), doc_kind=DocKind.GOV_RULE)
    make_filing(world, state=states.REGISTERED, now=at(5), doc_kind=DocKind.JUDICIAL_NORMATIVE)
    make_filing(world, state=states.RETURNED, now=at(6))
    make_filing(world, state=states.FILED, now=at(7))
    catalogue.submit(fw.gov, 2025, [{"doc_number": "北政发〔2025〕99号", "title": "漏报的文件", "action": "made",
                                     "published_on": dt.date(2025, 8, 1)}], fw.govfiler,
                     now=timezone.make_aware(dt.datetime(2026, 1, 20, 10)))
    special.create(world.congress, fw.law_clerk, title="民营经济专项审查", trigger="policy", subject="民营经济",
                   now=at(9))
    return 2025


def test_figures_reconcile_with_the_records(world, year):
    rows = report.figures(world.congress, year)
    v = lambda code: report.value(rows, code)  # noqa: E731
    assert v("filing_received") == 6
    assert sum(v(f"filing_{k}") for k in DocKind.values) == v("filing_received")
    assert v("filing_on_time") + v("filing_late") == v("filing_received") - v("filing_returned")
    assert v("filing_late") == 1 and v("filing_returned") == 1
    assert len(report.directory_rows(world.congress, year)) == v("filing_reviewed") == 4
    assert v("filing_catalogue_missing") == 1 and v("filing_special_reviews") == 1
    assert v("filing_special_documents") == 4  # the registered ones about 民营经济 (all four)


def test_sentences_word_and_excel(client, world, fw, year):
    text = report.text_of(world.congress, year)
    assert "全年共接收报送备案的规范性文件6件，其中政府规章1件，行政规范性文件4件，司法规范性文件1件。" in text
    assert "按期报送4件，逾期报送1件；不属于备案范围退回1件。" in text
    assert "发现漏报1件" in text and "开展专项审查、集中清理1次" in text

    client.force_login(fw.law_clerk)
    resp = client.get(reverse("filing:report_docx", args=[year]))
    doc = Document(io.BytesIO(resp.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2025年度规范性文件备案审查工作情况的报告" in body
    assert "全年共接收报送备案的规范性文件6件" in body and "监督法》第四十五条" in body
    assert f"{world.congress.short_name}常委会：" in body and "人大人大" not in body
    assert "一、备案工作情况" in body

    resp = client.get(reverse("filing:directory_xlsx", args=[year]))
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    assert ws["A1"].value.endswith("2025年度规范性文件备案目录")
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=3, max_row=6)]
    assert len(values) == 4 and all(str(r[1]).startswith(("北政发", "北中法发")) for r in values)
    assert "共4件" in str(ws.cell(row=8, column=1).value)


def test_heard_published_sent_up(client, world, fw, year):
    r = report.create(world.congress, year, fw.law_clerk)
    with pytest.raises(InvalidInput, match="已经起草"):
        report.create(world.congress, year, fw.law_clerk)
    with pytest.raises(WrongState, match="听取报告后才能公开"):
        report.publish(r, fw.law_clerk)
    with pytest.raises(InvalidInput, match="应于次年听取"):
        report.record_hearing(r, dt.date(2025, 12, 25), fw.law_clerk)
    r.refresh_from_db()
    assert r.heard_on is None
    report.record_hearing(r, dt.date(2026, 3, 26), fw.law_clerk)
    assert r.send_up_due_on >= dt.date(2026, 4, 25)
    assert report.send_up_light(r, today=dt.date(2026, 4, 1)) == "green"
    assert report.send_up_light(r, today=dt.date(2026, 5, 20)) == "red"
    with pytest.raises(InvalidInput, match="报送日期"):
        report.send_up(r, dt.date(2026, 3, 1), fw.law_clerk)
    report.send_up(r, dt.date(2026, 4, 10), fw.law_clerk)
    assert report.send_up_light(r) == "done"
    report.publish(r, fw.law_clerk)

    # the page: the office sees figures and the state; a bad date through the page changes nothing
    client.force_login(fw.law_clerk)
    page = client.get(reverse("filing:report_detail", args=[year])).content.decode()
    assert "2026年4月10日已报送" in page and "已在门户网站公开" in page and "备案目录（4件）" in page
    resp = client.post(reverse("filing:report_detail", args=[year]), {"action": "heard", "day": "明天"}, follow=True)
    assert "请填写日期" in resp.content.decode()
    assert AnnualReport.objects.get().heard_on == dt.date(2026, 3, 26)
    client.force_login(fw.govfiler)
    assert client.get(reverse("filing:report_detail", args=[year])).status_code == 403
