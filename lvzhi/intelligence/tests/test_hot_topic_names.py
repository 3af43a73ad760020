"""Hot topics are named by what they are about, never by boilerplate, and never unnamed (issue 8)."""

from __future__ import annotations

import random

import pytest

from lvzhi.assist import topics as platform
from lvzhi.demo import data as D
from lvzhi.intelligence.hot_topics import HotDoc, find_topics

from ._support import rows

NOISE = {"举一反三", "一群", "魅力", "长效管理机制", "开展全面排查", "牵头单位", "责任分工", "接受群众监督",
         "社会", "进展", "影响", "小区"}


@pytest.fixture(scope="module")
def topics():
    # Real messages, each closed with the demo's general advice as a deputy's suggestion is,
    # through the platform's path (shared clauses cut) with sentence vectors as stored.
    data = list(rows("hot_messages"))
    rng = random.Random(0)
    lifa = [r for r in data if "丽发新城" in r["title"] and "搅拌" in r["title"]][:12]
    che = [r for r in data if "58车贷" in r["title"]][:8]
    others = rng.sample([r for r in data if r not in lifa and r not in che], 300)
    docs = [HotDoc(r["id"], r["title"], f"{r['body']}。建议：{'；'.join(rng.sample(D.HOT_GENERAL_ADVICE, 2))}",
                   r["time"], int(r["likes"])) for r in lifa + che + others]
    from lvzhi.intelligence.embeddings import encode
    from lvzhi.intelligence.text import join_title_body

    return platform.find_topics(docs, embeddings=encode([join_title_body(d.title, d.body) for d in docs]))


def test_every_topic_has_a_name(topics) -> None:
    assert len(topics) >= 5
    assert all(t.key_phrases for t in topics)


def test_names_carry_no_boilerplate_or_generic_words(topics) -> None:
    for t in topics:
        assert not NOISE & set(t.key_phrases), (t.key_phrases, t.representative_title)
        # Anonymised admin codes ("a市", "a3区") are prefixes, not names.
        assert not any(p[:1].isascii() and p[:1].isalpha() and p[1:3].rstrip("0123456789")[:1] in "市区县"
                       for p in t.key_phrases), t.key_phrases


def test_the_two_real_hot_issues_are_named_by_their_place_and_matter(topics) -> None:
    names = [" ".join(t.key_phrases) for t in topics[:3]]
    assert any("丽发新城" in n or "搅拌站" in n for n in names), names
    assert any("58车贷" in n for n in names), names


def test_a_topic_without_distinctive_phrases_falls_back_to_its_titles() -> None:
    # Two complaints whose every phrase is generic still get a name from their titles.
    docs = [HotDoc(1, "小区问题", "希望有关部门加强管理。"), HotDoc(2, "小区问题", "希望有关部门加强管理。")]
    found = find_topics(docs, use_embeddings=False)
    assert found and found[0].key_phrases and all(found[0].key_phrases)
