"""The similar-case index follows the engine's events case by case, loads from its saved copy,
and a query costs the same few statements whatever the number of cases."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lvzhi.assist import services
from lvzhi.assist.tests.conftest import deputies, make_case, real_messages
from lvzhi.cases.engine import fire

pytestmark = pytest.mark.django_db


@pytest.fixture
def msgs():
    return real_messages(6)


def test_events_update_the_index_without_a_rebuild(world, msgs, django_assert_max_num_queries):
    who = deputies(world)
    cid = world.congress.pk
    original = make_case(world, next(who), msgs["城乡建设"][0], "registered")
    repost = make_case(world, next(who), msgs["城乡建设"][0], "submitted")
    entry = services.similarity_index(cid)
    assert original.pk in entry.index and repost.pk in entry.index
    index = entry.index
    # A draft is not indexed; once submitted, the submit event brings it in.
    author = next(who)
    later = make_case(world, author, msgs["交通运输"][1], "draft")
    assert later.pk not in services.similarity_index(cid).index
    fire(later, "submit", author)
    assert later.pk in services.similarity_index(cid).index
    # Merged away: the merge event takes it out; the index object is the same one throughout.
    fire(repost, "merge", world.clerk, {"target": original.pk, "reason": "内容相同"})
    entry = services.similarity_index(cid)
    assert repost.pk not in entry.index and entry.index is index
    found = services.similar_cases(cid, original.title, original.body)
    assert [s.id for s in found][:1] == [original.pk] and repost.pk not in [s.id for s in found]
    assert found[0].shared_phrases
    # A query: the event check, the catch-up, the vectors' freshness, the candidates' texts.
    with django_assert_max_num_queries(6):
        services.similar_cases(cid, later.title, later.body)


def test_workers_load_the_saved_index_and_catch_up(world, msgs, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    who = deputies(world)
    cid = world.congress.pk
    first = make_case(world, next(who), msgs["环境保护"][0], "registered")
    call_command("build_similar_index", "--congress", str(cid), verbosity=0)
    assert (tmp_path / "similar" / str(cid) / "meta.json").is_file()
    # Another worker process: nothing in memory; a case arrives after the index was saved.
    services._index_cache.clear()
    second = make_case(world, next(who), msgs["环境保护"][1], "registered")
    entry = services.similarity_index(cid)
    assert first.pk in entry.index and second.pk in entry.index
    assert services.similar_cases(cid, second.title, second.body)[0].id == second.pk
    assert services.similar_cases(cid, first.title, first.body)[0].id == first.pk
