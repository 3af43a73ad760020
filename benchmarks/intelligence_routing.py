"""Routing: accuracy against speed for the candidate models, on messages_dev.csv.

    .venv/bin/python benchmarks/intelligence_routing.py [--data PATH] [--folds 5] [--seeds 0 1 2] [--use]

--data takes a .csv or .csv.gz (default: the shipped data/messages_dev.csv.gz).

Every variant is scored by *repeated* 5-fold CV (one fold assignment per seed), stratified
and grouped by re-post, and reported as macro-F1 mean ± std over the seeds: one split's luck
is about ±0.005 here, so a change counts only if it helps on every repeat.

Variants:
  shipped     word unigrams (rjieba + dictionary) + char 1–3-grams of title×2 + body, sublinear
              TF-IDF, balanced linear SVM (C=2), stacked logistic calibration       ← default
  previous    the format-1 model: word 1–2-grams, title once, C=1
  +use        (--use) the shipped model plus a logistic regression on USE embeddings, blended
              by the calibrator; embeddings are computed once for the run, so its fold timings
              leave out the ~46 s of embedding per 2,225 texts
Then speed of the shipped model trained on all rows: training time, one text, batch.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lvzhi import realdata
from lvzhi.intelligence import routing
from lvzhi.intelligence.evaluation import repeated_cross_validate, summarize

PREVIOUS = {"word_ngram": (1, 2), "C": 1.0, "title_weight": 1}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(realdata.path("messages_dev")))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--use", action="store_true", help="also score the USE blend (slow)")
    args = ap.parse_args()
    with realdata.open_text(args.data) as fh:
        rows = list(csv.DictReader(fh))
    titles, bodies, labels = [r["title"] for r in rows], [r["body"] for r in rows], [r["label"] for r in rows]

    variants: list[tuple[str, dict]] = [("shipped", {}), ("previous", PREVIOUS)]
    if args.use:
        from lvzhi.intelligence.embeddings import encode

        texts = routing._texts(titles, bodies, routing.RouterConfig().title_weight)
        t0 = time.perf_counter()
        cache = dict(zip(texts, encode(texts), strict=True))
        print(f"USE embeddings: {len(texts)} texts in {time.perf_counter() - t0:.1f} s")
        real_embed = routing._embed
        routing._embed = lambda ts, e: np.stack([cache[t] if t in cache else real_embed([t], e)[0] for t in ts])
        variants.append(("+use", {"embedder": "use"}))

    print("| model | split | macro-F1 mean ± std (per seed) | accuracy | top-3 | train s/fold | predict texts/s |")
    print("|---|---|---|---|---|---|---|")
    for name, opts in variants:
        for grouped in (True, False):
            res = repeated_cross_validate(
                titles, bodies, labels, folds=args.folds, grouped=grouped, seeds=args.seeds, **opts
            )
            print(
                f"| {name} | {res[0].split} | {summarize(res)} | {np.mean([r.accuracy for r in res]):.4f} | "
                f"{np.mean([r.top3_accuracy for r in res]):.4f} | "
                f"{np.mean([np.mean(r.train_seconds) for r in res]):.1f} | "
                f"{np.mean([r.predictions_per_second for r in res]):.0f} |",
                flush=True,
            )

    t0 = time.perf_counter()
    router = routing.Router.train(titles, bodies, labels)
    train_s = time.perf_counter() - t0
    router.predict([titles[0]], [bodies[0]])  # warm-up
    sample = rows[:200]
    t0 = time.perf_counter()
    for r in sample:
        router.predict([r["title"]], [r["body"]])
    one_ms = (time.perf_counter() - t0) / len(sample) * 1000
    t0 = time.perf_counter()
    router.predict(titles, bodies)
    batch = len(titles) / (time.perf_counter() - t0)
    print(f"\nshipped model on all {len(rows)} rows: training {train_s:.1f} s, one text {one_ms:.1f} ms, "
          f"batch {batch:.0f} texts/s")


if __name__ == "__main__":
    main()
