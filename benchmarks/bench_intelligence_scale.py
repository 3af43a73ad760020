"""The intelligence at a city's decade of cases: similar cases, hot topics, routing retraining.

    .venv/bin/python benchmarks/bench_intelligence_scale.py --cases 100000
    .venv/bin/python benchmarks/bench_intelligence_scale.py --cases 1000000 --exact-queries 20

Pure Python (no Django, no database). Texts: the 6,519 real messages of data/ (messages_dev +
hot_messages), the first copy verbatim, then variants (one sentence swapped for another
message's, admin codes renumbered, a title prefix now and then), generated from the case
number on demand so that no phase holds a million texts it does not need. Each base message
recurs N / 6,519 times, so the index meets far more near-copies than a real decade: a
pessimistic case for the postings and the candidates.

Each phase runs in its own forked process and reports its own peak RSS:
  similar   IncrementalIndex.build over N docs (time, RSS, index bytes); 1,000 one-by-one
            additions; saved, then loaded memory-mapped in a fresh process (a worker's start)
            and queried with new variants: p50/p95 ms (the candidates' texts are regenerated,
            standing in for the database read); recall@10 against exact scoring of every doc
  topics    find_topics(method="buckets") over a year of min(N, --topics-cases) docs
  routing   Router.train on --routing-rows labelled rows (messages_dev bases), if given
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lvzhi import realdata
from lvzhi.intelligence.text import split_sentences

_CODE = re.compile(r"([A-Z])(\d{0,2})([市区县])")
_PREFIX = ("再次反映", "关于", "请求解决", "建议", "紧急求助：", "")


def _base_rows() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for name in ("messages_dev", "hot_messages"):
        with realdata.open_csv(name) as f:
            for r in csv.DictReader(f):
                out.append((r["title"].strip(), r["body"].strip(), r.get("label", "") or ""))
    return out


class Corpus(Sequence):
    """Case i's (id, title, body), made on demand from the real messages."""

    def __init__(self, n: int, base: list[tuple[str, str, str]] | None = None) -> None:
        self.n = n
        self.base = base if base is not None else _base_rows()
        self._sent = [split_sentences(b) for _t, b, _l in self.base]

    def __len__(self) -> int:
        return self.n

    def text(self, i: int) -> tuple[str, str, str]:
        m = len(self.base)
        if i < m:
            t, b, lab = self.base[i]
            return t, b, lab
        rnd = random.Random(i)
        k = rnd.randrange(m)
        t, _b, lab = self.base[k]
        sents = list(self._sent[k]) or [t]
        donor = self._sent[rnd.randrange(m)]
        if donor:
            sents[rnd.randrange(len(sents))] = donor[rnd.randrange(len(donor))]
        shift = rnd.randrange(1, 9)

        def code(mt: re.Match) -> str:
            return f"{mt.group(1)}{(int(mt.group(2) or 0) + shift) % 10 or ''}{mt.group(3)}"

        title = (rnd.choice(_PREFIX) if rnd.random() < 0.3 else "") + _CODE.sub(code, t)
        return title, _CODE.sub(code, "".join(sents)), lab

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [(j, *self.text(j)[:2]) for j in range(*i.indices(self.n))]
        return (i, *self.text(i)[:2])

    def texts_of(self, keys: list) -> list[tuple[str, str]]:
        return [self.text(k)[:2] for k in keys]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(fn: Callable[..., dict], *args: Any) -> dict:
    """fn(*args) in a forked child; its result dict plus the child's peak RSS."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()

    def target() -> None:
        try:
            c0 = time.process_time()
            out = fn(*args)
            out["peak_rss_mb"] = round(_peak_mb())
            out["cpu_s"] = round(time.process_time() - c0, 1)
            q.put(out)
        except BaseException as exc:  # report, do not hang the parent
            q.put({"error": repr(exc)})

    p = ctx.Process(target=target)
    p.start()
    out = q.get()
    p.join()
    if "error" in out:
        raise RuntimeError(out["error"])
    return out


def _pct(xs: list[float], p: float) -> float:
    return round(float(np.percentile(xs, p)) * 1000, 1) if xs else 0.0


# ----------------------------------------------------------------------------- similar
def _similar_build(n: int, directory: str, adds: int) -> dict:
    from lvzhi.intelligence.similar_index import IncrementalIndex

    corpus = Corpus(n)
    t0 = time.perf_counter()
    index = IncrementalIndex.build(corpus)
    build_s = time.perf_counter() - t0
    build_rss = _peak_mb()
    # One-by-one additions, as cases arrive (ids after the corpus).
    add_times = []
    for j in range(adds):
        key = n + 10_000_000 + j  # texts_of(key) regenerates the same text
        title, body, _lab = corpus.text(key)
        t = time.perf_counter()
        index.add([(key, title, body)])
        add_times.append(time.perf_counter() - t)
    t = time.perf_counter()
    index.save(directory)
    return {"build_s": round(build_s, 1), "build_rss_mb": round(build_rss), "index_mb": round(index.nbytes / 2**20),
            "add_p50_ms": _pct(add_times, 50), "add_p95_ms": _pct(add_times, 95),
            "save_s": round(time.perf_counter() - t, 1), "docs": len(index)}


def _queries(n: int, count: int, seed: int = 1) -> list[tuple[str, str]]:
    corpus = Corpus(n)
    rnd = random.Random(seed)
    # New variants (never indexed) of random cases: what a deputy types.
    return [corpus.text(20_000_000 + rnd.randrange(10**6))[:2] for _ in range(count)]


def _similar_query(n: int, directory: str, count: int) -> dict:
    from lvzhi.intelligence.similar_index import IncrementalIndex

    corpus = Corpus(n)
    before = _peak_mb()
    t = time.perf_counter()
    index = IncrementalIndex.load(directory)
    load_s = time.perf_counter() - t
    qs = _queries(n, count)
    times, cpu, tops = [], [], []
    for title, body in qs:
        t, c = time.perf_counter(), time.process_time()
        found = index.query(title, body, corpus.texts_of, threshold=0.0, limit=10)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        tops.append([(m.id, m.score) for m in found])
    return {"load_s": round(load_s, 2), "query_p50_ms": _pct(times, 50), "query_p95_ms": _pct(times, 95),
            "query_cpu_p50_ms": _pct(cpu, 50), "query_cpu_p95_ms": _pct(cpu, 95),
            "rss_before_load_mb": round(before), "tops": tops}


def _exact(n: int, directory: str, count: int) -> dict:
    """Exact scores of the first ``count`` queries against every doc (one pass over the corpus):
    the same features and idf as the index, no candidates."""
    from lvzhi.intelligence import similar_index as S

    index = S.IncrementalIndex.load(directory)
    corpus = Corpus(n)
    qs = _queries(n, count)
    qfull, qhead, qtitle = [], [], []
    for title, body in qs:
        full, head = S._doc_text(title, body), S._doc_text(title, None)
        qfull.append(full)
        qhead.append(head)
        qtitle.append(title)
    nd = max(1, len(index.keys))
    qf = S._weigh(S._known(S.char_ngram_matrix(qfull), index.df), index.df, nd)
    qh = S._weigh(S._known(S.char_ngram_matrix(qhead), index.df), index.df, nd)
    qt = S._weigh(S._known(S._title_matrix(qtitle), index.title_df), index.title_df, max(1, index.n_titled))
    best: list[list[tuple[float, int]]] = [[] for _ in qs]
    for start in range(0, n, 20_000):
        chunk = corpus[start:start + 20_000]
        d = S._weigh(S.char_ngram_matrix([S._doc_text(t, b) for _k, t, b in chunk]), index.df, nd)
        dt_ = S._weigh(S._title_matrix([t for _k, t, _b in chunk]), index.title_df, max(1, index.n_titled))
        char = np.maximum((qf @ d.T).toarray(), (qh @ d.T).toarray())
        s = np.minimum(1.0, char * (S.DEFAULT_DUPLICATE_THRESHOLD / S.CHAR_ONLY_THRESHOLD))
        s = np.maximum(s, np.minimum(1.0, (qt @ dt_.T).toarray() * (S.DEFAULT_QUERY_THRESHOLD / S.TITLE_CUT)))
        for qi in range(len(qs)):
            top = np.argsort(-s[qi])[:10]
            best[qi] = sorted(best[qi] + [(float(s[qi, j]), start + int(j)) for j in top], reverse=True)[:10]
    return {"exact": [[(k, sc) for sc, k in b] for b in best]}


def _recall(tops: list[list[tuple[int, float]]], exact: list[list[tuple[int, float]]],
            threshold: float) -> tuple[float, float]:
    """(recall@10, recall@10 of the exact matches ≥ threshold), tie-aware.

    The index's scores are exact (candidates are re-scored exactly), and the variants of one
    message often tie (char scores capped at 1.0): a returned doc counts when its score reaches
    the exact k-th best score, whichever of the tied docs it is."""
    r10, rthr = [], []
    eps = 1e-4
    for got, ex in zip(tops, exact, strict=False):
        if not ex:
            continue
        kth = ex[-1][1]
        hits = sum(1 for _k, sc in got if sc >= kth - eps)
        r10.append(min(1.0, hits / len(ex)))
        above = [sc for _k, sc in ex if sc >= threshold]
        if above:
            hits = sum(1 for _k, sc in got if sc >= max(threshold, min(above)) - eps)
            rthr.append(min(1.0, hits / len(above)))
    return (round(float(np.mean(r10)), 4) if r10 else 1.0, round(float(np.mean(rthr)), 4) if rthr else 1.0)


# ------------------------------------------------------------------------------ topics
def _topics(n: int) -> dict:
    from lvzhi.intelligence.hot_topics import HotDoc, find_topics

    corpus = Corpus(n)
    rnd = random.Random(7)
    start = date(2025, 1, 1)
    docs = [HotDoc(i, t, b, start + timedelta(days=rnd.randrange(365)), rnd.choice((0, 0, 0, 1, 2, 5, 30)))
            for i, t, b in corpus[0:n]]
    t = time.perf_counter()
    found = find_topics(docs, n_topics=None, use_embeddings=False, method="buckets")
    secs = time.perf_counter() - t
    return {"topics_s": round(secs, 1), "topics": len(found), "in_topics": sum(x.size for x in found),
            "top": [(x.size, x.representative_title[:30]) for x in found[:3]]}


# ----------------------------------------------------------------------------- routing
def _routing(rows: int) -> dict:
    from lvzhi.intelligence.routing import Router

    corpus = Corpus(rows)
    labelled = [i for i, (_t, _b, lab) in enumerate(corpus.base) if lab]
    corpus.base = [corpus.base[i] for i in labelled]
    corpus._sent = [corpus._sent[i] for i in labelled]
    data = [corpus.text(i) for i in range(rows)]
    t = time.perf_counter()
    Router.train([d[0] for d in data], [d[1] for d in data], [d[2] for d in data])
    return {"train_s": round(time.perf_counter() - t, 1), "rows": rows}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--exact-queries", type=int, default=50, help="queries scored exactly for recall (0: skip)")
    ap.add_argument("--adds", type=int, default=1_000)
    ap.add_argument("--topics-cases", type=int, default=100_000, help="a year's cases for hot topics (0: skip)")
    ap.add_argument("--routing-rows", type=int, default=0, help="rows to train routing on (0: skip)")
    ap.add_argument("--skip-similar", action="store_true")
    args = ap.parse_args(argv)
    n = args.cases
    out: dict[str, Any] = {"cases": n}
    print(f"# intelligence at scale: {n:,} cases ({time.strftime('%Y-%m-%d %H:%M')}, {mp.cpu_count()} cores)")
    if not args.skip_similar:
        with tempfile.TemporaryDirectory(prefix="lvzhi-similar-") as d:
            b = _run(_similar_build, n, d, min(args.adds, max(1, n // 10)))
            print(f"similar build: {b['docs']:,} docs in {b['build_s']} s (CPU {b['cpu_s']} s), "
                  f"peak RSS {b['build_rss_mb']} MB, "
                  f"index {b['index_mb']} MB; one-by-one add p50 {b['add_p50_ms']} ms / p95 {b['add_p95_ms']} ms; "
                  f"save {b['save_s']} s")
            q = _run(_similar_query, n, d, args.queries)
            print(f"similar query (loaded from disk in {q['load_s']} s, fresh process): "
                  f"p50 {q['query_p50_ms']} ms / p95 {q['query_p95_ms']} ms over {args.queries} queries "
                  f"(CPU p50 {q['query_cpu_p50_ms']} / p95 {q['query_cpu_p95_ms']} ms); "
                  f"peak RSS {q['peak_rss_mb']} MB (target p95 < 100 ms, < 2,048 MB)")
            out.update(similar_build=b, similar_query={k: v for k, v in q.items() if k != "tops"})
            if args.exact_queries:
                e = _run(_exact, n, d, min(args.exact_queries, args.queries))
                r10, rthr = _recall(q["tops"], e["exact"], 0.35)
                print(f"recall vs exact scoring of every doc ({len(e['exact'])} queries): recall@10 {r10}, "
                      f"recall of exact top-ten matches ≥ 0.35: {rthr}")
                out.update(recall_at_10=r10, recall_above_threshold=rthr)
    if args.topics_cases:
        tn = min(n, args.topics_cases)
        t = _run(_topics, tn)
        print(f"hot topics (buckets): {tn:,} docs in {t['topics_s']} s (CPU {t['cpu_s']} s), "
              f"peak RSS {t['peak_rss_mb']} MB; "
              f"{t['topics']:,} topics holding {t['in_topics']:,} docs; top: {t['top']} "
              "(target < 120 s, < 4,096 MB)")
        out["topics"] = t
    if args.routing_rows:
        r = _run(_routing, args.routing_rows)
        print(f"routing retraining: {r['rows']:,} rows in {r['train_s']} s (CPU {r['cpu_s']} s), "
              f"peak RSS {r['peak_rss_mb']} MB")
        out["routing"] = r
    return out


if __name__ == "__main__":
    main()
