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

from .text import join_title_body, normalize, phrase_tokens, phrases

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


# Phrases that say how a suggestion is written, not what it is about: drafting boilerplate
# (the demo's and real deputies' closing requests), idioms and words every complaint uses.
_STOP_PHRASES = frozenset({
    "举一反三", "长效机制", "长效管理机制", "全面排查", "开展全面排查", "同类问题", "同类", "牵头单位",
    "责任分工", "办理时限", "部门协作", "协作", "通报调查", "调查处理进展", "接受群众监督", "群众监督",
    "进展", "有关部门", "相关部门", "职能部门", "政府部门", "领导", "市领导", "张市长", "胡书记",
    "群众", "市民", "居民", "业主", "老百姓", "一群", "魅力", "社会", "影响", "时间", "问题", "情况",
    "现象", "建议", "意见", "希望", "诉求", "反映", "投诉", "举报", "加强", "管理", "工作", "方面",
    "一片", "有的是", "我会", "联系人", "身边", "孩子", "老人", "老师", "家长", "一位家长",
    "小区", "社区", "街道", "道路", "广场", "学校", "医院", "公司", "单位", "地方", "附近", "周边",
    "严重", "安全", "隐患", "安全隐患", "环境", "生活", "身体", "健康", "经济", "发展", "质量",
    "何时能", "什么时候", "设置", "调整", "治理", "优化", "整治", "提质", "解决", "处理", "落实", "规范",
})  # fmt: skip
# Anonymised admin codes in the real data (A市, A3区, K3县): a prefix, never a name.
_CODE_PREFIX = re.compile(r"^(?:[a-z]\d{0,2}[市区县])+")


def _clean_phrase(p: str) -> str:
    """"白沙路" of "a市a1区白沙路"; "" for what cannot name a topic."""
    p = _CODE_PREFIX.sub("", p)
    if len(p) < 2 or p in _STOP_PHRASES or p.isdigit():
        return ""
    if len(p) == 4 and _is_idiom(p):
        return ""
    return p


def _is_idiom(p: str) -> bool:
    from .text import _tag  # the package's own POS tagger (rjieba with the government dictionary)

    tags = _tag(p)
    return len(tags) == 1 and tags[0][1] in ("i", "l")


def _name_topic(members: np.ndarray, title_phrases: list[set[str]], body_phrases: list[set[str]],
                phrase_df: Counter[str], n: int, centre_title: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` distinctive phrases, never none.

    Score = (share of members whose title has it × 2 + share whose body has it) × idf. Body
    phrases need two members; two-character words only count from titles (in bodies they are
    mostly generic: 社会, 进展); a phrase in over a tenth of a large corpus is boilerplate.
    Fallback: the members' most common title phrase, else the representative title itself.
    """
    size = len(members)
    in_title: Counter[str] = Counter(p for i in members for p in title_phrases[i])
    in_body: Counter[str] = Counter(p for i in members for p in body_phrases[i])
    max_df = max(10, n // 10)
    scored: list[tuple[float, str]] = []
    for p in set(in_title) | set(in_body):
        t, b = in_title[p], in_body[p]
        if t == 0 and (b < max(2, math.ceil(0.2 * size)) or len(p) < 3):
            continue
        if n >= 50 and phrase_df[p] > max_df:
            continue
        idf = math.log((1 + n) / (1 + phrase_df[p]))
        scored.append(((2 * t + b) / size * idf, p))
    key: list[str] = []
    for _s, p in sorted(scored, key=lambda x: (-x[0], -len(x[1]), x[1])):
        if any(p in k or k in p for k in key):
            continue
        key.append(p)
        if len(key) >= limit:
            break
    if not key:
        common = in_title.most_common(1)
        key = [common[0][0]] if common else [_CODE_PREFIX.sub("", centre_title)[:16] or centre_title[:16]]
    return key


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

    # Names: title phrases first, by class-based TF-IDF (frequent in the topic, rare in the
    # corpus), then body phrases; boilerplate, idioms and generic words never (see _name_topic).
    title_phrases = [{_clean_phrase(p) for p in phrases(ti)} - {""} for ti in titles]
    body_phrases = [{_clean_phrase(p) for p in phrases(t)} - {""} for t in texts]
    phrase_df = Counter(p for ps in body_phrases for p in ps | set())
    phrase_df.update(p for ts, bs in zip(title_phrases, body_phrases, strict=True) for p in ts - bs)
    n = len(docs)

    topics: list[Topic] = []
    for lab in np.unique(labels):
        members = np.flatnonzero(labels == lab)
        if len(members) < min_size:
            continue
        likes = int(sum(max(0, int(docs[i].likes or 0)) for i in members))
        sub = sim[np.ix_(members, members)]
        centre = members[int(np.argmax(sub.mean(axis=1)))]
        key = _name_topic(members, title_phrases, body_phrases, phrase_df, n, titles[centre])
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
