"""GET /api/v1/cases/ at scale: ?session= filters (an unknown one is a Chinese 400, never every
case), ?ordering= by 提交日期 and 截止, cursor pages that continue without repeats, rows built
from .values(), and the same number of queries for 5 rows as for 50."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.api.tests.helpers import CASES_URL, client_for
from lvzhi.cases.filters import CaseFilters, filtered_cases
from lvzhi.cases.models import Case, Deadline
from lvzhi.core.models import Session
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def body(client, expect: int = 200, **params):
    r = client.get(CASES_URL, params)
    assert r.status_code == expect, r.content.decode()
    return r.json()


def ids(client, **params) -> list[int]:
    return [c["id"] for c in body(client, **params)["results"]]


@pytest.fixture
def five(world):
    """Five cases of this session (three in handling, with clocks) and one of an earlier one."""
    cases = [to_state(world, draft(world, deputy_index=i, cosigners=1), "handling" if i < 3 else "submitted")
             for i in range(5)]
    today = timezone.localdate()
    for case, days in zip(cases[:3], [20, 3, 9], strict=True):
        Deadline.objects.filter(case=case, met_at__isnull=True, cancelled=False).update(
            due_on=today + dt.timedelta(days=days))
    earlier = Session.objects.create(term=world.term, number=4, opens_on=today - dt.timedelta(days=400),
                                     closes_on=today - dt.timedelta(days=396))
    old = to_state(world, draft(world, deputy_index=6, cosigners=0), "submitted")
    Case.objects.filter(pk=old.pk).update(session=earlier)
    return cases, old, earlier


def test_session_filters_and_an_unknown_one_is_refused_in_chinese(world, five):
    cases, old, earlier = five
    clerk = client_for(world.clerk)
    assert sorted(ids(clerk, session=world.session.pk)) == sorted(c.pk for c in cases)
    assert ids(clerk, session=earlier.pk) == [old.pk]
    missing = Session.objects.order_by("-pk").first().pk + 1
    refused = body(clerk, 400, session=missing)
    assert refused["errors"]["session"] == [f"没有ID为{missing}的会议，请从会议列表中选择"]


def test_ordering_by_deadline_and_submission(world, five):
    cases, old, _ = five
    clerk = client_for(world.clerk)
    assert ids(clerk, ordering="due")[:3] == [cases[1].pk, cases[2].pk, cases[0].pk]
    assert ids(clerk, ordering="-due")[:3] == [cases[0].pk, cases[2].pk, cases[1].pk]
    row = body(clerk, ordering="due")["results"][0]
    assert row["next_deadline"]["due_on"] == (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    Case.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=400))
    assert ids(clerk, ordering="submitted")[0] == old.pk
    assert ids(clerk, ordering="-submitted")[-1] == old.pk
    assert ids(clerk, ordering="due") == ids(clerk, sort="due")  # the same values as sort
    refused = body(clerk, 400, ordering="deadline")
    assert "没有排序“deadline”" in refused["errors"]["ordering"][0]
    assert "ordering 与 sort 不一致" in body(clerk, 400, ordering="due", sort="-due")["errors"]["ordering"][0]


def test_cursor_pages_continue_without_repeats_when_cases_arrive(world, five):
    clerk = client_for(world.clerk)
    expected = list(filtered_cases(world.clerk, CaseFilters(sort="due")).values_list("pk", flat=True))
    first = body(clerk, ordering="due", page_size=2)
    assert [c["id"] for c in first["results"]] == expected[:2]
    assert first["count"] == len(expected) and first["count_exact"] is True and first["previous"] is None
    to_state(world, draft(world, deputy_index=8, cosigners=0), "submitted")  # meanwhile
    seen, page = [c["id"] for c in first["results"]], first
    while page["next"]:
        assert "cursor=" in page["next"] and "ordering=due" in page["next"]
        r = clerk.get(page["next"])
        assert r.status_code == 200
        page = r.json()
        seen += [c["id"] for c in page["results"]]
    assert seen[:len(expected)] == expected and len(seen) == len(set(seen)) == len(expected) + 1
    back = clerk.get(page["previous"]).json()
    assert [c["id"] for c in back["results"]] == seen[-3:-1]  # the two before the last page
    assert body(clerk, 400, cursor="garbage")["errors"]["cursor"][0].startswith("分页游标无效")
    # a page by number still works for shallow pages, and its next link is a page number too
    by_number = body(clerk, ordering="due", page_size=2, page=2)
    assert [c["id"] for c in by_number["results"]] == seen[2:4] and "page=3" in by_number["next"]


def test_rows_carry_what_the_serializer_documents(world, five):
    cases, _, _ = five
    clerk = client_for(world.clerk)
    row = next(c for c in body(clerk)["results"] if c["id"] == cases[1].pk)
    assert set(row) == {"id", "number", "kind", "kind_label", "title", "category", "state", "state_label",
                        "round", "is_key", "is_public", "lead_deputy", "units", "next_deadline", "light",
                        "created_at", "submitted_at"}
    assert row["state_label"] == "办理中" and row["lead_deputy"] == world.deputies[1].name
    assert [u["role_label"] for u in row["units"]] == ["主办", "会办"]
    assert row["light"]["light"] in {"green", "yellow", "red"} and row["light"]["text"]


# Token auth (1; client_for has used the token once), the session filter's check, the runs of
# the order (1 or 2), the rows, their units and their clocks (3), the count, the rule set and
# calendar of the lights.
API_LIST_BUDGET = 12


@pytest.mark.parametrize("ordering", ["", "due", "-submitted"])
def test_the_list_runs_the_same_queries_for_5_and_50_cases(world, ordering):
    clerk = client_for(world.clerk)
    states = ["submitted", "handling", "registered"]
    params = {"page_size": 50, "session": world.session.pk, **({"ordering": ordering} if ordering else {})}

    def add(n: int) -> None:
        for i in range(n):
            to_state(world, draft(world, deputy_index=i % 6, cosigners=1), states[i % 3])

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = body(clerk, **params)["results"]
        return len(ctx.captured_queries), len(rows)

    add(5)
    few, rows_few = queries()
    add(45)
    many, rows_many = queries()
    assert (rows_few, rows_many) == (5, 50)
    assert many == few <= API_LIST_BUDGET, f"{few} queries for 5 rows, {many} for 50"
