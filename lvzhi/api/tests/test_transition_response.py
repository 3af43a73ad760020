"""A transition over the API answers slim — the new state and what the caller may do next —
and the whole case only when asked for (?full=1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.api.tests.helpers import case_url, client_for, fire, transition_url
from lvzhi.cases.kinds import get_kind
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

# register as the clerk: auth, the kind, the locked row, rules and calendar, the number
# counter, the effect's writes, the notification, the chain, the search document, and the
# forms of what the clerk may do next. It was 57 with the whole case in the answer.
REGISTER_BUDGET = 40


def test_the_answer_is_slim_and_says_what_comes_next(world):
    case = to_state(world, draft(world), "submitted")
    clerk = client_for(world.clerk)
    body = fire(clerk, case.pk, "register", {"category": "城乡建设"})
    assert "case" not in body
    assert body["id"] == case.pk and body["state"] == "registered"
    assert body["state_label"] == get_kind("suggestion").state_label("registered")
    assert body["round"] == 1 and body["state_round_label"]
    # exactly what the case's detail offers the caller now, by name and label
    offered = {(t["name"], t["label"]) for t in clerk.get(case_url(case.pk)).json()["available_transitions"]}
    assert {(t["name"], t["label"]) for t in body["next_transitions"]} == offered
    assert "assign" in {name for name, _ in offered}


def test_the_deputy_is_told_nothing_is_left_to_do(world):
    case = draft(world, cosigners=0)
    body = fire(client_for(world.deputy_user), case.pk, "submit")
    assert body["state"] == "submitted"
    names = {t["name"] for t in body["next_transitions"]}
    assert "submit" not in names and "register" not in names


def test_full_gives_the_case(world):
    case = to_state(world, draft(world), "submitted")
    body = fire(client_for(world.clerk), case.pk, "register", {"category": "城乡建设"}, full=True)
    assert body["case"]["id"] == case.pk and body["case"]["number"]
    assert body["case"]["state"] == body["state"] == "registered"
    assert [e["name"] for e in body["case"]["timeline"]][-1] == "register"


def test_an_unreadable_full_is_refused_in_chinese_and_changes_nothing(world):
    case = to_state(world, draft(world), "submitted")
    r = client_for(world.clerk).post(transition_url(case.pk, "register") + "?full=maybe",
                                     {"category": "城乡建设"}, format="json")
    assert r.status_code == 400 and "full" in r.json()["errors"] and "应为" in r.json()["detail"]
    case.refresh_from_db()
    assert case.state == "submitted"


def test_register_stays_within_its_query_budget(world):
    case = to_state(world, draft(world), "submitted")
    clerk = client_for(world.clerk)
    with CaptureQueriesContext(connection) as q:
        fire(clerk, case.pk, "register", {"category": "城乡建设"})
    assert len(q.captured_queries) <= REGISTER_BUDGET, len(q.captured_queries)
