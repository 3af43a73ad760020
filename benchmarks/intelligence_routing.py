"""Routing: accuracy against speed for the candidate models, on messages_dev.csv.

    .venv/bin/python benchmarks/intelligence_routing.py [--data PATH] [--folds 5]

Models compared (5-fold CV, stratified and grouped by re-post):
  sparse      word (rjieba + dictionary) + char TF-IDF, balanced linear SVM, stacked calibration  ← shipped
  sparse+use  the same plus a logistic regression on USE embeddings, blended by the calibrator
  use         logistic regression on USE embeddings alone
Embeddings are computed once per text for the whole run (their cost is reported separately),
so the fold timings show the classifier cost.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lvzhi.intelligence import routing
from lvzhi.intelligence.embeddings import encode
from lvzhi.intelligence.evaluation import cross_validate
from lvzhi.intelligence.text import join_title_body, normalize


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "messages_dev.csv"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    with open(args.data, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    titles, bodies, labels = [r["title"] for r in rows], [r["body"] for r in rows], [r["label"] for r in rows]
    texts = [normalize(join_title_body(t, b)) for t, b in zip(titles, bodies, strict=True)]

    t0 = time.perf_counter()
    vecs = encode(texts)
    emb_secs = time.perf_counter() - t0
    print(f"USE embeddings: {len(texts)} texts in {emb_secs:.1f} s ({len(texts) / emb_secs:.0f}/s)")
    cache = {t: v for t, v in zip(texts, vecs, strict=True)}
    real_embed = routing._embed

    def cached(ts: list[str], embedder: str) -> np.ndarray:
        return np.stack([cache[t] if t in cache else real_embed([t], embedder)[0] for t in ts])

    routing._embed = cached

    print("| model | split | macro-F1 | accuracy | top-3 | train s/fold | predict texts/s |")
    print("|---|---|---|---|---|---|---|")
    for name, opts in (("sparse", {}), ("sparse+use", {"embedder": "use"})):
        for grouped in (False, True):
            r = cross_validate(titles, bodies, labels, folds=args.folds, grouped=grouped, **opts)
            print(
                f"| {name} | {r.split} | {r.macro_f1:.4f} | {r.accuracy:.4f} | {r.top3_accuracy:.4f} | "
                f"{np.mean(r.train_seconds):.1f} | {r.predictions_per_second:.0f} |",
                flush=True,
            )

    # USE alone: a plain logistic regression on the vectors.
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    from lvzhi.intelligence.evaluation import repost_groups

    y = np.array(labels)
    groups = repost_groups(titles, bodies)
    for grouped in (False, True):
        sk = StratifiedGroupKFold if grouped else StratifiedKFold
        splits = sk(args.folds, shuffle=True, random_state=0).split(vecs, y, groups if grouped else None)
        pred = np.empty(len(y), dtype=object)
        top3 = np.zeros(len(y), dtype=bool)
        secs = []
        for tr, te in splits:
            t0 = time.perf_counter()
            m = LogisticRegression(C=5.0, max_iter=3000, class_weight="balanced").fit(vecs[tr], y[tr])
            secs.append(time.perf_counter() - t0)
            p = m.predict_proba(vecs[te])
            pred[te] = m.classes_[p.argmax(1)]
            top3[te] = [y[i] in m.classes_[np.argsort(-row)[:3]] for i, row in zip(te, p, strict=True)]
        split = "grouped" if grouped else "stratified"
        f1 = f1_score(y, pred.astype(str), average="macro")
        print(
            f"| use | {split} | {f1:.4f} | {accuracy_score(y, pred.astype(str)):.4f} | {top3.mean():.4f} | "
            f"{np.mean(secs):.1f} (+{emb_secs * (args.folds - 1) / args.folds:.0f} embedding) | "
            f"{len(texts) / emb_secs:.0f} (embedding-bound) |"
        )


if __name__ == "__main__":
    main()
