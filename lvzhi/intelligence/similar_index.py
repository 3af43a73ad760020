"""Similar cases at a million: an inverted index that grows linearly and takes new cases one by one.

``SimilarityIndex`` (similar.py) keeps every doc's full character n-gram vector and a fitted
vocabulary, scores a query against all of them and must be rebuilt when any text changes: at
100,000 cases a rebuild took 122 s and 2.3 GB, at a million it ran out of memory. This index:

- hashes character 2–3-grams (no vocabulary to fit, so a new doc never forces a rebuild) and
  keeps document frequencies as counters, so idf follows the corpus as docs come and go;
- keeps, per doc, only its ``keep`` heaviest terms in postings (term → doc slots): memory is
  ``keep`` × 8 bytes per doc, whatever the vocabulary;
- answers a query in two steps: candidates = the docs whose postings share the query's terms
  (a sparse product over the postings, proportional to the postings touched), then the exact
  score of ``SimilarityIndex.query_scores`` (whole text, title alone, title against title) over
  the candidates only, from their texts (``text_of``: the platform reads them from its database).

Scores match ``SimilarityIndex`` without sentence vectors up to hashing collisions and the
idf being over the indexed docs; with ``vectors_of`` the 0.7 × characters + 0.3 × sentence
vector blend is applied to candidates whose vectors are all known. No Django import.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from .similar import (
    CHAR_ONLY_THRESHOLD,
    CHAR_WEIGHT,
    DEFAULT_DUPLICATE_THRESHOLD,
    DEFAULT_QUERY_THRESHOLD,
    EMBED_WEIGHT,
    TITLE_CUT,
    Match,
    _doc_text,
    shared_phrases,
    title_features,
)

__all__ = ["FORMAT_VERSION", "IncrementalIndex", "char_ngram_matrix"]

FORMAT_VERSION = 1
N_BITS = 21
N_FEATURES = 1 << N_BITS  # 2M hashed n-grams: collisions are rare among a few million distinct ones
KEEP = 48  # postings per doc; the exact score is computed from the text, so this only feeds recall
CANDIDATES = 64  # per query text (and per title), re-scored exactly
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads code-point combinations over the bits
_P = np.uint64(1_000_003)
_SALT3 = np.uint64(0x5BD1E995)  # trigrams and bigrams land in different buckets

TextOf = Callable[[list[Hashable]], list[tuple[str, str]]]
VectorsOf = Callable[[list[Hashable]], "np.ndarray | None"]


def _hash(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return ((x * _MIX) >> np.uint64(64 - N_BITS)).astype(np.int64)


def char_ngram_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """Sublinear tf (1 + ln count) of hashed character 2- and 3-grams, one row per text.

    The same features as ``TfidfVectorizer(analyzer="char", ngram_range=(2, 3))`` (spaces
    included), computed with numpy over the whole batch: ~30× faster than scikit-learn's
    Python n-gram loop, which is what makes a million texts and a per-query re-score cheap.
    """
    n = len(texts)
    if n == 0:
        return sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)
    # All texts as one array of code points, 0 between texts (no n-gram spans two texts).
    joined = "\x00".join(texts) + "\x00"
    a = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sep = a == 0
    doc = np.cumsum(sep) - sep  # text index of each position
    with np.errstate(over="ignore"):
        h2 = a[:-1] * _P + a[1:]
        ok2 = ~(sep[:-1] | sep[1:])
        h3 = (a[:-2] * _P + a[1:-1]) * _P + a[2:] + _SALT3
    ok3 = ok2[:-1] & ~sep[2:]
    keys = np.concatenate([doc[:-1][ok2] * N_FEATURES + _hash(h2[ok2]),
                           doc[:-2][ok3] * N_FEATURES + _hash(h3[ok3])])
    uniq, counts = np.unique(keys, return_counts=True)
    rows, cols = uniq // N_FEATURES, uniq % N_FEATURES
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    data = (1.0 + np.log(counts)).astype(np.float32)
    return sparse.csr_matrix((data, cols.astype(np.int32), indptr), shape=(n, N_FEATURES))


def _title_matrix(titles: Sequence[str | None]) -> sparse.csr_matrix:
    """Sublinear tf of hashed title features (content-word bigrams, see ``title_features``)."""
    rows: list[int] = []
    cols: list[int] = []
    for i, t in enumerate(titles):
        feats = title_features(t) if t else []
        if feats:
            h = _hash(np.array([hash_str(f) for f in feats], dtype=np.uint64))
            rows += [i] * len(h)
            cols += h.tolist()
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                          shape=(len(titles), N_FEATURES))
    m.sum_duplicates()
    m.data = (1.0 + np.log(m.data)).astype(np.float32)
    return m


def hash_str(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    # scikit-learn's smooth idf: ln((1 + n) / (1 + df)) + 1
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def _weigh(m: sparse.csr_matrix, df: np.ndarray, n: int) -> sparse.csr_matrix:
    """tf × idf, each row L2-normalised (a copy); idf only at the columns present."""
    w = m.copy()
    w.data = w.data * _idf(df[w.indices], n)
    norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
    w.data /= np.repeat(np.maximum(norms, 1e-12), np.diff(w.indptr)).astype(np.float32)
    return w


def _known(m: sparse.csr_matrix, df: np.ndarray) -> sparse.csr_matrix:
    """``m`` without the columns no indexed doc has."""
    m = m.copy()
    m.data[df[m.indices] == 0] = 0
    m.eliminate_zeros()
    return m


def _prune(w: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row's ``keep`` heaviest entries (rows are already normalised over all their terms)."""
    lens = np.diff(w.indptr)
    if not len(lens) or lens.max() <= keep:
        return w
    rows = np.repeat(np.arange(w.shape[0]), lens)
    # Sort by row, then weight descending; keep each row's first ``keep``.
    order = np.lexsort((-w.data, rows))
    rank = np.arange(len(order)) - np.repeat(w.indptr[:-1], lens)
    sel = order[rank < keep]
    sel.sort()
    counts = np.minimum(lens, keep)
    indptr = np.zeros(w.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return sparse.csr_matrix((w.data[sel], w.indices[sel], indptr), shape=w.shape)


class _Postings:
    """term → (slot, weight): a frozen CSR matrix (terms × slots) plus recent batches, merged
    when they reach a quarter of the frozen part (so a million one-by-one additions cost
    O(n log n) in all, and one addition costs its own terms)."""

    MERGE_AT = 20_000

    def __init__(self) -> None:
        self.main = sparse.csr_matrix((N_FEATURES, 0), dtype=np.float32)
        self._recent: list[tuple[np.ndarray, sparse.csr_matrix]] = []  # (slots, rows × F)
        self._recent_m: sparse.csr_matrix | None = None
        self._recent_slots = np.zeros(0, dtype=np.int64)

    @property
    def n_recent(self) -> int:
        return sum(len(s) for s, _ in self._recent)

    def add(self, slots: np.ndarray, rows: sparse.csr_matrix, n_slots: int) -> None:
        self._recent.append((slots, rows))
        self._recent_m = None
        if self.n_recent >= max(self.MERGE_AT, self.main.shape[1] // 4):
            self.merge(n_slots)

    def merge(self, n_slots: int) -> None:
        if not self._recent:
            return
        slots = np.concatenate([s for s, _ in self._recent])
        stacked = sparse.vstack([r for _, r in self._recent], format="coo")
        new = sparse.csr_matrix((stacked.data, (stacked.col, slots[stacked.row])), shape=(N_FEATURES, n_slots))
        main = self.main
        if main.shape[1] < n_slots:
            main = sparse.csr_matrix((main.data, main.indices, main.indptr), shape=(N_FEATURES, n_slots))
        merged = (main + new).tocsr()
        self.main = _compact_dtypes(merged)
        self._recent, self._recent_m, self._recent_slots = [], None, np.zeros(0, dtype=np.int64)

    def scores(self, q: sparse.csr_matrix, n_slots: int) -> np.ndarray:
        """q (1 × F) · every slot's pruned weights: a dense row of length ``n_slots``."""
        out = np.zeros(n_slots, dtype=np.float32)
        if self.main.shape[1] and self.main.nnz:
            r = q @ self.main
            out[r.indices] += r.data
        if self._recent:
            if self._recent_m is None:
                self._recent_m = sparse.vstack([r for _, r in self._recent], format="csr")
                self._recent_slots = np.concatenate([s for s, _ in self._recent])
            np.add.at(out, self._recent_slots, _dot_rows(self._recent_m, q))
        return out

    @property
    def nbytes(self) -> int:
        m = self.main
        return (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
                + sum(r.data.nbytes + r.indices.nbytes + r.indptr.nbytes for _, r in self._recent))


def _dot_rows(m: sparse.csr_matrix, q: sparse.csr_matrix) -> np.ndarray:
    """m (k × F) · q (1 × F) without transposing a 2M-column matrix: q scattered into a dense
    scratch vector, m's entries gathered from it."""
    if not m.nnz or not q.nnz:
        return np.zeros(m.shape[0], dtype=np.float32)
    dense = np.zeros(N_FEATURES, dtype=np.float32)
    dense[q.indices] = q.data
    prod = m.data * dense[m.indices]
    sums = np.add.reduceat(np.append(prod, np.float32(0.0)), m.indptr[:-1])[: m.shape[0]]
    return np.where(np.diff(m.indptr) > 0, sums, 0.0).astype(np.float32)


def _compact_dtypes(m: sparse.csr_matrix) -> sparse.csr_matrix:
    """int32 indices and indptr together while they fit: scipy upcasts (copies) both when they differ."""
    if m.nnz < 2**31 - 1 and m.shape[1] < 2**31 - 1:
        return sparse.csr_matrix((m.data.astype(np.float32, copy=False), m.indices.astype(np.int32, copy=False),
                                  m.indptr.astype(np.int32, copy=False)), shape=m.shape)
    return m


class IncrementalIndex:
    """Docs keyed by ``key`` (a case id), added, replaced and removed one at a time or in batches.

    ``query`` needs ``text_of(keys) -> [(title, body), …]`` for the candidates: texts are not
    kept in memory (at a million cases they would outweigh the index).
    """

    def __init__(self, keep: int = KEEP, candidates: int = CANDIDATES) -> None:
        self.keep = keep
        self.candidates = candidates
        self.keys: list[Hashable] = []
        self.slot_of: dict[Hashable, int] = {}
        self.alive = np.zeros(0, dtype=bool)
        self.fingerprints = np.zeros(0, dtype=np.uint64)
        self.df = np.zeros(N_FEATURES, dtype=np.int32)
        self.title_df = np.zeros(N_FEATURES, dtype=np.int32)
        self.n_docs = 0
        self.n_titled = 0
        self.watermark: int = 0  # the caller's "indexed up to" marker (e.g. the last event id)
        self.watermark_tag: str = ""  # and what identifies it (e.g. that event's hash)
        self._body = _Postings()
        self._title = _Postings()

    # ------------------------------------------------------------------ writing
    def __len__(self) -> int:
        return self.n_docs

    def __contains__(self, key: object) -> bool:
        slot = self.slot_of.get(key)  # type: ignore[call-overload]
        return slot is not None and bool(self.alive[slot])

    def fingerprint(self, key: Hashable) -> int | None:
        slot = self.slot_of.get(key)
        return int(self.fingerprints[slot]) if slot is not None and self.alive[slot] else None

    def add(self, docs: Iterable[tuple[Hashable, str, str]], fingerprints: Sequence[int] | None = None,
            batch: int = 5_000) -> int:
        """Add or replace docs ``(key, title, body)``; a doc whose fingerprint (default: a hash
        of its text) is unchanged is skipped. Returns how many were (re)indexed."""
        docs = list(docs)
        fps = list(fingerprints) if fingerprints is not None else [hash_str(f"{t}\x00{b}") for _k, t, b in docs]
        todo = [(d, fp) for d, fp in zip(docs, fps, strict=True) if self.fingerprint(d[0]) != fp]
        for start in range(0, len(todo), batch):
            self._add_batch(todo[start:start + batch])
        return len(todo)

    def _add_batch(self, chunk: list[tuple[tuple[Hashable, str, str], int]]) -> None:
        self.remove([d[0] for d, _fp in chunk])
        texts = [_doc_text(t, b) for (_k, t, b), _fp in chunk]
        tf = char_ngram_matrix(texts)
        ttf = _title_matrix([t for (_k, t, _b), _fp in chunk])
        first = len(self.keys)
        slots = np.arange(first, first + len(chunk), dtype=np.int64)
        for (d, _fp), s in zip(chunk, slots.tolist(), strict=True):
            self.keys.append(d[0])
            self.slot_of[d[0]] = s
        self.alive = np.concatenate([self.alive, np.ones(len(chunk), dtype=bool)])
        self.fingerprints = np.concatenate([self.fingerprints, np.array([fp for _d, fp in chunk], dtype=np.uint64)])
        np.add.at(self.df, tf.indices, 1)
        np.add.at(self.title_df, ttf.indices, 1)
        self.n_docs += len(chunk)
        self.n_titled += int((np.diff(ttf.indptr) > 0).sum())
        n = len(self.keys)
        self._body.add(slots, _prune(_weigh(tf, self.df, n), self.keep), n)
        self._title.add(slots, _weigh(ttf, self.title_df, max(1, self.n_titled)), n)

    def remove(self, keys: Iterable[Hashable]) -> None:
        """Drop docs (unknown keys are ignored). Their postings stay but never score; document
        frequencies keep counting every version ever indexed (texts are not kept to recount
        them: edits and removals are rare next to arrivals; a rebuild recounts)."""
        for k in keys:
            s = self.slot_of.pop(k, None)
            if s is None or not self.alive[s]:
                continue
            self.alive[s] = False
            self.n_docs -= 1

    def merge(self) -> None:
        """Fold recent additions into the frozen postings (done by itself every 20,000 docs)."""
        self._body.merge(len(self.keys))
        self._title.merge(len(self.keys))

    # ------------------------------------------------------------------ reading
    def _top(self, s: np.ndarray, k: int) -> np.ndarray:
        s[~self.alive] = 0.0
        nz = np.flatnonzero(s > 0)
        if len(nz) > k:
            nz = nz[np.argpartition(-s[nz], k)[:k]]
        return nz

    def query(self, title: str | None, body: str | None, text_of: TextOf,
              threshold: float = DEFAULT_QUERY_THRESHOLD, limit: int = 10, exclude: Iterable[Hashable] = (),
              vectors_of: VectorsOf | None = None, encode: Callable[[list[str]], np.ndarray] | None = None,
              nearest: Callable[[np.ndarray], Iterable[Hashable]] | None = None,
              with_phrases: bool = True) -> list[Match]:
        """What ``SimilarityIndex.query`` returns, over candidates only.

        With sentence vectors: ``encode(texts)`` encodes the query's texts (whole, title alone),
        ``nearest(vectors)`` may add candidate keys found by meaning, and ``vectors_of(keys)``
        gives the candidates' vectors (None when any is missing: then characters only). The
        title-against-title score comes from the title postings (kept whole: titles are
        short), with the idf of when each doc was indexed.
        """
        n = len(self.keys)
        full = _doc_text(title, body)
        head = _doc_text(title, None)
        texts = [full] if (not (title or "").strip() or not (body or "").strip() or head == full) else [full, head]
        # As a fitted vectoriser does: n-grams no indexed doc has are dropped before the query
        # is normalised (else on a small index a query's own new words dilute every score).
        q = _weigh(_known(char_ngram_matrix(texts), self.df), self.df, max(1, n))
        slots: set[int] = set()
        for i in range(q.shape[0]):
            slots.update(self._top(self._body.scores(q[i], n), self.candidates).tolist())
        title_s: np.ndarray | None = None
        if (title or "").strip():
            qt = _weigh(_known(_title_matrix([title]), self.title_df), self.title_df, max(1, self.n_titled))
            if qt.nnz:
                title_s = self._title.scores(qt, n)
                slots.update(self._top(title_s.copy(), self.candidates).tolist())
        qv = encode(texts) if encode is not None and vectors_of is not None else None
        for k in (nearest(qv) if nearest is not None and qv is not None else ()):
            s = self.slot_of.get(k)
            if s is not None:
                slots.add(s)
        skip = set(exclude)
        cand = [s for s in sorted(slots) if self.alive[s] and self.keys[s] not in skip]
        if not cand:
            return []
        keys = [self.keys[s] for s in cand]
        doc_texts = [_doc_text(t, b) for t, b in text_of(keys)]
        d = _weigh(char_ngram_matrix(doc_texts), self.df, max(1, n))
        char = np.vstack([_dot_rows(d, q[i]) for i in range(q.shape[0])])  # texts × candidates
        emb = None
        if qv is not None:
            vecs = vectors_of(keys)
            if vecs is not None:
                emb = np.asarray(qv, dtype=np.float32) @ vecs.T  # texts × candidates
        if emb is None:
            s = np.minimum(1.0, char * (DEFAULT_DUPLICATE_THRESHOLD / CHAR_ONLY_THRESHOLD))
        else:
            s = CHAR_WEIGHT * char + EMBED_WEIGHT * emb
        score = s.max(axis=0)
        if title_s is not None:
            ts = np.minimum(1.0, title_s[cand] * (DEFAULT_QUERY_THRESHOLD / TITLE_CUT))
            score = np.maximum(score, ts)
        order = np.argsort(-score, kind="stable")
        word_idf = self.word_idf()
        out: list[Match] = []
        for i in order[:limit]:
            if score[i] < threshold:
                break
            # Phrases cost a segmentation of both texts (~3 ms): a caller that filters the
            # matches further asks for none and calls ``phrases`` for the ones it keeps.
            found = shared_phrases(full, doc_texts[i], idf=word_idf) if with_phrases else []
            out.append(Match(keys[i], round(float(score[i]), 4), found))
        return out

    def word_idf(self) -> dict[str, float]:
        """idf of words (for ranking shared phrases), estimated from the hashed bigram counts."""
        return _WordIdf(self.df, max(1, len(self.keys)))

    def phrases(self, title: str | None, body: str | None, doc_title: str | None, doc_body: str | None,
                limit: int = 5) -> list[str]:
        """The phrases a query shares with a doc, rarest first (as ``Match.shared_phrases``)."""
        return shared_phrases(_doc_text(title, body), _doc_text(doc_title, doc_body), limit=limit,
                              idf=self.word_idf())

    @classmethod
    def build(cls, docs: Sequence[tuple[Hashable, str, str]], fingerprint: Callable[[str, str], int] | None = None,
              keep: int = KEEP, batch: int = 2_000,
              progress: Callable[[str, int], None] | None = None) -> IncrementalIndex:
        """Index many docs at once, every doc weighed with the final idf (``add`` weighs a doc
        with the idf of when it arrived). Two passes over ``docs`` (a sequence: sliced in
        batches, so it may produce its rows lazily); titles are segmented once. Memory: the
        postings plus one batch (2,000 texts: ~100 MB of n-gram arrays).
        ``fingerprint(title, body)``: as ``add``'s fingerprints."""
        idx = cls(keep=keep)
        n = len(docs)
        titles: list[sparse.csr_matrix | None] = []
        keys: list[Hashable] = []
        fps: list[int] = []
        for start in range(0, n, batch):
            chunk = docs[start:start + batch]
            keys += [k for k, _t, _b in chunk]
            fps += [fingerprint(t, b) if fingerprint else hash_str(f"{t}\x00{b}") for _k, t, b in chunk]
            tf = char_ngram_matrix([_doc_text(t, b) for _k, t, b in chunk])
            np.add.at(idx.df, tf.indices, 1)
            ttf = _title_matrix([t for _k, t, _b in chunk])
            np.add.at(idx.title_df, ttf.indices, 1)
            idx.n_titled += int((np.diff(ttf.indptr) > 0).sum())
            titles.append(ttf)
            if progress:
                progress("count", start + len(chunk))
        for bi, start in enumerate(range(0, n, batch)):
            chunk = docs[start:start + batch]
            slots = np.arange(start, start + len(chunk), dtype=np.int64)
            tf = char_ngram_matrix([_doc_text(t, b) for _k, t, b in chunk])
            idx._body.add(slots, _prune(_weigh(tf, idx.df, max(1, n)), keep), n)
            ttf = titles[bi]
            titles[bi] = None
            idx._title.add(slots, _weigh(ttf, idx.title_df, max(1, idx.n_titled)), n)
            if progress:
                progress("index", start + len(chunk))
        idx.keys = keys
        idx.slot_of = {k: i for i, k in enumerate(keys)}
        if len(idx.slot_of) != n:
            raise ValueError("duplicate keys")
        idx.alive = np.ones(n, dtype=bool)
        idx.fingerprints = np.array(fps, dtype=np.uint64)
        idx.n_docs = n
        idx.merge()
        return idx

    # --------------------------------------------------------------- persistence
    def save(self, directory: str | Path) -> None:
        """A directory of .npy files and meta.json (no pickle); ``load`` maps the big arrays."""
        self.merge()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for name, p in (("body", self._body), ("title", self._title)):
            np.save(d / f"{name}_data.npy", p.main.data)
            np.save(d / f"{name}_indices.npy", p.main.indices)
            np.save(d / f"{name}_indptr.npy", p.main.indptr)
        np.save(d / "alive.npy", self.alive)
        np.save(d / "fingerprints.npy", self.fingerprints)
        np.save(d / "df.npy", self.df)
        np.save(d / "title_df.npy", self.title_df)
        meta = {"format_version": FORMAT_VERSION, "keep": self.keep, "candidates": self.candidates,
                "n_docs": self.n_docs, "n_titled": self.n_titled, "watermark": self.watermark,
                "watermark_tag": self.watermark_tag,
                "keys": self.keys}
        (d / "meta.json").write_text(json.dumps(meta), "utf-8")

    @classmethod
    def load(cls, directory: str | Path, mmap: bool = True) -> IncrementalIndex:
        """Load a saved index; the postings are memory-mapped (shared between worker processes)."""
        d = Path(directory)
        meta = json.loads((d / "meta.json").read_text("utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError("相似案件索引格式版本不兼容，请重建索引")
        idx = cls(keep=meta["keep"], candidates=meta["candidates"])
        mode = "r" if mmap else None
        for name, p in (("body", idx._body), ("title", idx._title)):
            data = np.load(d / f"{name}_data.npy", mmap_mode=mode)
            indices = np.load(d / f"{name}_indices.npy", mmap_mode=mode)
            indptr = np.load(d / f"{name}_indptr.npy", mmap_mode=mode)
            m = sparse.csr_matrix((N_FEATURES, len(meta["keys"])), dtype=np.float32)
            m.data, m.indices, m.indptr = data, indices, indptr  # no copy: scipy keeps the maps
            p.main = _compact_dtypes(m) if m.indptr.dtype != m.indices.dtype else m
        idx.keys = list(meta["keys"])
        idx.alive = np.load(d / "alive.npy").copy()
        idx.fingerprints = np.load(d / "fingerprints.npy").copy()
        idx.df = np.load(d / "df.npy").copy()
        idx.title_df = np.load(d / "title_df.npy").copy()
        idx.n_docs, idx.n_titled, idx.watermark = meta["n_docs"], meta["n_titled"], meta["watermark"]
        idx.watermark_tag = meta.get("watermark_tag", "")
        idx.slot_of = {k: s for s, k in enumerate(idx.keys) if idx.alive[s]}
        return idx

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (postings, counters, per-doc arrays): the index's size."""
        return (self._body.nbytes + self._title.nbytes + self.df.nbytes + self.title_df.nbytes
                + self.alive.nbytes + self.fingerprints.nbytes)


class _WordIdf(dict):
    """idf of a word for ranking shared phrases, from the hashed bigram counts (no word
    counts are kept: a word is as rare as its rarest bigram)."""

    def __init__(self, df: np.ndarray, n: int) -> None:
        super().__init__()
        self._df, self._n = df, n

    def get(self, word: str, default: float | None = None) -> float:  # type: ignore[override]
        if len(word) < 2:
            return 1.0
        a = np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        with np.errstate(over="ignore"):
            h = _hash(a[:-1] * _P + a[1:])
        c = int(self._df[h].min())
        return math.log((1 + self._n) / (1 + c)) + 1.0
