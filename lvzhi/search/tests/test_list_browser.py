"""The case list in real Chromium: search, select all, a batch action's per-case results,
sorting by a header; desktop and phone, no console error (CSP included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi.suggestions.tests.test_browser_loop import Actor
from lvzhi.testing import build_world, draft, to_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser"


@pytest.mark.parametrize("mobile", [False, True])
def test_search_select_all_and_batch_publish(live_server, browser, mobile):
    world = build_world()
    world.deputies[0].name = "刘建华"
    world.deputies[0].save()
    replied = [to_state(world, draft(world, title=f"关于第{i}片区加装电梯财政补贴的建议"), "replied")
               for i in range(2)]
    other = to_state(world, draft(world, deputy_index=3, title="关于规范共享单车停放的建议"), "handling")
    clerk = Actor(browser, live_server.url, world.clerk.username, mobile=mobile)
    page = clerk.page
    page.goto(f"{live_server.url}/cases/")
    page.fill("input[name=q]", "刘建华 补贴")
    with page.expect_navigation():
        page.click("button:has-text('检索')")
    page.wait_for_load_state()
    assert page.locator("input[name=ids]").count() == 2
    page.check("#select-all")
    assert page.locator("input[name=ids]:checked").count() == 2
    assert page.locator("[data-selected-count]").inner_text() == "已选2件"
    with page.expect_navigation():
        page.click("button[name=action][value=publish]")
    page.wait_for_load_state()
    assert "批量公开：成功2件" in page.content()
    assert page.locator("#batch-results-title").is_visible()
    assert "q=" in page.url  # back to the same search
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"case-list-batch{'-phone' if mobile else ''}.png"), full_page=True)
    for c in replied:
        c.refresh_from_db()
        assert c.is_public
    if not mobile:  # the headers are the sort controls on a desktop
        page.goto(f"{live_server.url}/cases/?kind=suggestion")
        with page.expect_navigation():
            page.click("thead a:has-text('标题')")
        page.wait_for_load_state()
        assert "sort=title" in page.url and "kind=suggestion" in page.url
        with page.expect_navigation():
            page.click("thead a:has-text('标题')")
        page.wait_for_load_state()
        assert "sort=-title" in page.url
        first = page.locator("tbody tr").first.inner_text()
        assert other.title in first  # 关于规范… sorts after 关于第…, first when descending
    assert clerk.errors == []
