"""A list page costs the same number of queries for 3 rows as for 30."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.api.tests.helpers import CASES_URL, client_for
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def make_cases(world, n: int) -> None:
    states = ["submitted", "handling", "replied"]
    for i in range(n):
        to_state(world, draft(world, cosigners=1), states[i % 3])


def count_queries(client, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(CASES_URL, params)
    assert r.status_code == 200
    return len(ctx.captured_queries), len(r.json()["results"])


@pytest.mark.parametrize("who", ["clerk", "deputy", "handler"])
def test_list_query_count_is_constant(world, who):
    user = {"clerk": world.clerk, "deputy": world.deputy_user,
            "handler": world.handler_of(world.units[0])}[who]
    client = client_for(user)
    params = {"kind": "suggestion", "page_size": 100}
    make_cases(world, 3)
    few, rows_few = count_queries(client, params)
    make_cases(world, 27)
    many, rows_many = count_queries(client, params)
    assert rows_many > rows_few >= 2
    assert many == few, f"{who}: {few} queries for {rows_few} rows, {many} for {rows_many}"
