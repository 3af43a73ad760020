"""The plan loop in real Chromium: the committee adds and scores a candidate, the 主任会议
accepts it, passes and publishes the plan, reschedules the topic, and the public sees it all
without logging in. Screenshots go to $LVZHI_SHOTS (default test-artifacts/browser/plan)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from lvzhi.supervision.models import PlanState, Topic
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("LVZHI_SHOTS") or
             Path(__file__).resolve().parents[3] / "test-artifacts" / "browser" / "plan")


def _login(browser, base: str, username: str, size: tuple[int, int]):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    if username:
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
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size, tag", [((1366, 900), "desktop"), ((390, 844), "phone")])
def test_plan_loop_in_the_browser(live_server, browser, size, tag):
    world = build_world(today=dt.date.today())
    base, year = live_server.url, dt.date.today().year
    staff, staff_errors = _login(browser, base, world.committee_staff.username, size)
    staff.goto(f"{base}/supervision/candidates/?year={year}")
    staff.fill("#id_title", "住宅小区物业管理情况")
    staff.select_option("#id_channel", "petitions")
    staff.fill("#id_reason", "物业服务类信访件逐年上升，业主反映收费不透明、维修资金使用难。")
    with staff.expect_navigation():
        staff.click("form:has(#id_title) button[type=submit]")
    staff.wait_for_load_state()
    assert "已添加候选议题" in staff.inner_text("body")
    staff.fill("[id$=-importance]", "90")
    staff.fill("[id$=-urgency]", "80")
    staff.fill("[id$=-feasibility]", "70")
    with staff.expect_navigation():
        staff.click("form[action*=score] button[type=submit]")
    staff.wait_for_load_state()
    assert "综合评分 80 分" in staff.inner_text("body")
    _shot(staff, f"candidates-{tag}")

    leader, leader_errors = _login(browser, base, world.leader.username, size)
    leader.goto(f"{base}/supervision/plan/?year={year}")
    leader.select_option("[id$=-form]", "law_inspection")
    leader.select_option("[id$=-lead]", str(world.committee.pk))
    leader.fill("[id$=-meeting]", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    with leader.expect_navigation():
        leader.click("button[value=accept]")
    leader.wait_for_load_state()
    assert "列入计划" in leader.inner_text("body")
    with leader.expect_navigation():
        leader.click("#plan-approve")
    leader.wait_for_load_state()
    with leader.expect_navigation():
        leader.click("#plan-publish")
    leader.wait_for_load_state()
    assert "已向社会公布" in leader.inner_text("body")
    topic = Topic.objects.get()
    assert topic.plan.state == PlanState.PUBLISHED
    leader.select_option("#id_topic", str(topic.pk))
    leader.select_option("#id_kind", "rescheduled")
    leader.fill("#id_new_meeting_on", (dt.date.today() + dt.timedelta(days=90)).isoformat())
    leader.fill("#id_reason", "与自治区人大常委会执法检查同步开展")
    with leader.expect_navigation():
        leader.click("#plan-adjust")
    leader.wait_for_load_state()
    assert "已记录计划调整" in leader.inner_text("body")
    _shot(leader, f"plan-{tag}")

    public, public_errors = _login(browser, base, "", size)
    public.goto(f"{base}/supervision/public/plan/{year}/")
    body = public.inner_text("body")
    assert "住宅小区物业管理情况" in body and "与自治区人大常委会执法检查同步开展" in body
    assert public.evaluate("document.documentElement.scrollWidth") <= size[0]  # no sideways scroll
    _shot(public, f"public-{tag}")
    assert not (staff_errors + leader_errors + public_errors)
