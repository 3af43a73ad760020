"""The budget figures count what they say and trace to their records: warnings by rule, the
departments warned (and warned again), closed and closed on time, reports produced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lvzhi.budget import figures, report
from lvzhi.budget.rules import Finding
from lvzhi.budget.testing import budget_world
from lvzhi.budget.warnings import open_warning
from lvzhi.cases.engine import fire
from lvzhi.reports.figures import annual_figures, figure_cases
from lvzhi.reports.registry import get_group

pytestmark = pytest.mark.django_db


def finding(code: str, rule: str, n: int) -> Finding:
    return Finding(rule=rule, key=f"unit:{code}/{n}", title=f"{code}预警{n}", unit_code=code, year=2026, month=6,
                   measured=Decimal("20.00"), threshold=Decimal("10.00"), basis="《中华人民共和国预算法》第五十七条")


def close(case, bw, *, answer_after_days: int, now: dt.datetime):
    """Push, answer after so many days, accept."""
    handler = bw.handlers["105001"]
    case = fire(case, "push", bw.officer, {"unit": handler.organization_id, "note": ""}, now=now).case
    case = fire(case, "answer", handler, {"text": "已说明原因并整改。"},
                now=now + dt.timedelta(days=answer_after_days)).case
    return fire(case, "accept", bw.officer, {"note": ""}, now=now + dt.timedelta(days=answer_after_days + 1)).case


def test_figures_count_and_trace(world, client):
    bw = budget_world(world)
    c = world.congress
    year = timezone.localdate().year
    start = timezone.now() - dt.timedelta(days=40)
    on_time = close(open_warning(c, finding("105001", "progress", 1)), bw, answer_after_days=3, now=start)
    late = close(open_warning(c, finding("105001", "overspend", 2)), bw, answer_after_days=30, now=start)
    other = open_warning(c, finding("108001", "progress", 3))
    city = open_warning(c, Finding(rule="reserve", key="city", title="预备费比例偏低", unit_code=None, year=2026,
                                   month=0, measured=Decimal("0.8"), threshold=Decimal("1"), basis="预算法第四十条"))
    values = {f.code: v.count for owner, vals in annual_figures([c.pk], year) if owner.code == "budget"
              for v in vals for f in [v.figure]}
    assert values["budget_warnings"] == 4
    assert values["budget_warnings_progress"] == 2 and values["budget_warnings_overspend"] == 1
    assert values["budget_warnings_reserve"] == 1 and values["budget_warnings_debt"] == 0
    assert values["budget_warning_units"] == 2  # 教育局 and 民政局; the city-wide one has no department
    assert values["budget_warning_units_repeated"] == 1
    assert values["budget_warnings_closed"] == 2
    assert values["budget_warnings_closed_on_time"] == 1
    assert set(figure_cases("budget", "budget_warnings_closed_on_time", [c.pk], year)) == {on_time}
    assert set(figure_cases("budget", "budget_warnings", [c.pk], year)) == {on_time, late, other, city}
    assert [u.code for u in figure_cases("budget", "budget_warning_units_repeated", [c.pk], year)] == ["105001"]
    assert [(u.code, n) for u, n in figures.top_units([c.pk], *figures_bounds(year))] == [("105001", 2),
                                                                                          ("108001", 1)]
    assert values["budget_reports"] == 0
    assert {f.code for f in get_group("budget").figures} >= {"budget_reports", "budget_warnings_audit"}

    client.force_login(world.leader)
    page = client.get(f"/reports/annual/budget/budget_warning_units_repeated/?year={year}")
    assert page.status_code == 200 and "105001 市教育局" in page.content.decode()
    page = client.get(f"/reports/annual/budget/budget_warnings/?year={year}")
    assert page.status_code == 200 and on_time.number in page.content.decode()


def figures_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def test_reports_produced_are_counted(world):
    from lvzhi.budget.tests.test_report import execution

    bw = budget_world(world)
    execution(bw)
    year = timezone.localdate().year
    made = report.create(bw.officer, world.congress, dt.date(year, 1, 1), timezone.localdate())
    assert list(figure_cases("budget", "budget_reports", [world.congress.pk], year)) == [made]
    assert not figure_cases("budget", "budget_reports", [world.congress.pk], year - 1).exists()
