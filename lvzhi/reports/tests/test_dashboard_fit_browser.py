"""The leader's dashboard in real Chromium (issue 8): on a 390px phone nothing makes the page
wider than the screen (it was 394px: the 口径说明 list's row gutter), and the state pie's legend
shows every state with its count, on desktop too (it was a paged "1/2" legend hiding states)."""

from __future__ import annotations

import pytest

from lvzhi.cases.engine import fire
from lvzhi.reports.tests.test_charts_browser import TEXTS, _world_with_overdue_units
from lvzhi.testing import PASSWORD, draft, to_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world_with_many_states():
    world = _world_with_overdue_units()  # handling, registered, submitted, returned
    to_state(world, draft(world, deputy_index=9, cosigners=0), "replied")
    to_state(world, draft(world, deputy_index=10, cosigners=0), "closed")
    gone = to_state(world, draft(world, deputy_index=11, cosigners=0), "submitted")
    fire(gone, "withdraw", world.deputies[11].user, {"reason": "问题已经得到解决，申请撤回"})
    target = world.deputies[4].led_cases.get()  # the registered one
    merged = to_state(world, draft(world, deputy_index=3, cosigners=0), "submitted")
    fire(merged, "merge", world.clerk, {"target": target.pk, "reason": "内容相同，并案办理"})
    return world


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_dashboard_fits_and_its_state_legend_shows_every_state(live_server, browser, size):
    world = _world_with_many_states()
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.leader.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("[data-chart=pie] svg text")
    page.wait_for_timeout(800)  # ECharts' entry animation

    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"页面宽 {width[0]}px，屏幕宽 {width[1]}px"

    # Every state the table lists, with its count, in the pie's legend, whole and inside the chart.
    rows = page.locator("h2:has-text('各状态件数') + table tr").all()
    states = [(r.locator("td").nth(0).inner_text().strip(), r.locator("td").nth(1).inner_text().strip())
              for r in rows]
    assert len(states) >= 8, states
    pie = page.locator("[data-chart=pie]").first
    texts = pie.evaluate(TEXTS)
    shown = {t["text"]: t for t in texts if t["shown"]}
    for label, n in states:
        item = shown.get(f"{label} {n}")
        assert item, f"图例缺少“{label} {n}”：{sorted(shown)}"
        assert item["inside"], f"图例“{label}”超出图表"
    assert not any("/" in t for t in shown), "图例分页"  # the paged legend's "1/2"
    assert errors == []
    context.close()
