"""发文目录: matched to filings by 文号, a 漏报 flagged, counted and told to the body; resolved only once
it is filed late; bad input refused in Chinese with nothing saved; the Excel template round trip."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.models import RuleSet
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Notification
from lvzhi.documents import excel
from lvzhi.filing import catalogue, report_figures, states
from lvzhi.filing.models import Catalogue, CatalogueEntry
from lvzhi.filing.testing import file_document, make_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    from lvzhi.filing.testing import add_filing_world

    return add_filing_world(world)
JUNE = timezone.make_aware(dt.datetime(2025, 6, 10, 10))


def _rows(filed_number: str) -> list[dict]:
    return [
        {"doc_number": filed_number.replace("〔", "[").replace("〕", "]"), "title": "已备案的文件",
         "action": "made", "published_on": dt.date(2025, 6, 5)},
        {"doc_number": "北政发〔2025〕99号", "title": "北辰市公共数据开放管理办法", "action": "made",
         "published_on": dt.date(2025, 8, 1)},
        {"doc_number": "北政发〔2025〕98号", "title": "关于废止部分规范性文件的决定", "action": "repealed",
         "published_on": dt.date(2025, 9, 1)},
    ]


def test_catalogue_matches_by_number_and_flags_the_missing_one(world, fw):
    case = make_filing(world, state=states.REGISTERED, now=JUNE)
    number = case.filing_detail.doc_number
    cat = catalogue.submit(fw.gov, 2025, _rows(number), fw.govfiler)
    got = {e.doc_number: e for e in cat.entries.all()}
    assert got[number.replace("〔", "[").replace("〕", "]")].filing == case.filing_detail  # brackets don't matter
    assert got["北政发〔2025〕99号"].missing is True
    assert got["北政发〔2025〕98号"].missing is False  # a repealed one is not filed again
    told = Notification.objects.filter(user=fw.govfiler, text__contains="漏报")
    assert told.count() == 1 and "北政发〔2025〕99号" in told.get().text
    fig = report_figures.catalogue_missing([world.congress.pk], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [e.doc_number for e in fig] == ["北政发〔2025〕99号"]

    # resolved only once it is filed; it stays counted as 漏报
    entry = got["北政发〔2025〕99号"]
    with pytest.raises(InvalidInput, match="尚未报送备案"):
        catalogue.resolve(entry, fw.law_clerk)
    entry.refresh_from_db()
    assert entry.resolved_at is None
    late = file_document(fw, doc_number="北政发〔2025〕99号", published_on=dt.date(2025, 8, 1),
                         now=timezone.make_aware(dt.datetime(2025, 11, 20, 9)))
    catalogue.resolve(entry, fw.law_clerk)
    entry.refresh_from_db()
    assert entry.resolved_at and entry.filing == late.filing_detail
    assert fig.count() == 1


@pytest.mark.parametrize("change, message", [
    (lambda rows: rows[1].update(doc_number="京政发〔2025〕1号"), "不是本机关的发文字号"),
    (lambda rows: rows[1].update(published_on=dt.date(2024, 12, 1)), "不在2025年度内"),
    (lambda rows: rows[2].update(doc_number=rows[1]["doc_number"]), "重复"),
])
def test_bad_catalogue_changes_nothing(world, fw, change, message):
    rows = _rows("北政发〔2025〕1号")
    change(rows)
    with pytest.raises(InvalidInput, match=message):
        catalogue.submit(fw.gov, 2025, rows, fw.govfiler)
    assert not Catalogue.objects.exists() and not CatalogueEntry.objects.exists()
    assert not Notification.objects.filter(user=fw.govfiler).exists()


def test_once_a_year_and_not_before_the_year_ends(world, fw):
    catalogue.submit(fw.gov, 2025, _rows("北政发〔2025〕1号"), fw.govfiler)
    with pytest.raises(InvalidInput, match="不能重复报送"):
        catalogue.submit(fw.gov, 2025, _rows("北政发〔2025〕1号"), fw.govfiler)
    this_year = timezone.localdate().year
    with pytest.raises(InvalidInput, match="尚未结束"):
        catalogue.submit(fw.gov, this_year, [], fw.govfiler)
    assert Catalogue.objects.count() == 1


def test_due_date_is_a_rule_set_value_and_late_is_marked(world, fw):
    assert catalogue.due_on(world.congress.pk, 2025) in (dt.date(2026, 1, 31), dt.date(2026, 2, 2))
    rules, _ = RuleSet.objects.get_or_create(congress=world.congress)
    rules.params = {**(rules.params or {}), catalogue.DUE_PARAM: "03-10"}
    rules.save()
    assert catalogue.due_on(world.congress.pk, 2025) == dt.date(2026, 3, 10)
    cat = catalogue.submit(fw.gov, 2025, _rows("北政发〔2025〕1号"), fw.govfiler,
                           now=timezone.make_aware(dt.datetime(2026, 3, 20, 9)))
    assert cat.due_on == dt.date(2026, 3, 10) and cat.late
    assert fw.court.name in [b.name for b in catalogue.not_submitted(world.congress.pk, 2025)]


def test_excel_template_and_upload_on_the_page(client, world, fw):
    make_filing(world, state=states.REGISTERED, now=JUNE, doc_number="北政发〔2025〕7号",
                published_on=dt.date(2025, 6, 5))
    client.force_login(fw.govfiler)
    resp = client.get(reverse("filing:catalogue_template") + "?year=2025")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    headers = [c.value for c in ws[2]]
    assert headers == ["文号", "文件名称", "类别", "公布日期"]

    upload = excel.write_sheet("2025年度发文目录", catalogue.COLUMNS, [
        ["北政发〔2025〕7号", "北辰市优化营商环境若干措施", "制定", dt.date(2025, 6, 5)],
        ["北政办发〔2025〕30号", "北辰市城市道路占用挖掘管理办法", "修改", dt.date(2025, 10, 9)]])
    f = io.BytesIO(upload)
    f.name = "目录.xlsx"
    resp = client.post(reverse("filing:catalogue_submit"), {"year": 2025, "upload": f}, follow=True)
    page = resp.content.decode()
    assert "发文目录已报送" in page and "漏报，请补报" in page and "已备案" in page
    assert CatalogueEntry.objects.get(doc_number="北政办发〔2025〕30号").missing

    # the 法工委's page lists it; a body's page is not for another account
    client.force_login(fw.law_clerk)
    page = client.get(reverse("filing:catalogues") + "?year=2025").content.decode()
    assert "北政办发〔2025〕30号" in page and "确认已补报" in page and fw.court.name in page


def test_a_file_that_is_not_excel_is_refused_in_chinese(client, world, fw):
    client.force_login(fw.govfiler)
    f = io.BytesIO(b"not a workbook")
    f.name = "目录.xlsx"
    resp = client.post(reverse("filing:catalogue_submit"), {"year": 2025, "upload": f}, follow=True)
    assert "无法读取该文件" in resp.content.decode()
    assert not Catalogue.objects.exists()
    resp = client.post(reverse("filing:catalogue_submit"),
                       {"year": 2025, "lines": "北政发〔2025〕1号 | 标题 | 发布 | 2025-01-01"})
    assert "类别应为制定、修改或废止" in resp.content.decode()
    assert not Catalogue.objects.exists()
