"""The error pages, the expired-form page and the admin in real Chromium, desktop and phone:
styled (the CSP lets no inline style or script through: no console error), Chinese, with a way
back. Screenshots go to $LVZHI_SCREENSHOTS (default test-artifacts/browser/errors)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lvzhi.core.models import Role
from lvzhi.testing import PASSWORD, build_world, draft, make_user, to_state
from lvzhi.testing_text import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS") or
             Path(__file__).resolve().parents[3] / "test-artifacts" / "browser" / "errors")
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _page(browser, base: str, username: str, size: str):
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    # The error pages answer 4xx on purpose; Chromium logs each such answer as an error.
    page.on("console", lambda m: m.type == "error" and "status of 4" not in m.text and errors.append(m.text))
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return page, errors


def _shot(page, name: str) -> str:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return page.inner_text("body")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_error_pages_in_chromium(browser, live_server, size):
    world = build_world()
    case = to_state(world, draft(world), "submitted")
    page, errors = _page(browser, live_server.url, world.clerk.username, size)
    page.goto(f"{live_server.url}/no-such-page/", referer=f"{live_server.url}/cases/")
    text = _shot(page, f"404-{size}")
    assert "页面不存在" in text and "返回上一页" in text and "回到首页" in text
    # The navigation bar is the platform's: styled, not Django's bare page.
    assert page.locator("nav.lvzhi-navbar").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.error-page')).boxShadow") != "none"
    page.goto(f"{live_server.url}/logout/")
    text = _shot(page, f"405-{size}")
    assert "此地址不能直接打开" in text
    page.goto(f"{live_server.url}/cases/{case.pk}/do/withdraw/")  # a fire address reloaded
    assert page.url.endswith(f"/cases/{case.pk}/")
    # 403: the clerk fires what only the deputy may, from the case page's own form token.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    page.evaluate("""([url, token]) => { const f = document.createElement('form'); f.method = 'post';
        f.action = url; const i = document.createElement('input'); i.name = 'csrfmiddlewaretoken';
        i.value = token; f.appendChild(i); document.body.appendChild(f); f.submit(); }""",
                  [f"/cases/{case.pk}/do/withdraw/", token])
    page.wait_for_load_state()
    text = _shot(page, f"403-{size}")
    assert "无权执行此操作" in text
    # An expired form: the cookie is gone (a new login elsewhere, a lost session).
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.context.clear_cookies()
    page.evaluate("""(url) => { const f = document.createElement('form'); f.method = 'post';
        f.action = url; document.body.appendChild(f); f.submit(); }""", f"/cases/{case.pk}/do/register/")
    page.wait_for_load_state()
    text = _shot(page, f"csrf-{size}")
    assert "页面已过期" in text and "CSRF" not in text and "DEBUG" not in text
    assert english_words(text) == []
    assert errors == []


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_admin_pages_in_chromium(browser, live_server, size):
    world = build_world()
    to_state(world, draft(world), "replied")
    auditor = make_user("auditor-e", Role.AUDIT_ADMIN, world.congress, name="审计管理员")
    page, errors = _page(browser, live_server.url, auditor.username, size)
    for name, url in (("admin-index", "/admin/"), ("admin-events", "/admin/cases/event/"),
                      ("admin-audit", "/admin/audit/")):
        page.goto(live_server.url + url)
        text = _shot(page, f"{name}-{size}")
        assert english_words(text, {auditor.username}) == [], (url, english_words(text))
    security = make_user("security-e", Role.SECURITY_ADMIN, world.congress, name="安全管理员")
    page, more = _page(browser, live_server.url, security.username, size)
    page.goto(live_server.url + "/admin/")
    text = _shot(page, f"admin-security-{size}")
    assert "登录安全" in text and "动态验证码" in text
    assert errors == [] and more == []


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_pasted_long_title_is_kept_and_every_error_listed(browser, live_server, size):
    world = build_world()
    page, errors = _page(browser, live_server.url, world.deputy_user.username, size)
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_title", "电" * 10000)  # the input does not cut it at 200
    assert len(page.input_value("#id_title")) == 10000
    page.fill("#id_body", "太短")
    with page.expect_navigation():
        page.click("form[data-draft-form] button[type=submit]")
    page.wait_for_load_state()
    text = _shot(page, f"validation-{size}")
    assert "请修改以下2处：标题最多200字，当前10000字；内容至少50字，当前2字" in text
    assert english_words(text, {world.deputy_user.username}) == []
    assert errors == []
