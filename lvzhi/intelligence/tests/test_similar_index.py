"""The incremental similar-case index finds what the exact index finds, and follows changes one
case at a time without a rebuild."""

from __future__ import annotations

import random

import pytest

from lvzhi.intelligence.similar import Doc, SimilarityIndex
from lvzhi.intelligence.similar_index import IncrementalIndex

from ._support import rows

NEAR_COPY = ("117645", "m02853")
REWORDED = ("171646", "171642")


@pytest.fixture(scope="module")
def data() -> list[dict[str, str]]:
    all_rows = list(rows("messages_dev"))
    sample = random.Random(1).sample(all_rows, 600)
    ids = {*NEAR_COPY, *REWORDED}
    return sample + [r for r in all_rows if r["id"] in ids and r not in sample]


def _text_of(data: list[dict[str, str]]):
    by = {r["id"]: r for r in data}
    return lambda keys: [(by[k]["title"], by[k]["body"]) for k in keys]


def test_finds_what_the_exact_index_finds(data) -> None:
    exact = SimilarityIndex.build([Doc(r["id"], r["title"], r["body"]) for r in data], use_embeddings=False)
    index = IncrementalIndex.build([(r["id"], r["title"], r["body"]) for r in data])
    text_of = _text_of(data)
    wanted = found = 0
    for r in random.Random(2).sample(data, 40):
        want = {m.id: m.score for m in exact.query(r["title"], r["body"], limit=50)}
        got = {m.id: m.score for m in index.query(r["title"], r["body"], text_of, limit=50)}
        wanted += len(want)
        found += len(want.keys() & got.keys())
        for k in want.keys() & got.keys():  # the same score, up to hashing collisions
            assert abs(want[k] - got[k]) < 0.03, (r["id"], k, want[k], got[k])
    assert found / wanted >= 0.97
    for a, b in (NEAR_COPY, REWORDED):
        q = next(r for r in data if r["id"] == a)
        assert b in [m.id for m in index.query(q["title"], q["body"], text_of, exclude=[a])]


def test_add_replace_remove_one_at_a_time_and_reload(data, tmp_path) -> None:
    base = data[:300]
    index = IncrementalIndex.build([(r["id"], r["title"], r["body"]) for r in base])
    extra = {r["id"]: r for r in data[300:]}
    texts = {r["id"]: (r["title"], r["body"]) for r in base}

    def text_of(keys):
        return [texts[k] for k in keys]

    newcomer = next(iter(extra.values()))
    assert newcomer["id"] not in [m.id for m in index.query(newcomer["title"], newcomer["body"], text_of)]
    texts[newcomer["id"]] = (newcomer["title"], newcomer["body"])
    assert index.add([(newcomer["id"], newcomer["title"], newcomer["body"])]) == 1
    assert index.add([(newcomer["id"], newcomer["title"], newcomer["body"])]) == 0  # unchanged: skipped
    assert index.query(newcomer["title"], newcomer["body"], text_of)[0].id == newcomer["id"]

    # Its text replaced by another message's: found by the new text, not the old one.
    other = list(extra.values())[1]
    texts[newcomer["id"]] = (other["title"], other["body"])
    index.add([(newcomer["id"], other["title"], other["body"])])
    assert newcomer["id"] not in [m.id for m in index.query(newcomer["title"], newcomer["body"], text_of)]
    assert newcomer["id"] in [m.id for m in index.query(other["title"], other["body"], text_of)]

    # Saved, loaded (memory-mapped): the same answers; it still takes new docs and removals.
    index.watermark, index.watermark_tag = 42, "abc"
    index.save(tmp_path / "ix")
    loaded = IncrementalIndex.load(tmp_path / "ix")
    assert (loaded.watermark, loaded.watermark_tag, len(loaded)) == (42, "abc", len(index))
    q = base[5]
    assert ([m.id for m in loaded.query(q["title"], q["body"], text_of)]
            == [m.id for m in index.query(q["title"], q["body"], text_of)])
    third = list(extra.values())[2]
    texts[third["id"]] = (third["title"], third["body"])
    loaded.add([(third["id"], third["title"], third["body"])])
    assert loaded.query(third["title"], third["body"], text_of)[0].id == third["id"]
    loaded.remove([third["id"], "no-such-key"])
    assert third["id"] not in loaded
    assert third["id"] not in [m.id for m in loaded.query(third["title"], third["body"], text_of)]
