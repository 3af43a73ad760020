"""Hot topics: which problems do many people raise, and how much support do they get?

1. Similarity between messages as in ``similar`` (characters + sentence encoder), plus the
   title on its own (titles name place and problem), plus a bonus when two messages name the
   same specific place (小区, 路, 村 … from the key phrases): the same-place-same-problem
   complaints are the topics a committee acts on.
2. Average-linkage agglomerative clustering cut at a distance threshold (no fixed k: the
   number of topics is whatever the data holds), then clusters whose titles share a rare
   name (伊景园滨河苑, 58车贷) are merged: one matter told in different words.
3. Topics ranked by ``score = size + ln(1 + likes)``: each message counts once, and public
   support counts with diminishing returns so one viral post does not outrank twenty
   separate complaints.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import join_title_body, normalize, phrase_tokens

__all__ = ["HotDoc", "Topic", "find_topics"]

# Place words: a phrase ending like this names where the problem is.
_PLACE_SUFFIXES = (
    "小区", "花园", "花苑", "家园", "公寓", "广场", "大厦", "新城", "社区", "街道", "路", "大道", "街",
    "村", "镇", "乡", "学校", "小学", "中学", "幼儿园", "医院", "市场", "公园", "工业园", "大桥", "站",
)  # fmt: skip
_GENERIC_PLACES = {"小区", "社区", "街道", "学校", "小学", "中学", "幼儿园", "医院", "市场", "公园", "a市", "马路"}


@dataclass(frozen=True)
class HotDoc:
    id: Hashable
    title: str
    body: str
    time: datetime | date | str | None = None
    likes: int = 0


@dataclass
class Topic:
    key_phrases: list[str]
    representative_title: str
    representative_id: Hashable
    size: int
    likes: int
    score: float
    trend: dict[str, int]
    member_ids: list[Hashable] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None


def _period(value: datetime | date | str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    return text[:7] if len(text) >= 7 and text[4] in "-/" else None


def _places(text: str) -> set[str]:
    out = set()
    for toks in phrase_tokens(text, max_chars=14):
        # Keep the phrase up to and including its place word: "丽发新城小区" of "丽发新城小区搅拌站".
        for i in range(len(toks), 0, -1):
            head = "".join(toks[:i])
            if head.endswith(_PLACE_SUFFIXES) and len(head) >= 3 and head not in _GENERIC_PLACES:
                # Strip an administrative prefix so "a5区丽发新城" and "丽发新城" match.
                for j in range(i - 1):
                    tail = "".join(toks[j + 1 : i])
                    if toks[j].endswith(("区", "县", "市")) and len(tail) >= 3:
                        out.add(tail)
                out.add(head)
                break
    return out


def _anchor(member_titles: list[str], cluster_df: Counter[str], max_df: int) -> str | None:
    """The most specific string (4–8 chars) shared by ≥60 % of a cluster's titles, if few
    clusters use it: "58车贷", "伊景园滨河苑", "丽发新城"."""
    need = max(2, math.ceil(0.6 * len(member_titles)))
    # Prefer the string most titles share (the name), then the rarer, then the longer.
    best: tuple[int, int, int, str] | None = None
    for n in range(8, 3, -1):
        cands = Counter(g for t in member_titles for g in {t[i : i + n] for i in range(len(t) - n + 1)})
        for gram, c in cands.items():
            if c < need or not re.fullmatch(r"[\w\u4e00-\u9fff]+", gram) or gram.startswith(("a市", "a", "西地")):
                continue
            df = cluster_df.get(gram, 0)
            key = (-c, df, -len(gram), gram)
            if df <= max_df and (best is None or key < best):
                best = key
    return best[3] if best else None


def _merge_by_anchor(labels: np.ndarray, titles: list[str], sim: np.ndarray) -> np.ndarray:
    """Merge clusters whose titles share a rare anchor string (a place or case name).

    Average linkage splits one matter told in different words (the 58车贷 fraud appears as
    "保护伞", "案件进展", "立案公告" …); the name in the titles ties them back together.
    """
    clusters: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        clusters.setdefault(int(lab), []).append(i)
    # In how many clusters each 4–8-char title substring occurs. A name (丽发新城, 58车贷) sits in
    # the few fragments of its matter; a phrase such as 噪音扰民 in dozens of clusters. Four
    # characters at least: 3-char strings are mostly generic (幼儿园, 垃圾站).
    cluster_df: Counter[str] = Counter()
    for members in clusters.values():
        cluster_df.update(
            {titles[i][k : k + n] for i in members for n in range(4, 9) for k in range(len(titles[i]) - n + 1)}
        )
    max_df = 8
    parent = {lab: lab for lab in clusters}

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for lab, members in clusters.items():
        if len(members) < 3:
            continue
        anchor = _anchor([titles[i] for i in members], cluster_df, max_df)
        if not anchor:
            continue
        for other, om in clusters.items():
            if other == lab or find(other) == find(lab):
                continue
            share = sum(anchor in titles[i] for i in om) / len(om)
            # Same name in most titles and some resemblance in content: the same matter.
            if share >= 0.5 and float(sim[np.ix_(om, members)].mean()) >= 0.25:
                parent[find(other)] = find(lab)
    return np.array([find(int(lab)) for lab in labels])


def find_topics(
    docs: Sequence[HotDoc],
    n_topics: int | None = None,
    *,
    distance_threshold: float = 0.62,
    place_bonus: float = 0.15,
    min_size: int = 2,
    use_embeddings: bool = True,
    embeddings: np.ndarray | None = None,
) -> list[Topic]:
    """Topics raised by at least ``min_size`` messages, best first (all of them if
    ``n_topics`` is None). ``embeddings`` may carry stored vectors, one row per doc."""
    docs = list(docs)
    if len(docs) < max(2, min_size):
        return []
    texts = [normalize(join_title_body(d.title, d.body)) for d in docs]
    titles = [normalize(d.title) or t[:40] for d, t in zip(docs, texts, strict=True)]

    char = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(texts)
    tchar = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(titles)
    sim = 0.4 * (char @ char.T).toarray() + 0.2 * (tchar @ tchar.T).toarray()
    if embeddings is None and use_embeddings:
        from .embeddings import encode

        embeddings = encode(texts)
    if embeddings is not None:
        sim += 0.4 * np.clip(embeddings @ embeddings.T, 0, 1)
    else:
        sim /= 0.6

    places = [_places(t) for t in texts]
    # Bonus for sharing a place that few messages mention (a specific estate, not "a市").
    place_df = Counter(p for ps in places for p in ps)
    rare = [{p for p in ps if place_df[p] <= max(20, len(docs) // 100)} for ps in places]
    by_place: dict[str, list[int]] = {}
    for i, ps in enumerate(rare):
        for p in ps:
            by_place.setdefault(p, []).append(i)
    for members in by_place.values():
        if len(members) > 1:
            idx = np.array(members)
            sim[np.ix_(idx, idx)] += place_bonus
    np.fill_diagonal(sim, 1.0)
    dist = np.clip(1.0 - sim, 0.0, None)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(tree, t=distance_threshold, criterion="distance")
    labels = _merge_by_anchor(labels, titles, sim)

    # Key phrases by class-based TF-IDF: frequent in the topic, rare elsewhere.
    doc_phrases = [{"".join(p) for p in phrase_tokens(f"{ti}。{t}")} for ti, t in zip(titles, texts, strict=True)]
    phrase_df = Counter(p for ps in doc_phrases for p in ps)
    n = len(docs)

    topics: list[Topic] = []
    for lab in np.unique(labels):
        members = np.flatnonzero(labels == lab)
        if len(members) < min_size:
            continue
        likes = int(sum(max(0, int(docs[i].likes or 0)) for i in members))
        sub = sim[np.ix_(members, members)]
        centre = members[int(np.argmax(sub.mean(axis=1)))]
        counts = Counter(p for i in members for p in doc_phrases[i])
        scored = sorted(
            ((c / len(members)) * math.log((1 + n) / (1 + phrase_df[p])), p)
            for p, c in counts.items()
            if c >= max(2, math.ceil(0.2 * len(members)))
        )
        key: list[str] = []
        for _s, p in sorted(scored, reverse=True):
            if any(p in k or k in p for k in key):
                continue
            key.append(p)
            if len(key) >= 5:
                break
        place_counts = Counter(p for i in members for p in places[i])
        top_places = [p for p, c in place_counts.most_common(3) if c >= 2]
        trend: Counter[str] = Counter()
        for i in members:
            per = _period(docs[i].time)
            if per:
                trend[per] += 1
        periods = sorted(trend)
        topics.append(
            Topic(
                key_phrases=key,
                representative_title=docs[centre].title or texts[centre][:40],
                representative_id=docs[centre].id,
                size=len(members),
                likes=likes,
                score=round(len(members) + math.log1p(likes), 3),
                trend=dict(sorted(trend.items())),
                member_ids=[docs[i].id for i in members],
                places=top_places,
                first_seen=periods[0] if periods else None,
                last_seen=periods[-1] if periods else None,
            )
        )
    topics.sort(key=lambda t: (-t.score, -t.size, str(t.representative_id)))
    return topics[:n_topics] if n_topics else topics
