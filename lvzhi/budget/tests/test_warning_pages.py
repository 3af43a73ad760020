"""The warnings pages through Django's test client: the list with its counts and filters, the
repeated-warnings pattern, a department's page, the warning on the generic case page with the
forms for whoever may act, and the refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lvzhi.budget.testing import budget_world
from lvzhi.budget.warnings import open_warning
from lvzhi.cases.engine import fire

from .test_warnings import finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def bw(world):
    bw = budget_world(world)
    c = world.congress
    bw.edu = open_warning(c, finding("105001"))
    bw.edu_rush = open_warning(c, finding("105001", rule="december_rush", key="unit:105001",
                                          title="105001 12月支出占全年42%", month=12))
    bw.edu_again = open_warning(c, finding("105001", key="project:105001/P26001", title="105001 P26001 项目进度落后",
                                           month=5))
    bw.civil = open_warning(c, finding("108001", title="108001 支出进度落后序时进度12个百分点"))
    fire(bw.edu, "push", bw.officer, {"unit": bw.units["105001"].organization.pk})
    return bw


def page(client, user, url):
    client.force_login(user)
    resp = client.get(url)
    return resp.status_code, resp.content.decode()


def test_officer_sees_the_list_with_counts_patterns_and_filters(client, bw):
    status, html = page(client, bw.officer, reverse("budget:warnings") + "?year=2026")
    assert status == 200
    assert "2026年预算预警" in html and "共4件" in html
    counts = html[html.index('id="warning-counts"'):html.index('id="warning-filters"')]
    assert "待甄别</div><div class=\"fs-5 fw-semibold\">3" in counts
    assert "待说明</div><div class=\"fs-5 fw-semibold\">1" in counts
    patterns = html[html.index('id="warning-patterns"'):]
    assert "市教育局" in patterns and "市民政局" not in patterns.split("</table>")[0]
    for c in (bw.edu, bw.edu_rush, bw.edu_again, bw.civil):
        assert c.title in html
    _, html = page(client, bw.officer, reverse("budget:warnings") + "?year=2026&state=pushed")
    rows = html[html.index('id="warning-rows"'):]
    assert bw.edu.title in rows and bw.civil.title not in rows
    _, html = page(client, bw.officer, reverse("budget:warnings") + f"?year=2026&unit={bw.units['108001'].pk}")
    rows = html[html.index('id="warning-rows"'):]
    assert bw.civil.title in rows and bw.edu.title not in rows
    _, html = page(client, bw.officer, reverse("budget:warnings") + "?year=2026&rule=december_rush&month=12")
    rows = html[html.index('id="warning-rows"'):]
    assert bw.edu_rush.title in rows and bw.edu.title not in rows
    # A wrong filter value is ignored, never an error page.
    assert page(client, bw.officer, reverse("budget:warnings") + "?year=abc&month=99&unit=x")[0] == 200


def test_patterns_and_department_pages(client, bw):
    status, html = page(client, bw.committee_staff, reverse("budget:warning_patterns") + "?year=2026")
    assert status == 200 and "市教育局" in html and "3" in html and "市民政局" not in html
    status, html = page(client, bw.world.leader,
                        reverse("budget:warning_department", args=[bw.units["105001"].pk]) + "?year=2026")
    assert status == 200 and "重复预警" in html and "预算预警3件" in html and bw.edu_rush.title in html


def test_warning_page_shows_the_panel_and_the_officers_forms(client, bw):
    status, html = page(client, bw.officer, reverse("budget:warning", args=[bw.civil.pk]))
    assert status == 302
    status, html = page(client, bw.officer, reverse("cases:detail", args=[bw.civil.pk]))
    assert status == 200
    panel = html[html.index('id="warning-panel"'):]
    assert "《预算法》第六十三条" in panel and "31.50" in panel and "15.00" in panel and "序时进度" in panel
    assert 'id="act-push"' in html and 'id="act-dismiss"' in html and 'id="act-answer"' not in html


def test_unit_handler_sees_its_warning_and_answers_on_the_case_page(client, bw):
    handler = bw.handlers["105001"]
    status, html = page(client, handler, reverse("budget:warnings") + "?year=2026")
    assert status == 200 and bw.edu.title in html and bw.civil.title not in html
    status, html = page(client, handler, reverse("cases:detail", args=[bw.edu.pk]))
    assert status == 200 and 'id="act-answer"' in html and 'id="act-push"' not in html
    resp = client.post(reverse("cases:fire", args=[bw.edu.pk, "answer"]), {"text": ""})
    bw.edu.refresh_from_db()
    assert bw.edu.state == "pushed" and "请填写说明或整改情况" in resp.content.decode()
    client.post(reverse("cases:fire", args=[bw.edu.pk, "answer"]), {"text": "项目招标延后，已加快支付"})
    bw.edu.refresh_from_db()
    assert bw.edu.state == "answered"
    # Another department's warning is not its to see.
    assert page(client, handler, reverse("cases:detail", args=[bw.civil.pk]))[0] == 404


def test_deputy_reads_open_warnings_without_forms(client, bw):
    status, html = page(client, bw.world.deputy_user, reverse("budget:warnings") + "?year=2026")
    assert status == 200 and bw.civil.title in html
    status, html = page(client, bw.world.deputy_user, reverse("cases:detail", args=[bw.civil.pk]))
    assert status == 200 and 'id="act-' not in html
    fire(bw.civil, "dismiss", bw.officer, {"reason": "口径差异"})
    assert page(client, bw.world.deputy_user, reverse("cases:detail", args=[bw.civil.pk]))[0] == 404


def test_others_are_refused(client, bw):
    for user in (bw.world.clerk, bw.world.sysadmin):
        for url in (reverse("budget:warnings"), reverse("budget:warning_patterns"),
                    reverse("budget:warning_department", args=[bw.units["105001"].pk])):
            assert page(client, user, url)[0] == 403, (user, url)
    # A unit's handler may not open another department's page.
    assert page(client, bw.handlers["108001"],
                reverse("budget:warning_department", args=[bw.units["105001"].pk]))[0] == 403
    # A deputy reads any department's page, a quiet one too (no open warning this year).
    assert page(client, bw.world.deputy_user,
                reverse("budget:warning_department", args=[bw.units["101001"].pk]))[0] == 200


def test_navigation_offers_the_warnings_to_those_who_follow_them(bw):
    from lvzhi.core.context_processors import nav_entries

    entry = ("budget:warnings", "预算预警")
    for user in (bw.officer, bw.committee_staff, bw.world.leader):
        assert entry in nav_entries(user), user
    # Units find a pushed warning in their inbox and 待办 (test_warnings), not in a menu of its own; the 代表工委's
    # clerk is not shown it.
    for user in (bw.handlers["105001"], bw.handlers["108001"], bw.world.clerk):
        assert entry not in nav_entries(user), user
