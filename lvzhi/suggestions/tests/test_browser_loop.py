"""The whole suggestion loop across roles in real Chromium (Debian's, driven by Playwright).

deputy submits with co-signers → co-signer confirms → clerk registers and assigns lead + co
units → unit logs contact and replies → head signs → clerk accepts → deputy unsatisfied →
unit replies again → head signs → clerk accepts → deputy satisfied → closed.
Screenshots of every step are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lvzhi.cases.models import Case
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser"


class Actor:
    """One role in its own browser context (its own cookies), phone-sized for deputies."""

    def __init__(self, browser, base: str, username: str, mobile: bool = False) -> None:
        size = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
        self.context = browser.new_context(viewport=size, locale="zh-CN")
        self.page = self.context.new_page()
        # Console errors include CSP violations (inline script or style) and failed requests.
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.base = base
        self.page.goto(f"{base}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        assert "/login/" not in self.page.url, f"{username} 登录失败"

    def open_case(self, case: Case) -> None:
        self.page.goto(f"{self.base}/cases/{case.pk}/")

    def act(self, name: str, fill: dict[str, str] | None = None, select: dict[str, object] | None = None,
            check: list[str] | None = None) -> None:
        page = self.page
        page.click(f"[data-bs-target='#act-{name}']")
        form = page.locator(f"#act-{name} form")
        form.wait_for(state="visible")
        page.wait_for_load_state("networkidle")  # the assist hints load into the form by htmx
        for field, value in (select or {}).items():
            form.locator(f"[name={field}]").select_option(value)
        for selector in check or []:
            form.locator(selector).check()
        for field, value in (fill or {}).items():
            form.locator(f"[name={field}]").fill(value)
        # Wait for the POST's page, not the one still showing: wait_for_load_state alone can
        # return before the navigation starts, and the next check reads the old page.
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def expect_text(self, text: str) -> None:
        assert text in self.page.inner_text("body"), f"页面中没有“{text}”"


REPLY_1 = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事项目，正在修订补贴办法，"
           "拟将每台补贴提高至二十万元，由房屋安全管理处负责推进。")
REPLY_2 = ("我局已于本月出台《老旧小区加装电梯补贴实施细则》，首批三十台电梯已经开工，"
           "审批时限由六十天压缩至二十天，房屋安全管理处按月向代表通报进度。")


def test_whole_loop_across_roles(live_server, browser):
    world = build_world(today=dt.date.today())
    base = live_server.url
    unit, co_unit = world.units[0], world.units[1]

    deputy = Actor(browser, base, world.deputy_user.username, mobile=True)
    deputy.page.goto(f"{base}/cases/new/")
    deputy.page.fill("[name=title]", "关于加快老旧小区加装电梯的建议")
    deputy.page.select_option("[name=category]", "城乡建设")
    deputy.page.fill("[name=body]", "我市老旧小区加装电梯工作推进缓慢，部分小区因低楼层住户意见不一、"
                                    "资金筹措困难、审批流程繁琐而长期停滞。建议简化审批流程，明确补贴标准，"
                                    "建立社区协商机制，推动加装电梯提速。")
    for d in world.deputies[1:3]:  # the picker is checkboxes: one click per deputy
        deputy.page.check(f"[name=cosigners][value=\"{d.pk}\"]")
    deputy.shot("01-deputy-writes")
    with deputy.page.expect_navigation():
        deputy.page.click("button[value=submit]")
    deputy.page.wait_for_load_state()
    deputy.expect_text("已提交待审查")
    deputy.shot("02-deputy-submitted")
    case = Case.objects.get(lead_deputy=world.deputies[0])

    cosigner = Actor(browser, base, world.deputies[1].user.username, mobile=True)
    cosigner.expect_text("附议邀请")  # the home page is 待办; the invitation is answered on 我的议案建议
    cosigner.page.goto(f"{base}/my/")
    cosigner.expect_text("待我确认的附议邀请")
    cosigner.shot("03-cosigner-invitation")
    with cosigner.page.expect_navigation():
        cosigner.page.click("text=同意附议")
    cosigner.page.wait_for_load_state()

    clerk = Actor(browser, base, world.clerk.username)
    clerk.expect_text(case.title)
    clerk.shot("04-clerk-intake")
    clerk.open_case(case)
    clerk.act("register", select={"category": "城乡建设"})
    clerk.expect_text("已立案待交办")
    clerk.act("assign", select={"lead": str(unit.pk), "co": [str(co_unit.pk)]})
    clerk.expect_text("办理中")
    clerk.expect_text(unit.name)
    clerk.shot("05-clerk-assigned")

    handler = Actor(browser, base, world.handler_of(unit).username)
    handler.expect_text(case.title)
    handler.shot("06-unit-inbox")
    handler.open_case(case)
    lead = case.assignments.get(unit=unit)
    handler.act("log_contact", select={"assignment": str(lead.pk), "stage": "before", "method": "meeting"},
                fill={"happened_on": dt.date.today().isoformat(), "summary": "到代表所在社区座谈，听取意见"})
    handler.act("draft_reply", select={"assignment": str(lead.pk), "reply_class": "B"},
                fill={"text": REPLY_1})
    handler.shot("07-unit-drafted")

    head = Actor(browser, base, world.head_of(unit).username)
    head.open_case(case)
    reply = case.replies.get(round=1)
    head.act("sign_reply", select={"reply": str(reply.pk)}, check=["[name=confirm]"])
    head.shot("08-head-signed")

    clerk.open_case(case)
    clerk.act("accept_reply", select={"reply": str(reply.pk)})
    clerk.expect_text("已答复待评价")

    deputy.open_case(case)
    deputy.expect_text(REPLY_1[:20])
    deputy.act("evaluate", check=["input[name=verdict][value=unsatisfied]"],
               fill={"comment": "补贴标准尚未落实，审批仍然缓慢"})
    deputy.expect_text("重新办理中")
    deputy.shot("09-deputy-unsatisfied")

    handler.open_case(case)
    handler.act("draft_reply", select={"assignment": str(lead.pk), "reply_class": "A"},
                fill={"text": REPLY_2})
    head.open_case(case)
    reply2 = case.replies.get(round=2)
    head.act("sign_reply", select={"reply": str(reply2.pk)}, check=["[name=confirm]"])
    clerk.open_case(case)
    clerk.act("accept_reply", select={"reply": str(reply2.pk)})

    deputy.open_case(case)
    deputy.act("evaluate", check=["input[name=verdict][value=satisfied]"])
    deputy.expect_text("已办结")
    deputy.shot("10-deputy-satisfied-closed")

    case.refresh_from_db()
    assert case.state == SuggestionState.CLOSED and case.round == 2
    assert [e.verdict for e in case.evaluations.order_by("round")] == ["unsatisfied", "satisfied"]
    for actor in (deputy, cosigner, clerk, handler, head):
        assert actor.errors == [], actor.errors
        actor.context.close()


def test_unsaved_draft_survives_an_expired_session(live_server, browser):
    world = build_world(today=dt.date.today())
    base = live_server.url
    deputy = Actor(browser, base, world.deputy_user.username, mobile=True)
    deputy.page.goto(f"{base}/cases/new/")
    deputy.page.fill("[name=title]", "关于增设社区养老服务站点的建议")
    deputy.page.fill("[name=body]", "我市老龄化程度加深，部分老旧社区缺少日间照料中心，老人就餐、助浴等需求得不到满足。"
                                    "建议民政部门按照十五分钟服务圈统筹布点，利用闲置公房改建社区养老服务站。")
    # The session ends (idle timeout, another device logging out …) before the deputy saves.
    deputy.context.clear_cookies()
    with deputy.page.expect_navigation():
        deputy.page.click("button[value=save]")
    deputy.page.wait_for_load_state()
    assert not world.deputies[0].led_cases.exists()  # the server refused it (no session, no CSRF)
    deputy.errors.clear()  # that refusal is the expected console error
    deputy.page.goto(f"{base}/login/")
    deputy.page.fill("#id_username", world.deputy_user.username)
    deputy.page.fill("#id_password", PASSWORD)
    with deputy.page.expect_navigation():
        deputy.page.click("button[type=submit]")
    deputy.page.wait_for_load_state()
    deputy.page.goto(f"{base}/cases/new/")
    deputy.expect_text("已恢复您在本机上次未保存的内容")
    assert deputy.page.input_value("[name=title]") == "关于增设社区养老服务站点的建议"
    deputy.shot("11-draft-restored")
    with deputy.page.expect_navigation():
        deputy.page.click("button[value=save]")
    deputy.page.wait_for_load_state()
    deputy.expect_text("草稿已保存")
    assert deputy.page.evaluate("localStorage.getItem('lvzhi:draft-new')") is None
    assert world.deputies[0].led_cases.get().title == "关于增设社区养老服务站点的建议"
    assert deputy.errors == [], deputy.errors
    deputy.context.close()
