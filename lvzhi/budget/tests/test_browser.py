"""The budget online supervision in Chromium, end to end: the 预算工委 officer imports the year's
budget and three months of execution from Excel (upload, preview, confirm); the rule run raises
warnings (市教育局 spends at a third of the pace); the officer pushes the 教育局's warning to the
department; its handler answers from the unit's side; the officer closes it; a deputy on a phone
drills from the city's books down to one project. Screenshots go to docs/screenshots/budget-*.png."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from lvzhi.budget import samples
from lvzhi.budget.models import BudgetImport, BudgetLine, WarningDetail
from lvzhi.budget.testing import budget_world
from lvzhi.testing_browser import cells_cut_mid_word, page_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2026
LAGGARD = "105001"  # 市教育局


def shot(page, name: str) -> None:
    screenshot(page, f"budget-{name}")


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def upload(page, base: str, tmp: Path, dataset: str, data: bytes, name: str, month: int = 0) -> None:
    """The upload form, then the preview's confirm button; leaves the page on the import's result."""
    path = tmp / name
    path.write_bytes(data)
    page.goto(f"{base}/budget/imports/upload/")
    page.select_option("[name=dataset]", dataset)
    page.fill("[name=year]", str(YEAR))
    if month:
        page.select_option("[name=month]", str(month))
    page.set_input_files("[name=file]", str(path))
    submit(page, "form[enctype] button[type=submit]")
    assert "确认导入" in page.inner_text("#confirm-import"), page.inner_text("main")
    if dataset == "budget":
        shot(page, "import-preview")
    submit(page, "#confirm-import")


def act(page, name: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
    """A transition on the generic case page: open its panel, fill the form, submit."""
    page.click(f"[data-bs-target='#act-{name}']")
    form = page.locator(f"#act-{name} form")
    form.wait_for(state="visible")
    for field, value in (select or {}).items():
        form.locator(f"[name={field}]").select_option(value)
    for field, value in (fill or {}).items():
        form.locator(f"[name={field}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_budget_from_import_to_a_closed_warning_and_a_phone_drill(live_server, browser, tmp_path):
    bw = budget_world()
    units = list(bw.units.values())
    base = live_server.url

    officer = page_as(browser, live_server, bw.officer, 1280, 900)
    upload(officer, base, tmp_path, "budget", samples.budget_file(units, year=YEAR), "2026年部门预算.xlsx")
    for month in (1, 2, 3):
        data = samples.execution_file(units, month, year=YEAR, paces={LAGGARD: 0.3})
        upload(officer, base, tmp_path, "execution", data, f"2026年{month}月预算执行.xlsx", month)
    assert BudgetImport.objects.filter(congress=bw.world.congress, is_current=True).count() == 4
    officer.goto(f"{base}/budget/imports/")
    shot(officer, "imports")

    # The rule run after each import raised the 教育局's 序时进度 warning, once.
    behind = WarningDetail.objects.filter(unit=bw.units[LAGGARD], rule__startswith="progress", case__state="raised")
    assert behind.count() >= 1
    officer.goto(f"{base}/budget/warnings/")
    assert "市教育局" in officer.inner_text("main")
    shot(officer, "warnings")

    # The 预算工委 pushes it to the department.
    case = behind.order_by("pk").first().case
    education = bw.units[LAGGARD].organization
    officer.goto(f"{base}/cases/{case.pk}/")
    act(officer, "push", select={"unit": str(education.pk)},
        fill={"note": "请说明一季度教育支出进度滞后原因及整改措施"})
    case.refresh_from_db()
    assert case.state == "pushed"
    shot(officer, "warning-pushed")

    # The department's handler finds it in the unit's inbox and answers.
    handler = page_as(browser, live_server, bw.handlers[LAGGARD], 1280, 900)
    handler.goto(f"{base}/cases/{case.pk}/")
    act(handler, "answer",
        fill={"text": "一季度校舍维修项目尚在招标，4月完成合同签订后集中支付，预计二季度末进度达到序时要求。"})
    case.refresh_from_db()
    assert case.state == "answered"
    shot(handler, "warning-answered")

    # The committee accepts the answer: the warning is closed.
    officer.goto(f"{base}/cases/{case.pk}/")
    act(officer, "accept", fill={"note": "说明合理，请按计划推进并在二季度末报送进度"})
    case.refresh_from_db()
    assert case.state == "closed"
    assert "已销号" in officer.inner_text("main")
    shot(officer, "warning-closed")

    # A deputy on a phone: from the city's books down to one project.
    deputy = page_as(browser, live_server, bw.world.deputies[0].user, 390, 844)
    deputy.goto(f"{base}/budget/?year={YEAR}")
    assert cells_cut_mid_word(deputy) == []  # 国有资本经营预算 on one line, the table scrolls
    shot(deputy, "overview-phone")
    with deputy.expect_navigation():
        deputy.get_by_role("link", name="一般公共预算").first.click()
    steps = 0
    while deputy.locator("#drill-list a").count() and steps < 8:
        links = deputy.locator("#drill-list a")
        pick = links.filter(has_text="教育")
        with deputy.expect_navigation():
            (pick.first if pick.count() else links.first).click()
        steps += 1
        assert cells_cut_mid_word(deputy) == [], deputy.url
        if steps == 3:
            shot(deputy, "drill-phone")
    crumbs = deputy.locator(".lz-crumbs li").all_inner_texts()
    assert steps >= 4 and len(crumbs) >= 5, crumbs
    project = parse_qs(urlparse(deputy.url).query)["project"][0]
    name = BudgetLine.objects.filter(project_code=project).values_list("project_name", flat=True).first()
    assert name and name in deputy.inner_text("main")
    assert "3月" in deputy.inner_text("main")  # the project's months
    shot(deputy, "project-phone")
    assert not deputy.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    for page in (officer, handler, deputy):
        assert page.errors == []
