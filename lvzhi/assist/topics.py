"""Hot topics of a congress over a period: cases clustered by what they raise, ranked.

Uses ``lvzhi.intelligence.hot_topics.find_topics`` when the library has it; until then (or if
its API moves) a small local clustering over the library's similarity index stands in:
single-link groups at a topic threshold, key phrases = the phrases most members share.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lvzhi.intelligence.similar import Doc, SimilarityIndex
from lvzhi.intelligence.text import normalize, phrases

# Below the library's query threshold (0.35): a topic gathers cases about the same problem,
# not only re-posts (0.40). Checked by eye on the demo history (docs/assist.md).
TOPIC_THRESHOLD = 0.30
_CLAUSE = re.compile(r"[。；;！!？?，,：:\n]")
_ENUM = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[、.．)）]\s*")


@dataclass(frozen=True)
class TopicDoc:
    id: Hashable
    title: str
    body: str
    time: dt.datetime
    likes: int = 0


@dataclass
class TopicResult:
    key_phrases: list[str]
    representative_title: str
    representative_id: Hashable
    size: int
    likes: int
    score: float
    member_ids: list[Hashable] = field(default_factory=list)
    trend: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" → cases


def _library_topics(docs: Sequence[TopicDoc]) -> list[TopicResult] | None:
    try:
        from lvzhi.intelligence import hot_topics as H
    except ImportError:
        return None
    try:
        hot = [H.HotDoc(d.id, d.title, d.body, d.time, d.likes) for d in docs]
        topics = H.find_topics(hot)
        return [TopicResult(list(t.key_phrases), t.representative_title, t.representative_id, int(t.size),
                            int(t.likes), float(t.score), list(t.member_ids)) for t in topics]
    except (AttributeError, TypeError):  # the library's API moved: use the local clustering
        return None


def strip_common(titles: Sequence[str], bodies: Sequence[str]) -> list[str]:
    """Drop the clauses many cases share word for word ("代表在走访中了解到……", "建立长效管理
    机制"): they are how suggestions are written, not what they are about, and would make
    every case look like every other. A clause is counted once per distinct title, so five
    re-posts of one complaint do not strip their own words."""
    split = [[_ENUM.sub("", c.strip()) for c in _CLAUSE.split(normalize(b)) if c.strip()] for b in bodies]
    seen: dict[str, set[str]] = {}
    for title, clauses in zip(titles, split, strict=True):
        for c in clauses:
            if len(c) >= 6:
                seen.setdefault(c, set()).add(normalize(title))
    limit = max(5, 0.03 * len(bodies))
    return ["。".join(c for c in clauses if len(seen.get(c, ())) < limit) for clauses in split]


def _local_topics(docs: Sequence[TopicDoc], threshold: float = TOPIC_THRESHOLD) -> list[TopicResult]:
    if not docs:
        return []
    bodies = strip_common([d.title for d in docs], [d.body for d in docs])
    index = SimilarityIndex.build([Doc(d.id, d.title, b) for d, b in zip(docs, bodies, strict=True)],
                                  use_embeddings=False)
    # Phrase document frequency: a phrase in a fifth of all cases ("建议", "代表") names no topic.
    doc_phrases = [set(phrases(f"{d.title}。{b[:400]}")) for d, b in zip(docs, bodies, strict=True)]
    pdf: Counter[str] = Counter()
    for ps in doc_phrases:
        pdf.update(ps)
    too_common = max(5, 0.2 * len(docs))
    n = len(docs)
    s = index.pairwise() if n > 1 else None
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if s is not None:
        import numpy as np

        rows, cols = np.nonzero(np.triu(s >= threshold, k=1))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        # Representative: the member most similar to the rest (ties: most supported).
        rep = max(members, key=lambda i: (sum(s[i, j] for j in members) if s is not None else 0,
                                          docs[i].likes))
        counts: Counter[str] = Counter()
        for i in members:
            counts.update(doc_phrases[i])
        shared = [p for p, c in sorted(counts.items(), key=lambda kv: (-kv[1], pdf[kv[0]], -len(kv[0])))
                  if c >= 2 and len(p) >= 2 and (pdf[p] < too_common or pdf[p] == c)]
        keys: list[str] = []
        for p in shared:
            if not any(p in k or k in p for k in keys):
                keys.append(p)
            if len(keys) >= 5:
                break
        likes = sum(docs[i].likes for i in members)
        out.append(TopicResult(keys, docs[rep].title, docs[rep].id, len(members), likes,
                               round(len(members) + math.log1p(likes), 3), [docs[i].id for i in members]))
    return out


def find_topics(docs: Sequence[TopicDoc]) -> list[TopicResult]:
    topics = _library_topics(docs)
    if topics is None:
        topics = _local_topics(docs)
    months = {d.id: d.time.strftime("%Y-%m") for d in docs}
    for t in topics:
        t.trend = dict(Counter(months[i] for i in t.member_ids if i in months))
    return sorted(topics, key=lambda t: (-t.score, -t.size, -t.likes))


def months_between(start: dt.date, end: dt.date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def as_chart(topic: TopicResult, months: list[str]) -> dict[str, Any]:
    return {"months": months, "values": [topic.trend.get(m, 0) for m in months]}
