"""The registry in Chromium on a phone: the 法工委 clerk opens a regulation (its text by chapter,
its versions and its timeline), records an implementing rule, and compares two versions.
Screenshots: docs/screenshots/legislation-registry-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lvzhi.legislation import registry_services as svc
from lvzhi.legislation.choices import Action
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.registry_helpers import PROPERTY_AMENDED, regulation
from lvzhi.legislation.versions import record_version
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def test_regulation_page_and_diff_on_a_phone(live_server, browser):
    world = build_world()
    law = add_law_bodies(world)
    reg = regulation(world)
    record_version(reg, Action.AMEND_DECISION, dt.date(2022, 6, 30), text=PROPERTY_AMENDED,
                   decision="北辰市人民代表大会常务委员会关于修改《北辰市物业管理条例》的决定",
                   approved_on=dt.date(2022, 9, 28), website_on=dt.date(2022, 10, 8))
    svc.add_evaluation(None, reg, year=2023, body="市人大常委会法制工作委员会", conclusion="amend",
                       findings="业主委员会成立率提高，共有部分收益公开规定操作性不强。", done_on=dt.date(2023, 11, 20))
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", law.law_clerk.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/legislation/regulations/{reg.pk}/")
    page.goto(f"{live_server.url}/legislation/regulations/{reg.pk}/rules/new/")
    page.fill("#id_title", "物业服务收费管理办法")
    page.fill("#id_article", "第六条")
    page.fill("#id_responsible_body", "市发展和改革委员会")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "应于2021年1月4日前出台" in body and "1件配套规定逾期未出台" in body
    assert "第二章 业主和业主大会" in body and "全生命周期" in body and "省级人大常委会批准" in body
    # the text is readable on a phone: no horizontal scroll
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "legislation-registry-regulation.png"), full_page=True)
    with page.expect_navigation():
        page.click("text=版本对照")
    page.wait_for_load_state()
    assert "修改1条" in page.inner_text("#diff-counts")
    assert page.locator("ins", has_text="在物业管理区域显著位置").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SHOTS / "legislation-registry-diff.png"), full_page=True)
    assert errors == []
    ctx.close()
    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/legislation/public/regulations/")
    with public.expect_navigation():
        public.click("text=北辰市物业管理条例")
    public.wait_for_load_state()
    body = public.inner_text("body")
    assert "第三章 物业服务" in body and "2022年6月30日修正" in body and "配套规定" not in body
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    public.screenshot(path=str(SHOTS / "legislation-registry-public.png"), full_page=True)
    public.context.close()
