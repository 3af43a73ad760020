"""The return loop in real Chromium: the unit signs for its assignment, the head sends the
draft back with a reason, the handler finds the reason on top and the text kept, the co-unit's
opinion beside the draft; the office passes it under its own label. Desktop and phone.
Screenshots go to $LVZHI_SHOTS (default test-artifacts/browser/return-loop)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from lvzhi.cases.engine import fire
from lvzhi.cases.models import AssignmentState, ReplyState
from lvzhi.testing import PASSWORD, build_world, draft, to_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("LVZHI_SHOTS") or
             Path(__file__).resolve().parents[3] / "test-artifacts" / "browser" / "return-loop")
TEXT = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事项目，正在修订补贴办法，"
        "拟将每台补贴提高至二十万元，由房屋安全管理处负责推进。")
OPINION = "我局同意主办单位意见，将在规划审批环节开辟绿色通道，十个工作日内办结。"
REASON = "请写明补贴资金的来源和到位时间"


class Actor:
    def __init__(self, browser, base: str, username: str, size: tuple[int, int]) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.goto(f"{base}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        assert "/login/" not in self.page.url, f"{username} 登录失败"
        self.base = base

    def open(self, case) -> None:
        self.page.goto(f"{self.base}/cases/{case.pk}/")
        self.page.wait_for_load_state("networkidle")

    def open_form(self, name: str):
        self.page.click(f"[data-bs-target='#act-{name}']")
        form = self.page.locator(f"#act-{name} form")
        form.wait_for(state="visible")
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(400)  # the collapse's animation, so screenshots show it whole
        return form

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size, tag", [((1366, 900), "desktop"), ((390, 844), "phone")])
def test_return_loop_in_the_browser(live_server, browser, size, tag):
    world = build_world(today=dt.date.today())
    case = to_state(world, draft(world), "handling")
    base = live_server.url
    lead_unit, co_unit = world.units[0], world.units[1]
    co = case.assignments.get(role="co")
    fire(case, "give_co_opinion", world.handler_of(co_unit), {"assignment": co.pk, "opinion": OPINION})

    handler = Actor(browser, base, world.handler_of(lead_unit).username, size)
    handler.open(case)
    assert "未签收" in handler.page.inner_text("body")
    form = handler.open_form("acknowledge")  # the unit's one assignment comes preselected
    with handler.page.expect_navigation():
        form.locator("button[type=submit]").click()
    handler.page.wait_for_load_state()
    assert "已签收" in handler.page.inner_text("body")
    assert case.assignments.get(role="lead").received_at is not None

    form = handler.open_form("draft_reply")
    assert form.locator("[name=reply_class]").input_value() == ""  # 请选择答复分类
    assert OPINION in form.inner_text()  # the co-unit's opinion beside the draft
    form.locator("[name=reply_class]").select_option("B")
    form.locator("[name=text]").fill(TEXT)
    with handler.page.expect_navigation():
        form.locator("button[type=submit]").click()
    handler.page.wait_for_load_state()

    head = Actor(browser, base, world.head_of(lead_unit).username, size)
    head.open(case)
    form = head.open_form("return_draft")
    assert TEXT in form.inner_text()
    form.locator("[name=reason]").fill(REASON)
    head.shot(f"{tag}-1-head-returns")
    with head.page.expect_navigation():
        form.locator("button[type=submit]").click()
    head.page.wait_for_load_state()
    assert "已退回经办人修改" in head.page.inner_text("body")
    assert case.replies.get().state == ReplyState.RETURNED

    handler.open(case)
    assert REASON in handler.page.locator("#returned-alert").inner_text()
    form = handler.open_form("draft_reply")
    assert form.locator("[name=text]").input_value() == TEXT
    assert form.locator("[name=reply_class]").input_value() == "B"
    assert "单位负责人退回" in form.inner_text() and REASON in form.inner_text()
    handler.shot(f"{tag}-2-handler-reopens")
    handler.page.locator("#act-draft_reply").screenshot(path=str(SHOTS / f"{tag}-2b-draft-form.png"))
    form.locator("[name=text]").fill(TEXT + "资金由市级财政列支，年内到位。")
    with handler.page.expect_navigation():
        form.locator("button[type=submit]").click()
    handler.page.wait_for_load_state()

    head.open(case)
    form = head.open_form("sign_reply")
    form.locator("[name=confirm]").check()
    with head.page.expect_navigation():
        form.locator("button[type=submit]").click()
    head.page.wait_for_load_state()

    clerk = Actor(browser, base, world.clerk.username, size)
    clerk.open(case)
    body = clerk.page.inner_text("#actions")
    assert "审核通过" in body and "退回承办单位修改" in body and "审核答复" not in body
    clerk.open_form("accept_reply")
    clerk.shot(f"{tag}-3-clerk-review")
    with clerk.page.expect_navigation():
        clerk.page.locator("#act-accept_reply form button[type=submit]").click()
    clerk.page.wait_for_load_state()
    assert "已答复待评价" in clerk.page.inner_text("body")
    co.refresh_from_db()
    assert co.state == AssignmentState.OPINION_GIVEN  # it had spoken: nothing to close
    clerk.shot(f"{tag}-4-clerk-after")
    for actor in (handler, head, clerk):
        assert actor.errors == []
