"""The leader's dashboard charts in real Chromium: counts of cases are ticked in whole numbers
(no "0.5件" on the overdue chart), and on a 390px phone every pie label stays inside its chart,
whole (no "已..."). Screenshots go to $LVZHI_SHOTS (default test-artifacts/browser/charts)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Deadline
from lvzhi.reports import facts
from lvzhi.testing import PASSWORD, build_world, draft, to_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("LVZHI_SHOTS") or
             Path(__file__).resolve().parents[3] / "test-artifacts" / "browser" / "charts")


def _world_with_overdue_units():
    """Three cases handled by units[0] (all three late) and units[1] (one late), cases in
    several states so the state pie has small slices with long names."""
    world = build_world(today=dt.date.today())
    late = dt.date.today() - dt.timedelta(days=10)
    handled = [to_state(world, draft(world, deputy_index=i), "handling") for i in range(3)]
    for i, case in enumerate(handled):
        units = [world.units[0]] + ([world.units[1]] if i == 0 else [])
        Deadline.objects.filter(case=case, assignment__unit__in=units, met_at=None,
                                cancelled=False).update(due_on=late)
        facts.refresh(case.pk)  # a bulk update bypasses the engine: its summary row is redone
    to_state(world, draft(world, deputy_index=4), "registered")
    to_state(world, draft(world, deputy_index=6), "submitted")
    returned = to_state(world, draft(world, deputy_index=8), "submitted")
    fire(returned, "return_for_revision", world.clerk, {"reason": "请补充具体的小区名称"})
    return world


TEXTS = """(el) => Array.from(el.querySelectorAll("svg text")).map((t) => {
    const r = t.getBoundingClientRect(), c = el.getBoundingClientRect();
    return {text: t.textContent, inside: r.left >= c.left - 1 && r.right <= c.right + 1
            && r.top >= c.top - 1 && r.bottom <= c.bottom + 1, shown: r.width > 0};
})"""


@pytest.mark.parametrize("size, tag", [((1366, 900), "desktop"), ((390, 844), "phone")])
def test_dashboard_charts_count_whole_cases_and_fit_a_phone(live_server, browser, size, tag):
    world = _world_with_overdue_units()
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
    page.wait_for_selector("[data-chart=hbar] svg text")
    page.wait_for_timeout(800)  # ECharts' entry animation
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{tag}-dashboard.png"), full_page=True)

    overdue = page.locator("[data-chart=hbar]")
    unit_names = {world.units[0].name, world.units[1].name}
    ticks = [t["text"] for t in overdue.evaluate(TEXTS) if t["text"] not in unit_names]
    assert ticks and all(t.isdigit() for t in ticks), ticks  # 0 1 2 3, never 0.5
    assert "3" in ticks
    for chart in page.locator("[data-chart=bar], [data-chart=hbar]").all():
        values = [t["text"] for t in chart.evaluate(TEXTS)]
        assert not any("." in v for v in values), values

    pies = page.locator("[data-chart=pie]").all()
    assert len(pies) == 2
    states = pies[0].evaluate(TEXTS)
    shown = " ".join(t["text"] for t in states)
    for label in ("办理中", "已立案待交办", "已提交待审查", "退回修改"):
        assert label in shown, shown
    for pie in pies:
        for t in pie.evaluate(TEXTS):
            if t["shown"]:
                assert t["inside"], f"{t['text']} 超出图表"
                assert "..." not in t["text"] and "…" not in t["text"], t["text"]
    pies[0].locator("xpath=ancestor::div[contains(@class,'card')][1]").screenshot(
        path=str(SHOTS / f"{tag}-states-pie.png"))
    assert errors == []
    context.close()
