"""Full-text search on the case list: segmented Chinese, indexed, narrowing only what the user may see."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.cases.filters import CaseFilters, filtered_cases
from lvzhi.search.models import SearchDocument
from lvzhi.search.query import search_condition
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db
BUS_BODY = ("城东新区近年入住居民超过五万人，但只有两条公交线路经过，高峰时段候车超过半小时，"
            "末班车过早，居民出行十分不便。建议交通运输局尽快增设城东新区公交线路，延长末班车时间。")


def found(user, q: str) -> set[int]:
    return set(filtered_cases(user, CaseFilters(q=q)).values_list("pk", flat=True))


@pytest.fixture
def cases(world, django_capture_on_commit_callbacks):
    """An elevator suggestion led by 刘建华 and co-signed by 王小红, replied by the housing bureau,
    and a bus-route suggestion by another deputy, indexed by the commit hook."""
    world.deputies[0].name = "刘建华"
    world.deputies[0].save()
    world.deputies[1].name = "王小红"
    world.deputies[1].save()
    with django_capture_on_commit_callbacks(execute=True):
        lift = to_state(world, draft(world, cosigners=1), "replied")
        bus = to_state(world, draft(world, deputy_index=4, cosigners=0, title="关于增设城东公交线路的建议",
                                    body=BUS_BODY),
                       "registered")
    return lift, bus


def test_deputy_names_body_words_units_and_replies_are_found(world, cases):
    lift, bus = cases
    clerk = world.clerk
    assert found(clerk, "刘建华") == {lift.pk}  # the lead deputy (the issue: "刘建华" found 0)
    assert found(clerk, "王小红") == {lift.pk}  # a confirmed co-signer
    assert found(clerk, "加装电梯 补贴") == {lift.pk}  # words of the body, ANDed (found 0 before)
    assert found(clerk, "住房和城乡建设局") == {lift.pk}  # a unit the case is assigned to
    assert found(clerk, "建设局") == {lift.pk}  # part of a long word: the search-mode sub-words
    assert found(clerk, "房屋安全管理处") == {lift.pk}  # the accepted reply
    assert found(clerk, "公交") == {bus.pk}
    assert found(clerk, bus.number) == {bus.pk}
    assert found(clerk, "电梯 公交") == set()  # every word must be there
    assert SearchDocument.objects.filter(case__in=[lift, bus]).count() == 2


def test_search_only_narrows_what_the_user_may_see(world, cases):
    lift, _ = cases
    assert found(world.deputies[7].user, "刘建华") == set()  # neither leads nor co-signs it
    assert found(world.deputies[0].user, "刘建华") == {lift.pk}
    assert found(world.other_congress_clerk, "刘建华") == set()
    assert found(world.handler_of(world.units[2]), "电梯") == set()  # not assigned to that unit


def test_the_document_follows_the_case(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = to_state(world, draft(world), "registered")
    assert found(world.clerk, "交通运输局") == set()
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "assign", world.clerk, {"mode": "lead", "lead": world.units[2].pk, "co": []})
    assert found(world.clerk, "交通运输局") == {case.pk}  # rebuilt after the transition
    lead = case.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "draft_reply", world.handler_of(world.units[2]), {
            "assignment": lead.pk, "reply_class": "B",
            "text": "我局将于明年开通城东社区微循环巴士线路，连接地铁站与各小区，解决居民出行最后一公里问题。"})
    # a draft reply is not searchable: a deputy must not find a case by words they cannot read
    assert found(world.clerk, "微循环巴士") == set()


def test_reindex_command_and_cases_without_a_document(world, django_capture_on_commit_callbacks):
    case = to_state(world, draft(world), "submitted")  # no commit here: no document yet
    assert not SearchDocument.objects.filter(case=case).exists()
    assert found(world.clerk, "加装电梯") == {case.pk}  # found by its title meanwhile
    assert found(world.clerk, "财政补贴") == set()  # the body needs the index
    call_command("reindex_search", stdout=io.StringIO())
    assert found(world.clerk, "财政补贴") == {case.pk}


def test_query_syntax_is_plain_text(world, cases, client):
    client.force_login(world.clerk)
    for q in ['"电梯', "电梯 OR 公交", "NEAR(电梯", "电梯*", "电梯 -补贴", "'; DROP TABLE x", "！！？"]:
        r = client.get(reverse("cases:list"), {"q": q})
        assert r.status_code == 200, q
    assert found(world.clerk, "电梯 OR 公交") == set()  # OR is a word here, not an operator


def test_the_database_index_answers_the_query(world, cases):
    sql, params = (filtered_cases(world.clerk, CaseFilters(q="刘建华")).query.sql_with_params())
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cur.fetchall())
            assert "search_fts VIRTUAL TABLE INDEX" in plan
        else:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_doc_tsv_gin'")
            assert "gin" in cur.fetchone()[0].lower()
            cur.execute("SET enable_seqscan = off")
            cur.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cur.fetchall())
            assert "search_doc_tsv_gin" in plan
    assert search_condition("，。")  # only punctuation: a plain condition, no index lookup
