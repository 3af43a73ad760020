from __future__ import annotations

import random

from lvzhi.intelligence.hot_topics import HotDoc, find_topics

from ._support import rows


def test_same_place_same_problem_becomes_the_top_topic() -> None:
    data = list(rows("hot_messages"))
    lifa = [r for r in data if "丽发新城" in r["title"] and "搅拌" in r["title"]]
    che = [r for r in data if "58车贷" in r["title"]]
    assert len(lifa) >= 10 and len(che) >= 5
    others = random.Random(0).sample([r for r in data if r not in lifa and r not in che], 120)
    docs = [HotDoc(r["id"], r["title"], r["body"], r["time"], int(r["likes"])) for r in lifa + che + others]
    topics = find_topics(docs, n_topics=5)
    assert topics, "no topic found"
    top_ids = [set(t.member_ids) for t in topics[:2]]
    lifa_ids, che_ids = {r["id"] for r in lifa}, {r["id"] for r in che}
    # Both real hot issues are in the top two, each mostly in one topic.
    assert any(len(s & lifa_ids) >= 0.7 * len(lifa_ids) for s in top_ids)
    assert any(len(s & che_ids) >= 0.6 * len(che_ids) for s in top_ids)
    t = topics[0]
    assert t.size == len(t.member_ids) and t.key_phrases and t.representative_id in t.member_ids
    assert sum(t.trend.values()) == t.size and all(len(k) == 7 and k[4] == "-" for k in t.trend)
    assert [x.score for x in topics] == sorted((x.score for x in topics), reverse=True)


def test_bucket_mode_finds_the_same_top_two() -> None:
    """The near-linear path (components, k-means buckets of 60 here, joins across buckets)
    still puts the 丽发新城 搅拌站 and 58车贷 complaints on top."""
    data = list(rows("hot_messages"))
    lifa = [r for r in data if "丽发新城" in r["title"] and "搅拌" in r["title"]]
    che = [r for r in data if "58车贷" in r["title"]]
    others = random.Random(0).sample([r for r in data if r not in lifa and r not in che], 300)
    docs = [HotDoc(r["id"], r["title"], r["body"], r["time"], int(r["likes"])) for r in lifa + che + others]
    # Sentence vectors as the platform stores them (characters alone split 丽发新城 on either path).
    from lvzhi.intelligence.embeddings import encode
    from lvzhi.intelligence.text import join_title_body, normalize

    vecs = encode([normalize(join_title_body(d.title, d.body)) for d in docs])
    topics = find_topics(docs, n_topics=5, embeddings=vecs, method="buckets", bucket_size=60)
    lifa_ids, che_ids = {r["id"] for r in lifa}, {r["id"] for r in che}
    top_ids = [set(t.member_ids) for t in topics[:2]]
    assert any(len(s & lifa_ids) >= 0.7 * len(lifa_ids) for s in top_ids)
    assert any(len(s & che_ids) >= 0.6 * len(che_ids) for s in top_ids)
    assert all(t.key_phrases for t in topics)
    assert [x.score for x in topics] == sorted((x.score for x in topics), reverse=True)
