"""Typing a body under a title must never lose a match the title alone found (issue 8)."""

from __future__ import annotations

import random

import pytest

from lvzhi.demo import data as D
from lvzhi.intelligence.similar import DEFAULT_QUERY_THRESHOLD, Doc, SimilarityIndex

from ._support import by_id, rows

PARKING_MOTION = "motion-parking"
TITLE = "关于加强中心城区停车场建设和管理的建议"
# Real citizens' messages about parking (messages_dev): relevant bodies a deputy might paste.
PARKING_BODIES = ("64272", "49811", "83", "131094")


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    # The demo's motions (the parking one among them) among 400 real messages; characters only.
    docs = [Doc(PARKING_MOTION if "停车场" in t else f"motion-{i}", t, f"{cause}\n{basis}")
            for i, (t, _cat, _com, cause, basis, _plan) in enumerate(D.MOTIONS)]
    sample = random.Random(0).sample(list(rows("messages_dev")), 400)
    docs += [Doc(r["id"], r["title"], r["body"]) for r in sample if r["id"] not in PARKING_BODIES]
    return SimilarityIndex.build(docs, use_embeddings=False)


def _ids(index: SimilarityIndex, title: str, body: str) -> list:
    return [m.id for m in index.query(title, body)]


def test_title_alone_finds_the_parking_motion(index: SimilarityIndex) -> None:
    assert _ids(index, TITLE, "")[0] == PARKING_MOTION


@pytest.mark.parametrize("message_id", PARKING_BODIES)
def test_adding_a_long_body_keeps_the_match(index: SimilarityIndex, message_id: str) -> None:
    body = by_id("messages_dev")[message_id]["body"]
    # The whole text's score alone is diluted below the cut: this is what used to lose the match.
    pos = [d.id for d in index.docs].index(PARKING_MOTION)
    assert index.scores(TITLE, body)[pos] < DEFAULT_QUERY_THRESHOLD
    found = index.query(TITLE, body)
    assert PARKING_MOTION in [m.id for m in found]
    assert next(m for m in found if m.id == PARKING_MOTION).score >= DEFAULT_QUERY_THRESHOLD


def test_body_can_only_add_matches(index: SimilarityIndex) -> None:
    for r in random.Random(1).sample(list(rows("messages_dev")), 30):
        if not r["title"].strip() or not r["body"].strip():
            continue
        title_only = set(_ids(index, r["title"], ""))
        assert title_only <= set(_ids(index, r["title"], r["body"]) + [r["id"]]), r["id"]


def test_body_alone_still_matches_without_a_title(index: SimilarityIndex) -> None:
    motion = D.MOTIONS[[t for t, *_ in D.MOTIONS].index("关于制定《北辰市停车场建设和管理条例》的议案")]
    assert _ids(index, "", f"{motion[3]}\n{motion[4]}")[0] == PARKING_MOTION
