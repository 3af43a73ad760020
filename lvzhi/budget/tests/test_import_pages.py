"""The import pages as the 预算工委 officer uses them, through the views: upload → preview →
confirm, a correction with its difference, the history, the templates; a deputy is refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.budget import samples
from lvzhi.budget.models import BudgetImport, BudgetLine, ExecutionLine, PendingImport
from lvzhi.budget.testing import BudgetWorld, budget_world
from lvzhi.core.models import Role
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db
SOURCE = "市财政局预算管理一体化系统"


@pytest.fixture
def bw(world) -> BudgetWorld:
    return budget_world(world)


def _login(user) -> Client:
    c = Client()
    c.force_login(user)  # the login page itself (axes, captcha) is the accounts' tests' business
    return c


def _upload(c: Client, dataset: str, data: bytes, name: str, month: str = "", **extra):
    return c.post(reverse("budget:import_upload"), {
        "dataset": dataset, "year": "2026", "month": month, "source": SOURCE, "declared_total": "",
        "file": SimpleUploadedFile(name, data), **extra})


def test_upload_preview_confirm_then_correct_a_month(bw):
    c = _login(bw.officer)
    units = list(bw.units.values())
    assert c.get(reverse("budget:import_upload")).status_code == 200

    resp = _upload(c, "budget", samples.budget_file(units), "2026年部门预算.xlsx")
    assert resp.status_code == 302
    page = c.get(resp["Location"])
    html = page.content.decode()
    assert "导入预览：2026年批准的预算" in html and "一般公共预算" in html and "义务教育学校公用经费补助" in html
    assert BudgetLine.objects.count() == 0
    done = c.post(resp["Location"], {"note": ""}, follow=True)
    html = done.content.decode()
    assert "已导入2026年批准的预算" in html and "预警规则已运行" in html
    assert BudgetLine.objects.current().count() == len(samples.budget_rows(units))

    resp = _upload(c, "execution", samples.execution_file(units, 3), "3月执行.xlsx", month="3")
    c.post(resp["Location"], {"note": ""})
    first = BudgetImport.objects.get(dataset="execution", month=3)

    again = _upload(c, "execution", samples.execution_file(units, 3), "3月执行.xlsx", month="3")
    assert again.status_code == 200 and "数据与已导入的第1版相同，未重复导入" in again.content.decode()

    resp = _upload(c, "execution", samples.execution_file(units, 3, paces={"108001": 0.4}), "3月执行更正.xlsx",
                   month="3")
    html = c.get(resp["Location"]).content.decode()
    assert "这一期数据已导入第1版" in html and "108001 市民政局" in html and "确认更正，导入为第2版" in html
    refused = c.post(resp["Location"], {"note": ""})
    assert refused.status_code == 400 and "请填写更正说明" in refused.content.decode()
    c.post(resp["Location"], {"note": "财政局更正民政局3月支出"})
    first.refresh_from_db()
    assert not first.is_current and BudgetImport.objects.get(dataset="execution", month=3, revision=2).is_current

    history = c.get(reverse("budget:imports")).content.decode()
    assert "第2版" in history and "第1版" in history and "财政局更正民政局3月支出" in history and "已更正" in history
    detail = c.get(reverse("budget:import_detail", args=[first.pk])).content.decode()
    assert "已被更正" in detail and "导入2026年3月月度执行" in detail


def test_a_bad_file_lists_its_rows_and_saves_nothing(bw):
    c = _login(bw.officer)
    rows = samples.budget_rows(bw.units.values())
    rows[0][5] = "2059999"
    rows[2][7] = "一百"
    resp = _upload(c, "budget", samples.budget_file([], rows=rows, fmt="csv"), "预算.csv")
    html = resp.content.decode()
    assert resp.status_code == 400 and "有2处错误，未保存任何数据" in html
    assert "第2行：功能分类科目编码“2059999”不在政府收支分类科目中" in html
    assert "第4行：预算数（万元）应为数字（万元），不能填“一百”" in html
    assert (BudgetImport.objects.count(), PendingImport.objects.count(), ExecutionLine.objects.count()) == (0, 0, 0)


def test_execution_without_a_month_is_refused_by_the_form(bw):
    c = _login(bw.officer)
    resp = _upload(c, "execution", samples.execution_file(bw.units.values(), 3), "3月.xlsx")
    assert resp.status_code == 400 and "月度执行数据须选择月份" in resp.content.decode()


def test_templates_download_as_xlsx(bw):
    c = _login(bw.officer)
    resp = c.get(reverse("budget:import_template", args=["execution"]))
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.active["A2"].value == "预算" and wb.active["I2"].value == "本月数（万元）"


def test_a_deputy_and_the_committee_staff_get_403(bw):
    deputy = bw.world.deputies[0].user
    for user in (deputy, bw.committee_staff):
        c = _login(user)
        for url in (reverse("budget:imports"), reverse("budget:import_upload"),
                    reverse("budget:import_template", args=["budget"])):
            assert c.get(url).status_code == 403
        resp = _upload(c, "budget", samples.budget_file(bw.units.values()), "b.xlsx")
        assert resp.status_code == 403
    assert PendingImport.objects.count() == 0


def test_another_officers_preview_is_not_theirs_to_confirm(bw, world):
    c = _login(bw.officer)
    resp = _upload(c, "budget", samples.budget_file(bw.units.values()), "b.xlsx")
    other = make_user("budget_other", Role.CLERK, world.congress, bw.office, "李预算")
    c2 = _login(other)
    page = c2.get(resp["Location"], follow=True)
    assert "这次预览已确认或已失效" in page.content.decode()
    assert BudgetLine.objects.count() == 0
