"""A deputy's title that shares its substantive words with a case's title finds that case (issue 8).

The demo turns the real message 83 (投诉A市A1区苑物业违规收停车费) into a 高新区 suggestion; a
deputy typing "关于解决高新区小区违规设置停车收费问题的建议" used to get no match at all (0.13 against
its title + body), because a one-line title's n-grams drown in a long body.
"""

from __future__ import annotations

import random

import pytest

from lvzhi.intelligence.similar import DEFAULT_QUERY_THRESHOLD, Doc, SimilarityIndex, title_features

from ._support import by_id, rows

DEMO_CASE = "demo-parking-fee"
DEMO_TITLE = "关于解决高新区苑物业违规收停车费问题的建议"  # the demo's title of message 83
QUERY = "关于解决高新区小区违规设置停车收费问题的建议"
# Other demo titles about 高新区 that share only the district or the word 违规/收费.
UNRELATED = {
    "demo-express": "关于切实解决高新区快递乱收手续费问题的建议",
    "demo-school": "关于妥善解决高新区涟水中学违规收取体检费问题的建议",
    "demo-hotel": "关于解决高新区上和酒店严重违建问题的建议",
    "demo-fumes": "关于高新区劳动东路魅力之城小区油烟扰民问题的建议",
}


def _localised(text: str) -> str:
    return text.replace("A1区", "高新区").replace("A市", "北辰市")


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    m83 = by_id("messages_dev")["83"]
    docs = [Doc(DEMO_CASE, DEMO_TITLE, _localised(m83["body"]))]
    docs += [Doc(k, t, "") for k, t in UNRELATED.items()]
    sample = random.Random(0).sample(list(rows("messages_dev")), 400)
    docs += [Doc(r["id"], r["title"], r["body"]) for r in sample if r["id"] != "83"]
    return SimilarityIndex.build(docs, use_embeddings=False)


def test_frame_words_are_not_features() -> None:
    got = title_features(QUERY)
    assert "停车" in got and "收费" in got and "小区" in got
    assert not {"关于", "解决", "问题", "建议"} & set(got)


def test_whole_text_score_alone_misses_the_case(index: SimilarityIndex) -> None:
    # What the panel used to rank by: this is the bug.
    pos = [d.id for d in index.docs].index(DEMO_CASE)
    assert max(index.scores(QUERY, "")[pos], index.scores(QUERY, None)[pos]) < DEFAULT_QUERY_THRESHOLD


@pytest.mark.parametrize("body", ["", "小区物业未经业主同意，利用公共道路设置停车位收取停车费。"])
def test_near_identical_title_finds_the_case_first(index: SimilarityIndex, body: str) -> None:
    found = index.query(QUERY, body)
    assert found and found[0].id == DEMO_CASE


def test_cases_sharing_only_the_district_or_a_word_stay_out(index: SimilarityIndex) -> None:
    found = {m.id for m in index.query(QUERY, "")}
    assert not found & set(UNRELATED)
    # Nothing else matches but parking matters.
    docs = {d.id: d for d in index.docs}
    for i in found:
        assert "停车" in docs[i].title + docs[i].body, docs[i].title


def test_unrelated_title_finds_nothing(index: SimilarityIndex) -> None:
    assert index.query("关于加快高新区城乡客运公交化改造的建议", "") == []
