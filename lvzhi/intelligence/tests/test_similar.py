"""Re-posts in the real data must be found, and distinct matters kept apart."""

from __future__ import annotations

import csv
import random

import pytest

from lvzhi.intelligence.similar import Doc, SimilarityIndex, group_duplicates, shared_phrases

from ._support import HERE, by_id, rows

# Hand-checked re-posts (tests/data/duplicate_pairs.csv): a near copy and a rewording.
NEAR_COPY = ("117645", "m02853")  # 永发养猪场污染扰民, posted twice with light edits
REWORDED = ("171646", "171642")  # H4县运管所 退还出租车经营权有偿使用费, told twice differently
DIFFERENT = ("m02578", "m03554")  # same template text, two different schools: not one matter


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    # A sample of real messages plus the pairs under test; small enough to embed in seconds.
    data = list(rows("messages_dev"))
    sample = random.Random(0).sample(data, 150)
    ids = {*NEAR_COPY, *REWORDED, *DIFFERENT}
    sample += [r for r in data if r["id"] in ids and r not in sample]
    return [Doc(r["id"], r["title"], r["body"], r["time"] or None) for r in sample]


@pytest.fixture(scope="module")
def index(docs: list[Doc]) -> SimilarityIndex:
    return SimilarityIndex.build(docs)


def _query(index: SimilarityIndex, doc_id: str):
    d = by_id("messages_dev")[doc_id]
    return index.query(d["title"], d["body"], exclude=[doc_id])


def test_near_copy_is_found_first_with_reasons(index: SimilarityIndex) -> None:
    matches = _query(index, NEAR_COPY[0])
    assert matches and matches[0].id == NEAR_COPY[1]
    assert matches[0].score >= 0.5
    assert any("养猪场" in p for p in matches[0].shared_phrases)


def test_reworded_repost_is_found(index: SimilarityIndex) -> None:
    assert REWORDED[1] in [m.id for m in _query(index, REWORDED[0])]


def test_groups_contain_the_reposts(index: SimilarityIndex) -> None:
    groups = group_duplicates(index)
    as_sets = [set(g) for g in groups]
    assert set(NEAR_COPY) in as_sets or any(set(NEAR_COPY) <= g for g in as_sets)
    # Most sampled messages are unique: grouping must not sweep them together.
    assert sum(len(g) for g in groups) < 30


def test_char_only_index_still_finds_copies(docs: list[Doc]) -> None:
    index = SimilarityIndex.build(docs, use_embeddings=False)
    assert _query(index, NEAR_COPY[0])[0].id == NEAR_COPY[1]


def test_labelled_pairs_precision_and_recall_on_char_index() -> None:
    # Every labelled pair scored with a char-only index of the whole dev file: most true
    # re-posts above the duplicate threshold, most hard negatives below.
    data = list(rows("messages_dev"))
    index = SimilarityIndex.build([Doc(r["id"], r["title"], r["body"]) for r in data], use_embeddings=False)
    pos = {r["id"]: i for i, r in enumerate(data)}
    with (HERE / "data" / "duplicate_pairs.csv").open(encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    tp = fp = fn = 0
    for p in pairs:
        a = data[pos[p["id_a"]]]
        s = index.scores(a["title"], a["body"])[pos[p["id_b"]]]
        same = p["same_matter"] == "1"
        tp += same and s >= 0.4
        fn += same and s < 0.4
        fp += (not same) and s >= 0.4
    assert tp / (tp + fp) > 0.85
    assert tp / (tp + fn) > 0.7


def test_shared_phrases_explain_the_match() -> None:
    a = "A市丽发新城小区旁边建搅拌站，噪音扰民"
    b = "投诉A2区丽发新城附近搅拌站噪音扰民严重"
    got = shared_phrases(a, b)
    assert any("丽发新城" in p for p in got) and any("搅拌站" in p for p in got)
