"""The API's case list: the page's filters and sorting, refused with a Chinese 400 when bad."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lvzhi.api.tests.helpers import CASES_URL, client_for
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(world, django_capture_on_commit_callbacks):
    world.deputies[0].name = "刘建华"
    world.deputies[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        a = to_state(world, draft(world, deputy_index=0, cosigners=1), "replied")
        b = to_state(world, draft(world, deputy_index=3, cosigners=0, title="关于规范共享单车停放的建议"), "handling")
        c = to_state(world, draft(world, deputy_index=6, cosigners=0, title="关于增加中小学课后服务的建议"),
                     "registered")
    return a, b, c


def ids(client, **params) -> list[int]:
    r = client.get(CASES_URL, params)
    assert r.status_code == 200, r.content.decode()
    return [c["id"] for c in r.json()["results"]]


def test_search_filters_and_sorting(world, three):
    a, b, c = three
    clerk = client_for(world.clerk)
    assert ids(clerk, q="刘建华") == [a.pk]
    assert ids(clerk, q="刘建华 补贴") == [a.pk]  # the words of a deputy's name and of a body, ANDed
    assert ids(clerk, q="共享单车 补贴") == [b.pk]
    assert ids(clerk, deputy="刘建华") == [a.pk]
    assert ids(clerk, deputy=str(world.deputies[3].pk)) == [b.pk]
    assert sorted(ids(clerk, delegation=world.deputies[0].delegation_id)) == sorted([a.pk, b.pk, c.pk])
    assert sorted(ids(clerk, session=world.session.pk)) == sorted([a.pk, b.pk, c.pk])
    assert ids(clerk, overdue="true") == []
    assert ids(clerk, submitted_from="2000-01-01", submitted_to="2000-01-02") == []
    by_title = [x.pk for x in sorted(three, key=lambda x: x.title)]
    assert ids(clerk, sort="title") == by_title and ids(clerk, sort="-title") == by_title[::-1]
    assert ids(clerk, sort="unit")[-1] == c.pk  # no unit yet: last


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"submitted_from": "2026-13-01"}, "submitted_from", "YYYY-MM-DD"),
    ({"submitted_from": "0001-01-01"}, "submitted_from", "1900年至2100年"),
    ({"registered_to": "昨天"}, "registered_to", "YYYY-MM-DD"),
    ({"submitted_from": "2026-05-01", "submitted_to": "2026-04-01"}, "submitted_from", "晚于"),
    ({"sort": "bogus"}, "sort", "没有排序“bogus”"),
    ({"delegation": "abc"}, "delegation", "代表团ID应为正整数"),
    ({"session": "0"}, "session", "会议ID应为正整数"),
    ({"q": "电" * 201}, "q", "200"),
])
def test_bad_values_are_a_chinese_400(world, params, field, words):
    r = client_for(world.clerk).get(CASES_URL, params)
    assert r.status_code == 400
    assert words in " ".join(r.json()["errors"][field]), r.json()


def test_the_schema_documents_every_filter():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"q", "deputy", "delegation", "session", "overdue", "submitted_from", "submitted_to",
            "registered_from", "registered_to", "sort"} <= set(params)
    assert "-due" in params["sort"]["schema"]["enum"]
    assert params["submitted_from"]["schema"]["format"] == "date"
    assert "中文分词" in params["q"]["description"]
