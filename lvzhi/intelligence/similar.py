"""Find earlier cases that raise the same matter: word-for-word re-posts and rewordings.

Score = 0.7 × character 2–3-gram TF-IDF cosine (catches copies and light edits)
      + 0.3 × sentence-encoder cosine (catches the same complaint told in other words).
The weights and the default thresholds come from 176 hand-labelled pairs of
``messages_dev.csv`` (``tests/data/duplicate_pairs.csv``; see docs/intelligence.md): at 0.40
precision 0.98 / recall 0.83, at 0.35 precision 0.88 / recall 0.89.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import is_content_word, join_title_body, normalize, phrase_tokens, segment

__all__ = [
    "DEFAULT_DUPLICATE_THRESHOLD",
    "DEFAULT_QUERY_THRESHOLD",
    "Doc",
    "Match",
    "SimilarityIndex",
    "group_duplicates",
    "shared_phrases",
    "strip_title_frame",
    "title_features",
]

CHAR_WEIGHT = 0.7
EMBED_WEIGHT = 0.3
# Without embeddings the character score alone is used; its best cut on the labelled pairs.
CHAR_ONLY_THRESHOLD = 0.2
DEFAULT_QUERY_THRESHOLD = 0.35  # "related cases" list: a little recall over precision
DEFAULT_DUPLICATE_THRESHOLD = 0.40  # merging: precision first
# Title against title: the cosine of two titles' content-word bigrams at which the query counts
# them as the same matter (mapped onto the query threshold). A deputy's title is a one-line
# summary; against a doc's whole text its n-grams drown in the body (see ``query_scores``).
TITLE_CUT = 0.5
# Words that frame a deputy's title rather than name its matter ("关于切实解决…问题的建议").
TITLE_FRAME = frozenset({"切实", "妥善", "尽快", "进一步", "加快", "着力", "议案", "事情", "方面", "事项"})


@dataclass(frozen=True)
class Doc:
    id: Hashable
    title: str
    body: str
    time: datetime | date | str | None = None


@dataclass(frozen=True)
class Match:
    id: Hashable
    score: float
    shared_phrases: list[str] = field(default_factory=list)


# The frame of a deputy's title: "关于[切实]解决" … "[相关]问题的建议". Every deputy's title carries it,
# so as character n-grams it made any two titles of one district look alike (0.80 for 高新区
# parking fees against a 高新区 hotel's illegal building) and it is cut before indexing.
_TITLE_HEAD = re.compile(r"^关于(?:(?:切实|妥善|尽快|进一步|加快|认真)?解决)?")
_TITLE_TAIL = re.compile(r"(?:等?相关)?(?:问题)?的(?:建议|议案)$")


def strip_title_frame(title: str | None) -> str:
    t = (title or "").strip()
    core = _TITLE_TAIL.sub("", _TITLE_HEAD.sub("", t))
    return core if len(core) >= 2 else t


def _doc_text(title: str | None, body: str | None) -> str:
    title, body = (title or "").strip(), (body or "").strip()
    if title and body.startswith(title):  # the publisher joined the title into the body
        body = body[len(title):]
    return normalize(join_title_body(strip_title_frame(title), body))


def _stretches(words: list[str], vocab: set[str], text: str) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for w in [*words, ""]:
        # In b's words, or verbatim in b (jieba may cut an unknown name differently there).
        if w and (w in vocab or (len(w) >= 2 and w in text)):
            cur.append(w)
        else:
            if cur:
                out.append(cur)
            cur = []
    return out


def shared_phrases(a: str, b: str, limit: int = 5, idf: dict[str, float] | None = None) -> list[str]:
    """Key phrases of ``a`` whose words all occur in ``b``, most telling first.

    Shown to the clerk as the reason two cases were matched (e.g. "永发养猪场", "茅竹镇板桥村").
    Ranked by summed idf when the index supplies one (rare words explain more), else by length.
    """
    words_b = set(segment(b))
    norm_b = normalize(b)
    cands: dict[str, float] = {}
    for run in phrase_tokens(a):
        # Verbatim in b (a copy), else the longest stretches of it whose words all occur in b
        # (a rewording: "丽发新城" out of "a市丽发新城小区").
        pieces = [run] if "".join(run) in norm_b else _stretches(run, words_b, norm_b)
        for words in pieces:
            phrase = "".join(words)
            if len(phrase) < 2 or not any(is_content_word(w) for w in words):
                continue
            weight = sum(idf.get(w, 1.0) for w in words) if idf else float(len(phrase))
            cands[phrase] = max(cands.get(phrase, 0.0), weight)
    out: list[str] = []
    for phrase, _w in sorted(cands.items(), key=lambda kv: (-kv[1], kv[0])):
        if any(phrase in kept or kept in phrase for kept in out):
            continue
        out.append(phrase)
        if len(out) >= limit:
            break
    return out


def title_features(title: str | None) -> list[str]:
    """Character bigrams inside the title's content words: 停车费 and 停车收费 share 停车, and the
    frame words (关于, 解决, 问题, 建议, 的) that every deputy's title carries count for nothing."""
    out: list[str] = []
    for w in segment(title):
        if is_content_word(w) and w not in TITLE_FRAME:
            out += [w[i:i + 2] for i in range(len(w) - 1)]
    return out


class SimilarityIndex:
    """In-memory index over a list of docs; rebuild (cheap for the sparse part) when docs change."""

    def __init__(
        self,
        docs: list[Doc],
        vectorizer: TfidfVectorizer,
        char_matrix: sparse.csr_matrix,
        embeddings: np.ndarray | None,
    ) -> None:
        self.docs = docs
        self._texts = [_doc_text(d.title, d.body) for d in docs]
        self._vectorizer = vectorizer
        self._char = char_matrix
        self._emb = embeddings
        # Titles against titles, idf over the indexed titles (built lazily: only queries use it).
        self._title_vec: TfidfVectorizer | None = None
        self._title_matrix: sparse.csr_matrix | None = None
        # Word idf over the indexed docs, to rank shared phrases by how telling they are.
        df: Counter[str] = Counter()
        for t in self._texts:
            df.update(set(segment(t)))
        n = max(1, len(self._texts))
        self._idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}

    @classmethod
    def build(
        cls,
        docs: Iterable[Doc],
        use_embeddings: bool = True,
        embeddings: np.ndarray | None = None,
    ) -> SimilarityIndex:
        """``embeddings`` lets a caller pass vectors it already stored (one row per doc)."""
        docs = list(docs)
        texts = [_doc_text(d.title, d.body) for d in docs]
        vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, lowercase=False)
        char = vec.fit_transform(texts) if texts else sparse.csr_matrix((0, 0))
        if embeddings is None and use_embeddings and texts:
            from .embeddings import encode

            embeddings = encode(texts)
        if embeddings is not None and len(embeddings) != len(docs):
            raise ValueError("embeddings must have one row per doc")
        return cls(docs, vec, char.tocsr(), embeddings if use_embeddings else None)

    @property
    def uses_embeddings(self) -> bool:
        return self._emb is not None

    def _combine(self, char_scores: np.ndarray, emb_scores: np.ndarray | None) -> np.ndarray:
        if emb_scores is None:
            # Rescale so that CHAR_ONLY_THRESHOLD lands on the same default thresholds.
            return np.minimum(1.0, char_scores * (DEFAULT_DUPLICATE_THRESHOLD / CHAR_ONLY_THRESHOLD))
        return CHAR_WEIGHT * char_scores + EMBED_WEIGHT * emb_scores

    def _scores_of(self, texts: list[str]) -> np.ndarray:
        """One row of scores per query text (texts already normalised)."""
        q = self._vectorizer.transform(texts)
        char_scores = (q @ self._char.T).toarray()
        emb_scores = None
        if self._emb is not None:
            from .embeddings import encode

            emb_scores = encode(texts) @ self._emb.T
        return self._combine(char_scores, emb_scores)

    def title_scores(self, title: str | None) -> np.ndarray:
        """Cosine of the title's content-word bigrams with each doc's title (0 for untitled docs)."""
        if self._title_vec is None:
            vec = TfidfVectorizer(analyzer=title_features, sublinear_tf=True)
            try:
                self._title_matrix = vec.fit_transform([d.title or "" for d in self.docs]).tocsr()
            except ValueError:  # no doc has a title with a content word
                self._title_matrix = None
            self._title_vec = vec
        if self._title_matrix is None or not title_features(title):
            return np.zeros(len(self.docs))
        return (self._title_vec.transform([title]) @ self._title_matrix.T).toarray()[0]

    def scores(self, title: str | None, body: str | None) -> np.ndarray:
        """Similarity of a new text to every indexed doc (same order as ``self.docs``)."""
        if not self.docs:
            return np.zeros(0)
        return self._scores_of([_doc_text(title, body)])[0]

    def query_scores(self, title: str | None, body: str | None) -> np.ndarray:
        """What ``query`` ranks by: the best of the whole text's score, the title's alone against
        each doc's whole text, and the title against each doc's title.

        A long body spreads the query's n-grams over many matters, so a doc that the title
        alone matched (0.36) could fall below the threshold once the body was typed; the
        title's own score is a floor, so typing a body can only add matches. A title against a
        doc's whole text is itself diluted by that doc's body ("关于解决高新区小区违规设置停车收费问题
        的建议" scored 0.13 against the 高新区苑物业违规收停车费 case), so two titles sharing their
        substantive words (TITLE_CUT of content-word bigram cosine) reach the query threshold too.
        Measured on the labelled pairs in docs/intelligence.md; merging and grouping keep the
        whole-text score.
        """
        if not self.docs:
            return np.zeros(0)
        full = _doc_text(title, body)
        head = _doc_text(title, None)
        if not (title or "").strip() or not (body or "").strip() or head == full:
            s = self._scores_of([full])[0]
        else:
            both = self._scores_of([full, head])
            s = np.maximum(both[0], both[1])
        if (title or "").strip():
            s = np.maximum(s, np.minimum(1.0, self.title_scores(title) * (DEFAULT_QUERY_THRESHOLD / TITLE_CUT)))
        return s

    def query(
        self,
        title: str | None,
        body: str | None,
        threshold: float = DEFAULT_QUERY_THRESHOLD,
        limit: int = 10,
        exclude: Iterable[Hashable] = (),
    ) -> list[Match]:
        """Docs scoring ≥ ``threshold``, best first, with the phrases they share with the query."""
        s = self.query_scores(title, body)
        skip = set(exclude)
        order = np.argsort(-s, kind="stable")
        text = _doc_text(title, body)
        out: list[Match] = []
        for i in order:
            if s[i] < threshold or len(out) >= limit:
                break
            d = self.docs[i]
            if d.id in skip:
                continue
            out.append(Match(d.id, round(float(s[i]), 4), shared_phrases(text, self._texts[i], idf=self._idf)))
        return out

    def pairwise(self) -> np.ndarray:
        """Dense doc × doc score matrix (diagonal zeroed). O(n²) memory: fine for a few thousand."""
        char = (self._char @ self._char.T).toarray()
        emb = self._emb @ self._emb.T if self._emb is not None else None
        s = self._combine(char, emb)
        np.fill_diagonal(s, 0.0)
        return s


def group_duplicates(
    docs: Sequence[Doc] | SimilarityIndex,
    threshold: float = DEFAULT_DUPLICATE_THRESHOLD,
    **build_opts: Any,
) -> list[list[Hashable]]:
    """Groups (≥2 ids) of docs that raise the same matter, largest group first.

    Single-link over pairs scoring ≥ ``threshold``; ids keep the input order inside a group
    so the first id is the earliest-listed (a caller that sorts docs by time gets the original).
    """
    index = docs if isinstance(docs, SimilarityIndex) else SimilarityIndex.build(docs, **build_opts)
    n = len(index.docs)
    if n < 2:
        return []
    s = index.pairwise()
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows, cols = np.nonzero(np.triu(s >= threshold, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = [[index.docs[i].id for i in sorted(g)] for g in groups.values() if len(g) > 1]
    return sorted(out, key=lambda g: -len(g))
