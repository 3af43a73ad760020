"""The dashboard by year (按年度) as well as by session; every figure still equals the count
of the list it links to; its queries do not grow with the cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.reports.selectors import CASE_SETS, case_sets, figures
from lvzhi.suggestions.services import create_draft
from lvzhi.testing import SUGGESTION_BODY

pytestmark = pytest.mark.django_db

FIGURE_OF = {"total": "total", "assigned": "assigned", "replied": "replied", "solved": "solved",
             "evaluated": "evaluated", "satisfied": "satisfied", "final_evaluated": "final_evaluated",
             "final_satisfied": "final_satisfied", "contacted": "contacted", "overdue": "overdue_cases",
             "key": "key"}


def _case(world, when: dt.datetime, deputy: int, until: str = "handling", unit=None) -> Case:
    """A suggestion submitted at `when`, driven through the real workflow as far as `until`."""
    user = world.deputies[deputy].user
    case = create_draft(user, {"kind": "suggestion", "title": "关于加快老旧小区加装电梯的建议",
                               "body": SUGGESTION_BODY, "category": "城乡建设", "cosigners": []},
                        session=world.session, now=when)
    fire(case, "submit", user, now=when)
    if until == "submitted":
        return case
    fire(case, "register", world.clerk, {"category": "城乡建设"}, now=when)
    fire(case, "assign", world.clerk, {"mode": "lead", "lead": (unit or world.units[0]).pk}, now=when)
    if until == "replied":
        lead = case.assignments.get()
        fire(case, "draft_reply", world.handler_of(lead.unit), {
            "assignment": lead.pk, "reply_class": "A",
            "text": "经研究，我局已完成老旧小区加装电梯的审批流程简化，并落实补贴资金。"}, now=when)
        reply = case.replies.get()
        fire(case, "sign_reply", world.head_of(lead.unit), {"reply": reply.pk, "confirm": True}, now=when)
        fire(case, "accept_reply", world.clerk, {"reply": reply.pk}, now=when)
    case.refresh_from_db()
    return case


@pytest.fixture
def two_years(world):
    this = timezone.now()
    last = this.replace(year=this.year - 1, month=6, day=15)
    old = [_case(world, last, 0, "replied"), _case(world, last, 1, "handling"),
           _case(world, last, 2, "submitted")]
    new = [_case(world, this, 3, "handling", world.units[1])]
    return last.year, this.year, old, new


def test_figures_by_year(world, two_years):
    last, this, _old, _new = two_years
    f = figures(world.congress.pk, year=last)
    assert (f.total, f.assigned, f.replied, f.solved) == (3, 2, 1, 1)
    assert f.by_class == [("A", 1)]
    # 3 months after last June, both reply clocks of last year are overdue; this year's is not
    assert f.overdue_cases == 1 and [(u, n) for u, n, _ in f.overdue_by_unit] == [(world.units[0].name, 1)]
    g = figures(world.congress.pk, year=this)
    assert (g.total, g.assigned, g.replied, g.overdue_cases) == (1, 1, 0, 0)
    both = figures(world.congress.pk)
    assert both.total == 4 and both.assigned == 3


@pytest.mark.parametrize("scope", ["all", "session", "year", "session+year"])
def test_every_figure_equals_the_count_of_its_list(world, client, two_years, scope):
    last, *_ = two_years
    session_id = world.session.pk if "session" in scope else None
    year = last if "year" in scope else None
    f = figures(world.congress.pk, session_id=session_id, year=year)
    sets = case_sets(world.congress.pk, session_id=session_id, year=year)
    assert set(sets) == set(CASE_SETS)
    for key, qs in sets.items():
        assert qs.count() == getattr(f, FIGURE_OF[key]), key
    # and the page that lists them says the same number
    client.force_login(world.leader)
    params = {"kind": "suggestion", **({"session": session_id} if session_id else {}),
              **({"year": year} if year else {})}
    for key in ("total", "assigned", "replied", "solved"):
        html = client.get(reverse("dashboard_cases", args=[key]), params).content.decode()
        assert f"{CASE_SETS[key]}：{getattr(f, FIGURE_OF[key])}件" in html, key


def test_dashboard_page_by_year_keeps_the_year_in_every_link(world, client, two_years):
    last, this, *_ = two_years
    client.force_login(world.leader)
    html = client.get(reverse("dashboard"), {"year": last}).content.decode()
    assert f'<option value="{last}" selected>{last}年</option>' in html
    assert f'<option value="{this}">{this}年</option>' in html
    assert f"统计范围：{last}年提出的建议" in html
    links = re.findall(r'href="([^"]*(?:/cases/\?|/reports/dashboard/cases/)[^"]*)"', html)
    assert links
    for href in links:
        if "/reports/dashboard/cases/" in href:
            assert f"year={last}" in href, href
        else:  # the case list filters a year as a date range of submission
            assert f"submitted_from={last}-01-01&amp;submitted_to={last}-12-31" in href, href
    # the case list behind the overdue card finds the same cases
    f = figures(world.congress.pk, year=last)
    listed = client.get("/cases/", {"kind": "suggestion", "submitted_from": f"{last}-01-01",
                                    "submitted_to": f"{last}-12-31", "overdue": "1"})
    assert listed.status_code == 200
    assert client.get(reverse("dashboard"), {"year": "abc"}).status_code == 200  # ignored, all years
    assert f.overdue_cases == 1


def test_dashboard_queries_do_not_grow_with_the_cases(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    before = now - dt.timedelta(days=200)  # a reply clock long overdue
    _case(world, now, 0, "replied")
    _case(world, before, 6, "handling")  # one overdue unit already: its two queries are counted
    client.force_login(world.leader)
    client.get(reverse("dashboard"))  # warm-up (session, per-process caches)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(1, 6):
        _case(world, before, i, "handling", world.units[i % 2])
    assert count() == few
    # The figures themselves: the roll-up, overdue cases, late units, their names, their cases.
    with django_assert_max_num_queries(5):
        figures(world.congress.pk)
