"""Stored case vectors: filled in the background, used by similar cases and hot topics when fresh."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from lvzhi import realdata
from lvzhi.assist import services, vectors
from lvzhi.assist.models import CaseEmbedding
from lvzhi.assist.tests.conftest import RealMessage, deputies, make_case, real_messages
from lvzhi.cases.models import Case

pytestmark = pytest.mark.django_db


def hot_rows(n_car: int, n_other: int) -> tuple[list[RealMessage], list[RealMessage]]:
    """Real messages about the 58车贷 fraud (told in many different words) and unrelated ones."""
    car, other = [], []
    with realdata.open_csv("hot_messages", settings.DATA_DIR) as f:
        for r in csv.DictReader(f):
            m = RealMessage(r["id"], r["title"].strip()[:80], r["body"].strip()[:1500], "城乡建设")
            if len(m.title) < 5 or len(m.body) < 60:
                continue
            if "58车贷" in m.title + m.body:
                car.append(m)
            elif len(other) < n_other:
                other.append(m)
    return car[:n_car], other


def test_embed_cases_computes_missing_and_stale_only(world):
    who = deputies(world)
    msgs = real_messages(2)
    a = make_case(world, next(who), msgs["城乡建设"][0])
    b = make_case(world, next(who), msgs["交通运输"][0])
    unsent = make_case(world, next(who), msgs["教育文体"][0], "draft")
    call_command("embed_cases", "--congress", str(world.congress.pk), verbosity=0)
    assert set(CaseEmbedding.objects.values_list("case_id", flat=True)) == {a.pk, b.pk}  # no draft
    assert not CaseEmbedding.objects.filter(case=unsent).exists()
    vec_a = vectors.stored_matrix([(a.pk, a.title, a.body)])
    assert vec_a is not None and vec_a.shape == (1, 512) and abs(float(np.linalg.norm(vec_a[0])) - 1) < 1e-4
    before = CaseEmbedding.objects.get(case=b).computed_at
    assert vectors.embed_cases(vectors.embeddable(world.congress.pk)).computed == 0  # all fresh

    # The title/body changed: the stored vector is stale, no longer handed out, and recomputed.
    Case.objects.filter(pk=a.pk).update(body=msgs["卫生计生"][0].body)
    a.refresh_from_db()
    assert vectors.stored_matrix([(a.pk, a.title, a.body)]) is None
    assert vectors.vectors_for([a, b]) is not None
    new_a = vectors.stored_matrix([(a.pk, a.title, a.body)])
    assert float(new_a[0] @ vec_a[0]) < 0.95  # a vector of the new text
    assert CaseEmbedding.objects.get(case=b).computed_at == before  # the fresh one was left alone

    with pytest.raises(CommandError, match="不存在"):
        call_command("embed_cases", "--congress", "999999", verbosity=0)


def test_similar_panel_uses_vectors_once_every_case_has_one(world, client):
    """A rewording of the 58车贷 matter (few shared characters) is found through the stored
    vectors; a new case without a vector makes the index fall back to characters (copies are
    still found) until the vectors are filled in."""
    who = deputies(world)
    car, other = hot_rows(2, 12)
    original = make_case(world, next(who), car[0])
    for m in other:
        make_case(world, next(who), m)
    cid = world.congress.pk
    call_command("embed_cases", verbosity=0)
    entry = services.similarity_index(cid)
    assert entry.uses_embeddings and entry.missing_vectors == 0

    client.force_login(world.deputies[5].user)
    url = reverse("assist_similar")
    reworded = {"title": car[1].title, "body": car[1].body}
    page = client.get(url, reworded).content.decode()
    assert original.number in page and original.title in page

    # A new registered case has no vector yet: characters only, and it is still found.
    cache.clear()
    newcomer = make_case(world, next(who), RealMessage("x", "再次反映：" + other[3].title, other[3].body, "城乡建设"))
    entry = services.similarity_index(cid)
    assert not entry.uses_embeddings and entry.missing_vectors == 1
    page = client.get(url, {"title": other[3].title, "body": other[3].body}).content.decode()
    assert newcomer.number in page
    call_command("embed_cases", verbosity=0)
    entry = services.similarity_index(cid)  # the vectors' freshness is part of the cache key
    assert entry.uses_embeddings and newcomer.pk in entry.meta


def test_hot_topics_group_58_car_loan_cases_with_vectors(world, client):
    who = deputies(world)
    car, other = hot_rows(8, 20)
    car_ids = {make_case(world, next(who), m).pk for m in car}
    for m in other:
        make_case(world, next(who), m)
    client.force_login(world.leader)
    url = reverse("assist_hot_topics")

    # Without vectors (not computed yet) the 58车贷 cases, told in different words, stay apart.
    r = client.get(url)
    assert r.context["semantic"] is False and "语义向量尚在计算" in r.content.decode()
    assert not any(len(car_ids & set(_members(t))) >= 3 for t in r.context["topics"])

    call_command("embed_cases", verbosity=0)
    r = client.get(url)  # not the cached page: the key holds the vectors' freshness
    assert r.context["semantic"] is True and "已按语义相近归类" in r.content.decode()
    grouped = max((len(car_ids & set(_members(t))) for t in r.context["topics"]), default=0)
    assert grouped >= 4
    top = r.context["topics"][0]
    assert top["case_id"] in car_ids and any("58车贷" in p for p in top["key_phrases"])


def _members(topic: dict) -> list[int]:
    return topic["member_ids"]
