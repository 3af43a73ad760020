"""The analysis pages as a deputy and the 预算工委 see them, refused to a unit handler; the drill
from the city's books down to one project's months; each "导出Excel" holds the page's numbers."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.budget.models import WarningDetail
from lvzhi.budget.testing import budget_world
from lvzhi.budget.tests.test_selectors import CIVIL, EDU, Fixed, Y, build_fixed
from lvzhi.cases.models import Case

pytestmark = pytest.mark.django_db

PAGES = ["budget:overview", "budget:departments", "budget:drill", "budget:yoy", "budget:debt",
         "budget:open_warnings", "budget:audit"]


@pytest.fixture
def fixed(db) -> Fixed:
    return build_fixed(budget_world())


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _get(c: Client, name: str, *args, **params) -> str:
    r = c.get(f"{reverse(name, args=args)}?{urlencode({'year': Y, **params})}")
    assert r.status_code == 200, (name, r.status_code)
    return r.content.decode()


def _xlsx_rows(c: Client, page: str) -> list[tuple]:
    """Follow the page's first 导出Excel link; the sheet's rows below the title."""
    href = re.search(r'href="([^"]+)">导出Excel', page).group(1).replace("&amp;", "&")
    r = c.get(href)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    return [row for row in ws.iter_rows(values_only=True)][1:]


def test_every_page_renders_for_a_deputy_the_office_and_the_finance_committee(fixed):
    bw = fixed.bw
    for user in (bw.world.deputy_user, bw.officer, bw.committee_staff):
        c = _client(user)
        for name in PAGES:
            page = _get(c, name)
            assert "导出Excel" in page and "vendor/echarts/echarts.min.js" in page and "budget/analysis.js" in page
            assert "<script>" not in page  # CSP: data in json_script blocks only


def test_a_unit_handler_is_refused(fixed):
    c = _client(fixed.bw.handlers[EDU])
    for name in PAGES:
        assert c.get(reverse(name)).status_code == 403
    assert c.get(reverse("budget:export", args=["books"])).status_code == 403
    assert c.get(reverse("budget:department", args=[EDU])).status_code == 403


def test_another_committee_reads_the_execution_but_not_the_warnings(fixed):
    c = _client(fixed.bw.world.committee_staff)  # not the 财经委
    page = _get(c, "budget:overview")
    assert "未办结的预算预警" not in page and reverse("budget:open_warnings") not in page
    assert c.get(reverse("budget:open_warnings"), {"year": Y}).status_code == 403
    assert c.get(reverse("budget:export", args=["warnings"]), {"year": Y}).status_code == 403
    finance = _client(fixed.bw.committee_staff)  # the 财经委 follows them
    assert "未办结的预算预警" in _get(finance, "budget:overview")
    assert finance.get(reverse("budget:export", args=["warnings"]), {"year": Y}).status_code == 200


def test_overview_shows_the_books_against_time_progress_and_the_excel_holds_them(fixed):
    c = _client(fixed.bw.world.deputy_user)
    page = _get(c, "budget:overview")
    assert "数据截至2026年3月，序时进度25.0%" in page
    assert "2,100.00" in page and "510.00" in page and "24.3" in page and "-0.7" in page
    rows = _xlsx_rows(c, page)
    assert rows[0][:7] == ("预算", "预算数", "累计支出", "支出进度（%）", "序时进度（%）", "差距（百分点）", "累计收入")
    general = rows[1]
    assert general[0] == "一般公共预算" and float(general[1]) == 2100 and float(general[2]) == 510
    assert general[3] == pytest.approx(24.3) and general[5] == pytest.approx(-0.7) and float(general[6]) == 3000
    assert rows[5][0] == "合计" and float(rows[5][1]) == 2500


def test_departments_ranked_slowest_first_link_to_the_department(fixed):
    c = _client(fixed.bw.officer)
    page = _get(c, "budget:departments")
    assert page.index("市民政局") < page.index("市教育局")
    assert f'{reverse("budget:department", args=[EDU])}?year={Y}' in page
    rows = _xlsx_rows(c, page)
    assert [(r[0], r[1], r[4], r[5]) for r in rows[1:3]] == [("市民政局", CIVIL, 10.0, -15.0),
                                                            ("市教育局", EDU, 30.0, 5.0)]


def test_drill_from_the_citys_books_down_to_one_projects_months(fixed):
    c = _client(fixed.bw.world.deputy_user)
    page = _get(c, "budget:drill")
    assert "一般公共预算" in page and "?year=2026&amp;book=general" in page
    page = _get(c, "budget:drill", book="general")
    assert "205 教育支出" in page and "208 社会保障和就业支出" in page and "code=205" in page
    page = _get(c, "budget:drill", book="general", code="205")
    assert "20502 普通教育" in page
    page = _get(c, "budget:drill", book="general", code="20502")
    assert "2050201 学前教育" in page and "2050202 小学教育" in page
    page = _get(c, "budget:drill", book="general", code="2050201")
    assert "市教育局" in page and f"unit={EDU}" in page
    page = _get(c, "budget:drill", book="general", code="2050201", unit=EDU)
    assert "幼儿园建设" in page and "project=P1" in page
    page = _get(c, "budget:drill", book="general", code="2050201", unit=EDU, project="P1")
    # the breadcrumbs name every level above, each a link back
    for crumb in ("全市", "一般公共预算", "205 教育支出", "20502 普通教育", "2050201 学前教育", "市教育局"):
        assert re.search(rf'<a href="[^"]*">{crumb}</a>', page), crumb
    assert "幼儿园建设" in page and "3月" in page
    rows = _xlsx_rows(c, page)
    assert [(r[0], float(r[2]), float(r[3]), r[4]) for r in rows[1:4]] == [
        ("1月", 100, 90, 10.0), ("2月", 200, 90, 20.0), ("3月", 300, 90, 30.0)]


def test_department_drill_from_its_classes_to_a_project(fixed):
    c = _client(fixed.bw.committee_staff)
    page = _get(c, "budget:department", EDU)
    assert "市教育局预算执行" in page and "205 教育支出" in page
    rows = _xlsx_rows(c, page)
    assert rows[1][0] == "205 教育支出" and float(rows[1][1]) == 1500 and float(rows[1][2]) == 450
    page = _get(c, "budget:department", EDU, code="2050201")
    assert "幼儿园建设" in page
    page = _get(c, "budget:department", EDU, code="2050201", project="P1")
    assert "逐月执行" in page
    assert c.get(reverse("budget:department", args=["999999"])).status_code == 404


def test_yoy_debt_audit_pages_and_their_exports(fixed):
    c = _client(fixed.bw.officer)
    page = _get(c, "budget:yoy")
    assert "2026年与2025年1至3月支出对比" in page and "112.5" in page
    rows = _xlsx_rows(c, page)
    assert rows[1][0] == "一般公共预算" and float(rows[1][1]) == 510 and float(rows[1][2]) == 240
    page = _get(c, "budget:debt")
    assert "120.0" in page and "农村公路" in page
    rows = _xlsx_rows(c, page)
    assert [(r[1], r[6]) for r in rows[1:4]] == [("一般债务", 80.0), ("专项债务", 40.0), ("合计", 120.0)]
    page = _get(c, "budget:audit")
    assert "专项资金闲置" in page and "未整改" in page


def test_open_warnings_list_only_open_ones_with_a_link_to_the_case(fixed):
    bw = fixed.bw
    cases = Case.objects.bulk_create([
        Case(congress=bw.world.congress, kind="budget_warning", state=state, title=title, body="",
             number=f"YJ-{i}") for i, (state, title) in enumerate(
            [("pushed", "市民政局支出进度滞后"), ("closed", "已销号的预警"), ("raised", "转移支付超时")])])
    WarningDetail.objects.bulk_create([
        WarningDetail(case=case, congress=bw.world.congress, rule="progress_lag", key=f"k{case.pk}",
                      unit=bw.units[CIVIL], year=Y, month=3, basis="预算法") for case in cases])
    c = _client(bw.world.deputy_user)
    page = _get(c, "budget:open_warnings")
    assert "市民政局支出进度滞后" in page and "转移支付超时" in page and "已销号的预警" not in page
    assert f'href="{reverse("cases:detail", args=[cases[0].pk])}"' in page and "待说明" in page
    overview = _get(c, "budget:overview")
    assert "2件" in overview


def test_an_unknown_export_is_not_found(fixed):
    c = _client(fixed.bw.officer)
    assert c.get(reverse("budget:export", args=["nothing"])).status_code == 404
