"""Lights and short labels in real Chromium, at a phone's 390 px and a desktop's 1366 px: the
case list, the deadline monitor and a unit's inbox show what each light means and never break
a short text inside a word ("临/期", "已完/成"); the monitor's select-all and 催办 work.
Screenshots go to test-artifacts/browser/lights/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Deadline, Event
from lvzhi.testing import build_world, draft, to_state
from lvzhi.testing_browser import cells_cut_mid_word

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser" / "lights"
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


def page_as(browser, live_server, user, size: str):
    """A page logged in as `user` (the session cookie of a forced login: the login form and
    its lockout are tested elsewhere), with console errors collected."""
    client = Client()
    client.force_login(user)
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def busy_world():
    """Cases in every light: overdue, in the warning window, green, replied, closed."""
    world = build_world(today=dt.date.today())
    today = timezone.localdate()
    late = [to_state(world, draft(world, title=f"关于第{i}批老旧小区加装电梯补贴资金尽快拨付到位的建议"),
                     "handling") for i in range(1, 4)]
    for i, case in enumerate(late):
        Deadline.objects.filter(case=case, kind=DeadlineKind.REPLY).update(
            due_on=today - dt.timedelta(days=3 + i * 20))
    soon = to_state(world, draft(world, title="关于增设社区养老服务站的建议"), "handling")
    Deadline.objects.filter(case=soon, kind=DeadlineKind.REPLY).update(due_on=today + dt.timedelta(days=5))
    to_state(world, draft(world, title="关于优化公交线路的建议"), "handling")
    to_state(world, draft(world, title="关于规范校外培训机构的建议"), "replied")
    to_state(world, draft(world, title="关于改善农贸市场环境的建议", cosigners=1), "closed")
    to_state(world, draft(world, title="关于建设城市绿道的建议"), "submitted")
    return world, late


@pytest.mark.parametrize("size", list(SIZES))
def test_no_short_text_is_cut_mid_word(live_server, browser, size):
    world, late = busy_world()
    pages = [(world.clerk, "/cases/", "case-list"), (world.clerk, "/office/deadlines/", "monitor"),
             (world.handler_of(world.units[0]), "/unit/inbox/", "unit-inbox"),
             (world.clerk, f"/cases/{late[0].pk}/", "case-detail"), (world.deputy_user, "/my/", "deputy-list")]
    for user, path, name in pages:
        page = page_as(browser, live_server, user, size)
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        shot(page, f"{name}-{size}")
        body = page.inner_text("body")
        if name in ("case-list", "monitor", "case-detail"):
            assert "超期3天" in body, name
        assert cells_cut_mid_word(page) == [], (name, size)
        # Nothing sticks out of the page sideways: wide tables scroll inside their own box.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, size)
        assert page.errors == [], (name, page.errors)
        page.context.close()


def test_the_checker_catches_a_cut_word(browser):
    """The checker itself: a squeezed column that breaks "已完成" and a light's text is reported,
    the same cell kept on one line is not."""
    page = browser.new_page(viewport={"width": 390, "height": 600})
    page.set_content("""<table><tr>
      <td style="width:1.2em;max-width:1.2em">已完成</td>
      <td style="width:3em;max-width:3em">
        <span class="light-text" style="white-space:normal">答复期限 剩12天</span></td>
      <td style="white-space:nowrap">临期</td>
      <td style="width:3em">市住房和城乡建设局<br>会办：市交通运输局，市自然资源和规划局</td></tr></table>""")
    found = cells_cut_mid_word(page)
    assert any(f.startswith("已完成") for f in found) and any(f.startswith("答复期限") for f in found)
    assert not any(f.startswith("临期") for f in found)
    assert not any("会办" in f for f in found)  # long text may wrap
    page.close()


def test_select_all_and_urge_from_the_monitor(live_server, browser):
    world, late = busy_world()
    page = page_as(browser, live_server, world.clerk, "desktop")
    page.goto(f"{live_server.url}/office/deadlines/")
    boxes = page.locator("input[name=case]")
    assert boxes.count() == 3
    page.check("[data-select-all=case]")
    assert all(boxes.nth(i).is_checked() for i in range(3))
    boxes.nth(0).uncheck()
    assert page.evaluate("document.querySelector('[data-select-all=case]').indeterminate")
    boxes.nth(0).check()
    page.fill("#urge-note", "请于本周五前报送答复")
    with page.expect_navigation():
        page.click("[data-urge-selected]")
    page.wait_for_load_state()
    results = page.inner_text("[data-urge-results]")
    assert "已催办3件" in results
    for case in late:
        assert (case.number or case.title) in results
        assert Event.objects.filter(case=case, name="urge", payload__note="请于本周五前报送答复").count() == 1
    shot(page, "monitor-after-urge-desktop")
    # One row's own button urges that case alone.
    with page.expect_navigation():
        page.locator(f"button[name=one][value='{late[1].pk}']:visible").click()
    page.wait_for_load_state()
    assert "已催办1件" in page.inner_text("[data-urge-results]")
    assert Event.objects.filter(case=late[1], name="urge").count() == 2
    assert page.errors == []
    page.context.close()
