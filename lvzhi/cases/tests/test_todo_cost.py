"""What the to-do counts cost the pages, and that the savings never show a stale number: the
navigation asks one query for every list of every kind, only when a page shows it; a list
page does not count its cases again; the badge follows each action at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.cases import todo
from lvzhi.cases.engine import fire
from lvzhi.core.context_processors import navigation
from lvzhi.core.models import User
from lvzhi.keytasks.tests.helpers import open_task, to_handling
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as a request loads it: nothing remembered from an earlier request."""
    return User.objects.select_related("organization", "deputy").get(pk=user.pk)


def chrome(user: User) -> dict:
    request = RequestFactory().get("/")
    request.user = fresh(user)
    return navigation(request)


def shown(ctx: dict) -> tuple[list, str, str]:
    """What base.html reads."""
    return list(ctx["nav_items"]), str(ctx["todo_total"]), str(ctx["unread_count"])


def test_the_navigation_costs_the_unread_count_and_one_query_for_all_lists(world, django_assert_num_queries):
    to_state(world, draft(world), "submitted")
    to_handling(world)  # a key task at the committee
    to_state(world, draft(world, title="关于改善背街小巷照明的建议"), "handling")
    for user in (world.deputy_user, world.handlers[0], world.heads[0], world.leader):
        ctx = chrome(user)
        with django_assert_num_queries(2):
            shown(ctx)
    # Staff of an office also ask once which kinds it holds (whether a key task's lists are
    # theirs), whatever the number of kinds; the 代表工委's clerk's 重点任务 entry asks its own;
    # and another office's clerk asks once whether he is a station's 联络员 (代表码上见's lists).
    for user, n in ((world.committee_staff, 3), (world.office_clerk, 4), (world.clerk, 4)):
        ctx = chrome(user)
        with django_assert_num_queries(n):
            shown(ctx)


def test_the_todo_total_is_counted_only_when_a_page_shows_it(client, world):
    case = to_state(world, draft(world), "registered")
    ctx = chrome(world.clerk)
    with CaptureQueriesContext(connection) as nothing_read:
        ctx["todo_total"], ctx["nav_items"], ctx["unread_count"]  # handed over, not shown
    assert len(nothing_read) == 0
    # An HTMX fragment rendered with the context processors never counts.
    client.force_login(world.clerk)
    with CaptureQueriesContext(connection) as fragment:
        resp = client.get(reverse("cases:assign_preview"), {"case": case.pk})
    assert resp.status_code == 200
    sql = " ".join(q["sql"] for q in fragment.captured_queries)
    assert "core_notification" not in sql and "FILTER (WHERE" not in sql
    # A whole page shows the badge.
    assert 'aria-label="共1项待办"' in client.get(reverse("notifications")).content.decode()


def test_the_badge_follows_each_action_at_once(client, world):
    client.force_login(world.clerk)
    case = to_state(world, draft(world), "submitted")

    def badge() -> str:
        page = client.get(reverse("notifications")).content.decode()
        return page.split('aria-label="共', 1)[1].split("项待办", 1)[0] if 'aria-label="共' in page else "0"

    assert badge() == "1"  # 待登记
    fire(case, "register", world.clerk, {"category": "城乡建设"})
    assert badge() == "1"  # now 待交办
    assert client.get(reverse("cases:todo_list", args=["to_register"])).content.decode().count(case.title) == 0
    fire(case, "assign", world.clerk, {"mode": "lead", "lead": world.units[0].pk, "co": []})
    assert badge() == "0"


def test_a_list_page_uses_the_count_it_already_has(client, world):
    cases = [to_state(world, draft(world, title=f"关于改善背街小巷照明的建议（第{i + 1}件）"), "submitted")
             for i in range(31)]
    client.force_login(world.clerk)
    with CaptureQueriesContext(connection) as q:
        first = client.get(reverse("cases:todo_list", args=["to_register"])).content.decode()
    counting = [x["sql"] for x in q.captured_queries
                if "COUNT(" in x["sql"] and "core_notification" not in x["sql"]]
    assert len(counting) == 1  # the navigation's summary; the page and its paginator reuse it
    assert "待登记（31）" in first and 'aria-label="共31项待办"' in first
    assert cases[0].title in first and cases[30].title not in first and "第1/2页" in first
    second = client.get(reverse("cases:todo_list", args=["to_register"]), {"page": 2}).content.decode()
    assert cases[30].title in second and cases[0].title not in second and "第2/2页" in second


def test_an_office_sees_key_task_lists_once_it_holds_a_task(world, django_assert_max_num_queries):
    staff = world.committee_staff

    def codes() -> list[str]:
        return [t.code for t in todo.lists_for(fresh(staff))]

    assert "key_task_to_report" not in codes() and "co_opinion" not in codes()
    case = open_task(world)
    fire(case, "submit_for_approval", world.office_clerk)
    fire(case, "approve", world.leader, {"note": "同意"})
    assert "key_task_to_report" not in codes()
    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": world.committee.pk, "co": []})
    assert {"key_task_to_report", "to_receive"} <= set(codes())
    user = fresh(staff)
    with django_assert_max_num_queries(2):  # the kinds it holds, then every count
        s = todo.summary(user)
    assert dict((t.code, n) for t, n in s.lists)["to_receive"] == 1
    # The 办公室 reports on its own tasks whether or not it holds one; the 代表工委 does not.
    assert "key_task_to_report" in [t.code for t in todo.lists_for(fresh(world.office_clerk))]
    assert "key_task_to_report" not in [t.code for t in todo.lists_for(fresh(world.clerk))]
