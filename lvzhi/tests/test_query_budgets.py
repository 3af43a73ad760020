"""Every main page and API endpoint runs a constant number of queries whatever the rows, and no
more than its budget.

The same requests are made with 4 cases, one of every sort, and again with 40 (submitted,
registered, in handling with open deadlines, replied and published, key cases, notifications): each must run the same
number of queries both times, and at most BUDGETS[name]. A page whose count grows with its rows
(a query per row) fails the first check; a page that gains queries fails the second.

Each request is made once unmeasured first, so a per-process cache (rule sets, calendars) fills
before the count; the second, measured request is what every later visitor pays.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.testing import World, draft, to_state

pytestmark = pytest.mark.django_db

# The most queries each may run (measured 2026-12-01 on SQLite, issue 16; lower them as pages
# get cheaper, never raise one without saying why in the commit). Chrome (session, user, OTP
# device, notification count, navigation) is included: it is what the visitor waits for.
BUDGETS: dict[str, int] = {
    # pages
    "todo (clerk)": 11,
    "todo (handler)": 11,
    "case list": 18,
    "search": 18,
    "case detail (handling)": 39,
    "case detail (submitted, clerk)": 26,
    "unit inbox": 25,
    "deputy's cases": 19,
    "intake": 21,
    "key cases": 12,
    "deadline monitor": 12,
    "dashboard": 12,
    "notifications": 10,
    "portal list": 9,
    "portal detail": 3,
    # API
    "API list": 5,
    "API detail": 27,
    "API transition (register)": 28,  # 27 + the summary rows the transition now writes (reports.signals)
}

STATES = ["submitted", "registered", "handling", "replied"]


def add_cases(world: World, n: int) -> dict[str, Case]:
    """n cases spread over the states, with key cases and published ones among them; returns one
    of each sort for the detail pages."""
    made: dict[str, Case] = {}
    for i in range(n):
        state = STATES[i % len(STATES)]
        case = to_state(world, draft(world, cosigners=1, title=f"关于第{i}片区加装电梯的建议"), state)
        if state == "handling" and i % 2:
            fire(case, "mark_key", world.leader, {"kind": "leader", "leader": world.leader.pk})
        if state == "replied":
            fire(case, "publish", world.clerk, {})
        made.setdefault(state, case)
    return made


def measure(world: World, cases: dict[str, Case]) -> dict[str, int]:
    """Queries of one request to each page and endpoint (after one unmeasured request)."""
    handler = world.handler_of(world.units[0])
    handling, submitted, replied = cases["handling"].pk, cases["submitted"].pk, cases["replied"].pk
    pages: dict[str, tuple[object, str]] = {
        "todo (clerk)": (world.clerk, "/todo/"),
        "todo (handler)": (handler, "/todo/"),
        "case list": (world.clerk, "/cases/"),
        "search": (world.clerk, "/cases/?q=加装电梯"),
        "case detail (handling)": (world.clerk, f"/cases/{handling}/"),
        "case detail (submitted, clerk)": (world.clerk, f"/cases/{submitted}/"),
        "unit inbox": (handler, "/unit/inbox/"),
        "deputy's cases": (world.deputy_user, "/my/"),
        "intake": (world.clerk, "/office/intake/"),
        "key cases": (world.clerk, "/office/key/"),
        "deadline monitor": (world.clerk, "/office/deadlines/"),
        "dashboard": (world.leader, "/reports/dashboard/"),
        "notifications": (handler, "/notifications/"),
        "portal list": (None, "/public/"),
        "portal detail": (None, f"/public/cases/{replied}/"),
        "API list": ("api", "/api/v1/cases/?page_size=50"),
        "API detail": ("api", f"/api/v1/cases/{handling}/"),
    }
    counts: dict[str, int] = {}
    for name, (user, path) in pages.items():
        if user == "api":
            client: Client = APIClient()
            client.force_authenticate(world.clerk)
        else:
            client = Client()
            if user is not None:
                client.force_login(user)
        counts[name] = count(lambda c=client, p=path: c.get(p), name)

    # A transition on a fresh case; the unmeasured request is one on another fresh case.
    api = APIClient()
    api.force_authenticate(world.clerk)
    warm, fresh = (to_state(world, draft(world, cosigners=1), "submitted") for _ in range(2))
    url = "/api/v1/cases/{}/transitions/register/"
    api.post(url.format(warm.pk), {"category": "城乡建设"}, format="json")
    counts["API transition (register)"] = count(
        lambda: api.post(url.format(fresh.pk), {"category": "城乡建设"}, format="json"),
        "API transition (register)", warm=False)
    return counts


def count(request: Callable[[], object], name: str, warm: bool = True) -> int:
    if warm:
        request()
    with CaptureQueriesContext(connection) as ctx:
        r = request()
    assert r.status_code == 200, f"{name}: HTTP {r.status_code}"
    return len(ctx.captured_queries)


def test_every_page_and_endpoint_runs_constant_queries_within_its_budget(world):
    first = add_cases(world, len(STATES))  # the detail pages show these both times
    few = measure(world, first)
    add_cases(world, 9 * len(STATES))
    many = measure(world, first)
    table = "\n".join(f"  {n:<34}{few[n]:>4}{many[n]:>5}  budget {BUDGETS[n]}" for n in BUDGETS)
    print(f"\nqueries with 4 / 40 cases:\n{table}")
    grows = [n for n in BUDGETS if many[n] != few[n]]
    over = [n for n in BUDGETS if max(few[n], many[n]) > BUDGETS[n]]
    assert not grows and not over, (
        f"queries with 4 / 40 cases:\n{table}\n"
        f"grow with the rows: {grows or '—'}; over budget: {over or '—'}")
