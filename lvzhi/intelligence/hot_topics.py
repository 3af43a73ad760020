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
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from scipy import sparse
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
# Up to this many docs one dense similarity matrix (n² × 8 bytes, several copies: ~1 GB at
# 5,000); beyond, buckets. hot_messages (4,294) stays on the exact path.
EXACT_LIMIT = 5_000
BUCKET_SIZE = 2_000
# Buckets: places from the title and the opening only (a full-text place scan is 1.5 ms a doc).
PLACE_CHARS = 160
NAME_TOP = 200  # topics named from their phrases in bucket mode; the rest by their title
PHRASE_SAMPLE = 5_000  # docs whose phrases estimate the corpus phrase frequencies
_COARSE_BITS = 16
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


def _merge_by_anchor(labels: np.ndarray, titles: list[str], sim: np.ndarray | None,
                     avg_sim: Callable[[list[int], list[int]], float] | None = None) -> np.ndarray:
    """Merge clusters whose titles share a rare anchor string (a place or case name).

    Average linkage splits one matter told in different words (the 58车贷 fraud appears as
    "保护伞", "案件进展", "立案公告" …); the name in the titles ties them back together.
    """
    if avg_sim is None:
        def avg_sim(a: list[int], b: list[int]) -> float:
            return float(sim[np.ix_(a, b)].mean())
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

    # Which clusters hold a title with a given 4-character string: an anchor (≥ 4 characters)
    # is only looked for in the clusters holding its first four (not in every cluster).
    by_gram: dict[str, set[int]] = {}
    for lab, members in clusters.items():
        for i in members:
            t = titles[i]
            for k in range(len(t) - 3):
                by_gram.setdefault(t[k:k + 4], set()).add(lab)
    for lab, members in clusters.items():
        if len(members) < 3:
            continue
        anchor = _anchor([titles[i] for i in members], cluster_df, max_df)
        if not anchor:
            continue
        for other in sorted(by_gram.get(anchor[:4], ())):
            om = clusters[other]
            if other == lab or find(other) == find(lab):
                continue
            share = sum(anchor in titles[i] for i in om) / len(om)
            # Same name in most titles and some resemblance in content: the same matter.
            if share >= 0.5 and avg_sim(om, members) >= 0.25:
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
    method: str = "auto",
    bucket_size: int = BUCKET_SIZE,
) -> list[Topic]:
    """Topics raised by at least ``min_size`` messages, best first (all of them if
    ``n_topics`` is None). ``embeddings`` may carry stored vectors, one row per doc.

    ``method``: "exact" (one dense n × n similarity, average linkage over all docs), "buckets"
    (the same clustering inside buckets of about ``bucket_size`` similar docs, see
    ``_find_topics_buckets``), or "auto": exact up to ``EXACT_LIMIT`` docs, else buckets.
    """
    docs = list(docs)
    if len(docs) < max(2, min_size):
        return []
    if method == "auto":
        method = "exact" if len(docs) <= EXACT_LIMIT else "buckets"
    if method == "buckets":
        if embeddings is None and use_embeddings:
            from .embeddings import encode

            embeddings = encode([normalize(join_title_body(d.title, d.body)) for d in docs])
        return _find_topics_buckets(docs, n_topics, distance_threshold=distance_threshold, place_bonus=place_bonus,
                                    min_size=min_size, embeddings=embeddings if use_embeddings else None,
                                    bucket_size=bucket_size)
    if method != "exact":
        raise ValueError(f"unknown method {method!r}")
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
    tree = _place_linkage(sim, rare, place_bonus)
    labels = fcluster(tree, t=distance_threshold, criterion="distance")
    labels = _merge_by_anchor(labels, titles, sim)

    centre_of = _centres_from_matrix(sim)
    return _make_topics(docs, texts, titles, labels, places, centre_of, n_topics, min_size)


def _centres_from_matrix(sim: np.ndarray) -> Callable[[np.ndarray], int]:
    """The member most similar on average to the others."""
    def centre(members: np.ndarray) -> int:
        return int(members[int(np.argmax(sim[np.ix_(members, members)].mean(axis=1)))])
    return centre


def _make_topics(docs: list[HotDoc], texts: list[str], titles: list[str], labels: np.ndarray,
                 places: list[set[str]], centre_of: Callable[[np.ndarray], int], n_topics: int | None,
                 min_size: int, phrase_sample: np.ndarray | None = None, name_top: int | None = None) -> list[Topic]:
    """Topics of the clusters of at least ``min_size`` docs, ranked. ``phrase_sample``: docs whose
    phrases estimate the corpus phrase frequencies (all docs when None); ``name_top``: name only
    that many best-ranked topics (the rest get their representative title's phrase)."""
    n = len(docs)
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    groups = [g for g in np.split(order, bounds) if len(g) >= min_size]
    likes_of = [max(0, int(d.likes or 0)) for d in docs]
    groups.sort(key=lambda g: (-(len(g) + math.log1p(sum(likes_of[i] for i in g))), -len(g)))
    named = groups if name_top is None else groups[:name_top]
    need = sorted({int(i) for g in named for i in g} | set((phrase_sample if phrase_sample is not None
                                                            else np.arange(n)).tolist()))
    # Names: title phrases first, by class-based TF-IDF (frequent in the topic, rare in the
    # corpus), then body phrases; boilerplate, idioms and generic words never (see _name_topic).
    title_phrases: list[set[str]] = [set() for _ in range(n)]
    body_phrases: list[set[str]] = [set() for _ in range(n)]
    for i in need:
        title_phrases[i] = {_clean_phrase(p) for p in phrases(titles[i])} - {""}
        body_phrases[i] = {_clean_phrase(p) for p in phrases(texts[i])} - {""}
    sample = np.arange(n) if phrase_sample is None else phrase_sample
    phrase_df = Counter(p for i in sample for p in body_phrases[i])
    phrase_df.update(p for i in sample for p in title_phrases[i] - body_phrases[i])
    if phrase_sample is not None and len(sample):
        scale = n / len(sample)
        phrase_df = Counter({p: max(1, round(c * scale)) for p, c in phrase_df.items()})

    topics: list[Topic] = []
    for gi, members in enumerate(groups):
        likes = int(sum(likes_of[i] for i in members))
        centre = centre_of(members)
        if gi < len(named):
            key = _name_topic(members, title_phrases, body_phrases, phrase_df, n, titles[centre])
        else:
            key = [_CODE_PREFIX.sub("", titles[centre])[:16] or titles[centre][:16]]
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


def _partition(x: sparse.csr_matrix | np.ndarray, rows: np.ndarray, size: int, seed: int = 0) -> list[np.ndarray]:
    """Split ``rows`` into buckets of at most ~1.5 × ``size`` similar docs: mini-batch k-means
    (linear in the docs), again inside any bucket that came out too big."""
    from sklearn.cluster import MiniBatchKMeans

    if len(rows) <= size * 1.5:
        return [rows]
    k = math.ceil(len(rows) / size)
    km = MiniBatchKMeans(n_clusters=k, batch_size=4096, n_init=1, max_iter=20, random_state=seed,
                         reassignment_ratio=0.0)
    lab = km.fit_predict(x[rows])
    out: list[np.ndarray] = []
    parts = [rows[lab == c] for c in range(k) if (lab == c).any()]
    if len(parts) == 1:  # k-means could not split these: cut in order
        return [rows[i:i + size] for i in range(0, len(rows), size)]
    for part in parts:
        out += _partition(x, part, size, seed + 1) if len(part) > size * 1.5 else [part]
    return out


def _find_topics_buckets(docs: list[HotDoc], n_topics: int | None, *, distance_threshold: float,
                         place_bonus: float, min_size: int, embeddings: np.ndarray | None,
                         bucket_size: int) -> list[Topic]:
    """Near-linear hot topics for a year of a city's cases (100,000 and more).

    1. Hashed character TF-IDF of texts and titles (``similar_index.char_ngram_matrix``, idf
       over all docs), no vocabulary to fit.
    2. Buckets of ~``bucket_size`` similar docs by mini-batch k-means on the text vectors folded
       to 65,536 columns (or on the sentence vectors when given).
    3. Inside each bucket exactly what ``find_topics`` does on all docs: the same similarity
       (characters, titles, sentence vectors, shared rare place), average linkage cut at
       ``distance_threshold``. Memory is one bucket's matrix, time ~ n × bucket_size.
    4. Across buckets: two clusters are joined when their average similarity (the dot product
       of their mean vectors, which is exactly the mean pairwise cosine) reaches the same cut,
       then the rare-name (anchor) merge runs over all clusters, as on the exact path.
    """
    from .similar_index import _weigh, char_ngram_matrix

    n = len(docs)
    texts = [normalize(join_title_body(d.title, d.body)) for d in docs]
    titles = [normalize(d.title) or t[:40] for d, t in zip(docs, texts, strict=True)]
    char = _weighted(texts, _weigh, char_ngram_matrix)
    tchar = _weighted(titles, _weigh, char_ngram_matrix)
    emb = np.asarray(embeddings, dtype=np.float32) if embeddings is not None else None
    scale = 1.0 if emb is not None else 1 / 0.6

    if emb is not None:
        coarse: sparse.csr_matrix | np.ndarray = emb
    else:
        coarse = sparse.csr_matrix((char.data, char.indices & ((1 << _COARSE_BITS) - 1), char.indptr),
                                   shape=(n, 1 << _COARSE_BITS), copy=True)
        coarse.sum_duplicates()  # in place: hence the copy (char shares its arrays otherwise)
    places = [_places(ti + "。" + t[:PLACE_CHARS]) for ti, t in zip(titles, texts, strict=True)]
    place_df = Counter(p for ps in places for p in ps)
    rare = [{p for p in ps if place_df[p] <= max(20, n // 100)} for ps in places]
    # Average-linkage clusters cut at a distance never span two single-link components at that
    # distance, so docs linked by no similar pair never need to share a matrix: components of
    # the graph of similar pairs (found through pruned vectors) are clustered one by one, and
    # only a component too big for one matrix is cut into buckets by k-means.
    buckets: list[np.ndarray] = []
    for comp in _components(char, tchar, emb, scale, 1.0 - distance_threshold, rare, place_bonus):
        buckets += _partition(coarse, comp, bucket_size) if len(comp) > bucket_size * 1.5 else [comp]


    labels = np.zeros(n, dtype=np.int64)
    next_label = 0
    for b in buckets:
        m = len(b)
        if m == 1:
            labels[b] = next_label
            next_label += 1
            continue
        sim = 0.4 * (char[b] @ char[b].T).toarray() + 0.2 * (tchar[b] @ tchar[b].T).toarray()
        if emb is not None:
            sim += 0.4 * np.clip(emb[b] @ emb[b].T, 0, 1)
        else:
            sim /= 0.6
        local = fcluster(_place_linkage(sim, [rare[i] for i in b.tolist()], place_bonus),
                         t=distance_threshold, criterion="distance")
        labels[b] = local + next_label
        next_label += int(local.max()) + 1
        del sim

    def mean_rows(m: sparse.csr_matrix, members: Sequence[int]) -> sparse.csr_matrix:
        rows = list(members)
        return sparse.csr_matrix(np.full((1, len(rows)), 1.0 / len(rows), dtype=np.float32)) @ m[rows]

    def dot(m: sparse.csr_matrix, a: Sequence[int], b: Sequence[int]) -> float:
        return float(mean_rows(m, a).multiply(mean_rows(m, b)).sum())

    def avg_sim(a: Sequence[int], b: Sequence[int]) -> float:
        v = 0.4 * dot(char, a, b) + 0.2 * dot(tchar, a, b)
        if emb is not None:
            v += 0.4 * float(emb[list(a)].mean(axis=0) @ emb[list(b)].mean(axis=0))
        # The place bonus, as the exact path adds it: once per rare place a pair shares.
        ca, cb = Counter(p for i in a for p in rare[i]), Counter(p for i in b for p in rare[i])
        shared = sum(c * cb[p] for p, c in ca.items() if p in cb)
        return v * scale + place_bonus * shared / (len(a) * len(b))

    labels = _join_across_buckets(labels, char, tchar, emb, scale, 1.0 - distance_threshold)
    labels = _merge_by_anchor(labels, titles, None, avg_sim=avg_sim)

    def centre_of(members: np.ndarray) -> int:
        c = char[members]
        s = 0.4 * np.asarray(c @ np.asarray(c.mean(axis=0)).ravel()).ravel()
        if emb is not None:
            e = emb[members]
            s = s + 0.4 * (e @ e.mean(axis=0))
        return int(members[int(np.argmax(s))])

    sample = np.random.default_rng(0).choice(n, min(n, PHRASE_SAMPLE), replace=False)
    return _make_topics(docs, texts, titles, labels, places, centre_of, n_topics, min_size,
                        phrase_sample=np.sort(sample), name_top=max(NAME_TOP, n_topics or 0))


def _components(char: sparse.csr_matrix, tchar: sparse.csr_matrix, emb: np.ndarray | None, scale: float,
                cut: float, rare: list[set[str]], place_bonus: float, keep: int = 96,
                block: int = 2_000) -> list[np.ndarray]:
    """Connected components of the graph of pairs whose similarity (as in the clustering)
    reaches ``cut``. Candidate pairs come from pruned vectors (``keep`` heaviest terms;
    generous lower bounds) and from sharing a rare place (which earns ``place_bonus``); each
    candidate's similarity is then computed exactly."""
    from scipy.sparse.csgraph import connected_components

    from .similar_index import _prune

    n = char.shape[0]
    cand: list[np.ndarray] = []
    # Lower bounds chosen on hot_messages: 1 of the 686 pairs ≥ the cut missed, 11,365 candidates of 9.2 M pairs.
    for m, lo in ((_prune(char, keep), 0.05), (_prune(tchar, keep), 0.15)):
        mt = m.T.tocsr()
        for start in range(0, n, block):
            prod = (m[start:start + block] @ mt).tocoo()
            ok = (prod.data >= lo) & (prod.row + start < prod.col)
            cand.append((prod.row[ok] + start).astype(np.int64) * n + prod.col[ok])
    by_place: dict[str, list[int]] = {}
    for i, ps in enumerate(rare):
        for p in ps:
            by_place.setdefault(p, []).append(i)
    bonus_pairs: list[np.ndarray] = []
    for members in by_place.values():
        if 1 < len(members) <= 400:
            a = np.array(members, dtype=np.int64)
            r, c = np.triu_indices(len(a), 1)
            bonus_pairs.append(a[r] * n + a[c])
    bonus_key = np.unique(np.concatenate(bonus_pairs)) if bonus_pairs else np.zeros(0, dtype=np.int64)
    cand.append(bonus_key)
    key = np.unique(np.concatenate(cand))
    keep_r: list[np.ndarray] = []
    keep_c: list[np.ndarray] = []
    for start in range(0, len(key), 200_000):
        k = key[start:start + 200_000]
        r, c = k // n, k % n
        v = 0.4 * np.asarray(char[r].multiply(char[c]).sum(axis=1)).ravel()
        v += 0.2 * np.asarray(tchar[r].multiply(tchar[c]).sum(axis=1)).ravel()
        if emb is not None:
            v += 0.4 * np.clip(np.einsum("ij,ij->i", emb[r], emb[c]), 0, 1)
        v = v * scale + place_bonus * np.isin(k, bonus_key)
        ok = v >= cut
        keep_r.append(r[ok])
        keep_c.append(c[ok])
    r = np.concatenate(keep_r) if keep_r else np.zeros(0, dtype=np.int64)
    c = np.concatenate(keep_c) if keep_c else np.zeros(0, dtype=np.int64)
    graph = sparse.csr_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    _k, lab = connected_components(graph, directed=False)
    order = np.argsort(lab, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(lab[order])) + 1)


def _weighted(texts: list[str], weigh: Callable, ngrams: Callable, batch: int = 20_000) -> sparse.csr_matrix:
    tf = sparse.vstack([ngrams(texts[i:i + batch]) for i in range(0, len(texts), batch)], format="csr")
    df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.int32)
    return weigh(tf, df, len(texts))


def _join_across_buckets(labels: np.ndarray, char: sparse.csr_matrix, tchar: sparse.csr_matrix,
                         emb: np.ndarray | None, scale: float, cut: float, keep: int = 64) -> np.ndarray:
    """Join clusters (of two or more docs) whose mean vectors' similarity reaches ``cut``: what
    average linkage would have done had they shared a bucket. Mean vectors are pruned to their
    ``keep`` heaviest terms for the candidate search, the decision uses the full means."""
    from .similar_index import _prune

    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    groups = [g for g in np.split(order, bounds) if len(g) >= 2]
    if len(groups) < 2:
        return labels
    # Mean rows per group via a sparse (groups × docs) averaging matrix.
    rows = np.concatenate([np.full(len(g), k) for k, g in enumerate(groups)])
    cols = np.concatenate(groups)
    vals = np.concatenate([np.full(len(g), 1.0 / len(g), dtype=np.float32) for g in groups])
    avg = sparse.csr_matrix((vals, (rows, cols)), shape=(len(groups), len(labels)))
    mc, mt = (avg @ char).tocsr(), (avg @ tchar).tocsr()
    me = avg @ emb if emb is not None else None
    pc = _prune(mc, keep)
    parent = list(range(len(groups)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pt = _prune(mt, keep)
    cand_a: list[np.ndarray] = []
    cand_b: list[np.ndarray] = []
    for m, lo in ((pc, 0.1), (pt, 0.3)):  # lower bounds: only pairs that could reach the cut
        mT = m.T.tocsr()
        for start in range(0, len(groups), 2_000):
            block = (m[start:start + 2_000] @ mT).tocoo()
            ok = (block.data >= lo) & (block.row + start < block.col)
            cand_a.append(block.row[ok] + start)
            cand_b.append(block.col[ok])
    pa, pb = np.concatenate(cand_a), np.concatenate(cand_b)
    if len(pa):
        key = np.unique(pa.astype(np.int64) * len(groups) + pb)
        pa, pb = key // len(groups), key % len(groups)
        v = 0.4 * np.asarray(mc[pa].multiply(mc[pb]).sum(axis=1)).ravel()
        v += 0.2 * np.asarray(mt[pa].multiply(mt[pb]).sum(axis=1)).ravel()
        if me is not None:
            v += 0.4 * np.einsum("ij,ij->i", me[pa], me[pb])
        for x, y in zip(pa[v * scale >= cut].tolist(), pb[v * scale >= cut].tolist(), strict=True):
            rx, ry = find(x), find(y)
            if rx != ry:
                parent[ry] = rx
    out = labels.copy()
    for k, g in enumerate(groups):
        r = find(k)
        if r != k:
            out[g] = labels[groups[r][0]]
    return out


def _place_linkage(sim: np.ndarray, places: list[set[str]], place_bonus: float) -> np.ndarray:
    """Average-linkage tree of one similarity matrix (changed in place): messages sharing a rare
    place get `place_bonus`; the exact path and each bucket both cluster this way."""
    by_place: dict[str, list[int]] = {}
    for i, ps in enumerate(places):
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
    return linkage(squareform(dist, checks=False), method="average")
