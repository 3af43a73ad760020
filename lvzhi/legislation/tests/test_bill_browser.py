"""The plan and a bill in real Chromium on a phone: the 法工委 clerk reads the year's plan, opens the
bill out for comment and reads its draft article by article, then publishes the approved bill from
its page; the public reads the published plan. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from lvzhi.legislation import plan_demo
from lvzhi.legislation.choices import BillState
from lvzhi.legislation.models import Bill
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.testing import PASSWORD, build_world
from lvzhi.testing_browser import cells_cut_mid_word

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


def _login(browser, base: str, username: str):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} 登录失败"
    return page, errors


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"legislation-plan-{name}.png"), full_page=True)


def _no_sideways_scroll(page) -> None:
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
        > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '')
        .trim().slice(0, 30))""")
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert fits, f"页面在手机上横向溢出：{wide}"


def test_plan_and_bill_on_a_phone(live_server, browser):
    world = build_world(today=dt.date.today())
    law = add_law_bodies(world)
    builder = SimpleNamespace(city=world.congress, rng=random.Random(7), today=timezone.localdate(),
                              users={"lawclerk": law.law_clerk, "lawstaff": law.law_staff, "leader": world.leader},
                              orgs={o.name: o for o in world.congress.organizations.all()})
    plan_demo.build_demo(builder)
    base, year = live_server.url, builder.today.year
    page, errors = _login(browser, base, law.law_clerk.username)

    page.goto(f"{base}/legislation/plan/?year={year}")
    body = page.inner_text("body")
    assert f"{year}年度立法计划" in body and "正式项目 5件" in body and "调研项目 8件" in body
    _shot(page, "plan-phone")
    _no_sideways_scroll(page)
    assert cells_cut_mid_word(page) == []

    item = Bill.objects.get(title="北辰市电动自行车管理条例（草案）").plan_item
    page.goto(f"{base}{item.get_absolute_url()}")
    assert "相关代表议案" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "legislation-plan-item-phone.png"))
    _no_sideways_scroll(page)

    page.goto(f"{base}/legislation/suggestions/?year={year - 1}")
    body = page.inner_text("body")
    assert "按来源渠道" in body and "采纳：列入计划" in body
    page.screenshot(path=str(SHOTS / "legislation-plan-suggestions-phone.png"))
    _no_sideways_scroll(page)

    page.goto(f"{base}/legislation/bills/")
    body = page.inner_text("body")
    assert "正在办理的法规案" in body and "印发超期" in body and "下一步：登记批准" in body
    _shot(page, "bills-phone")
    _no_sideways_scroll(page)

    bill = Bill.objects.get(title="北辰市物业管理条例（修订草案）")
    page.goto(f"{base}{bill.get_absolute_url()}")
    page.click("#draft-text summary")
    body = page.inner_text("body")
    assert "草案（征求意见稿）" in body and "第二章 业主、业主大会和业主委员会" in body and "第四十八条" in body
    _shot(page, "bill-phone")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "legislation-plan-bill-top-phone.png"))
    page.locator("#drafts").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "legislation-plan-bill-draft-phone.png"))
    _no_sideways_scroll(page)

    dog = Bill.objects.get(state=BillState.APPROVED)
    page.goto(f"{base}{dog.get_absolute_url()}")
    today = builder.today.isoformat()
    page.fill("#id_published_on", today)
    page.fill("#id_gazette_issue", f"{year}年第6号")
    page.fill("#id_website_on", today)
    page.fill("#id_effective_on", (builder.today + dt.timedelta(days=30)).isoformat())
    with page.expect_navigation():
        page.click("#bill-publish")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "已公布，法规版本已登记" in body and f"常委会公报{year}年第6号" in body
    dog.refresh_from_db()
    assert dog.state == BillState.PUBLISHED and dog.regulation.versions.filter(bill=dog).exists()
    _shot(page, "bill-published-phone")
    page.locator("#vote").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "legislation-plan-bill-published-top-phone.png"))

    public = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    public.goto(f"{base}/legislation/public/plan/{year}/")
    text = public.inner_text("body")
    assert "年度立法计划" in text and "北辰市黄河流域生态保护条例" in text and "取消项目" in text
    _no_sideways_scroll(public)
    _shot(public, "public-phone")
    assert errors == []
