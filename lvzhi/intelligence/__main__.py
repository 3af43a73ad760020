"""Command line: ``python -m lvzhi.intelligence <command>``.

    route train    --data FILE.csv --model DIR           (columns id,title,body,label)
    route predict  --model DIR --data FILE.csv --out OUT.csv   (writes id,label,score,top3)
    route evaluate --data FILE.csv [--folds 5] [--grouped]
    similar        --data FILE.csv [--threshold T] [--pairs LABELLED.csv] [--query-id ID]
    topics         --data hot_messages.csv [--top 10] [--json]
    check-replies  --data replies.csv [--examples 2] [--json]

Every ``--data``/``--pairs`` file may also be gzip-compressed (``FILE.csv.gz``, e.g. the shipped
``data/messages_dev.csv.gz``).

Bad input (missing file or columns, empty file, missing model) prints a message on stderr in
Chinese and English and exits with code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any

__all__ = ["main"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class UsageError(Exception):
    """Bad input: reported on stderr, exit code 2."""


def _open_text(p: Path) -> IO[str]:
    """A CSV file as text; a .gz file (the shipped data/*.csv.gz) is read through gzip, transparently."""
    if p.suffix == ".gz":
        return gzip.open(p, "rt", encoding="utf-8-sig", newline="")
    return p.open(encoding="utf-8-sig", newline="")


def _read_csv(path: str, required: list[str]) -> list[dict[str, str]]:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"找不到数据文件：{path} / data file not found")
    try:
        with _open_text(p) as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if not header:
                raise UsageError(f"数据文件为空：{path} / empty file")
            if missing:
                raise UsageError(
                    f"数据文件 {path} 缺少列：{', '.join(missing)}（需要 {', '.join(required)}） "
                    f"/ missing columns: {', '.join(missing)}"
                )
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise UsageError(f"数据文件不是 UTF-8 编码：{path} / file is not UTF-8") from exc
    except (gzip.BadGzipFile, EOFError) as exc:
        raise UsageError(f"不是完整的 gzip 文件：{path} / not a valid gzip file") from exc
    except csv.Error as exc:
        raise UsageError(f"CSV 格式错误：{path}：{exc} / malformed CSV") from exc
    if not rows:
        raise UsageError(f"数据文件没有数据行：{path} / no data rows")
    return rows


# ---------------------------------------------------------------------------- route
def _route_train(args: argparse.Namespace) -> None:
    from .routing import Router, RoutingError

    rows = _read_csv(args.data, ["id", "title", "body", "label"])
    if any(not r["label"].strip() for r in rows):
        raise UsageError("有数据行缺少标签（label 列为空） / some rows have an empty label")
    try:
        router = Router.train([r["title"] for r in rows], [r["body"] for r in rows], [r["label"].strip() for r in rows])
    except RoutingError as exc:
        raise UsageError(str(exc)) from exc
    router.save(args.model)
    tr = router.metadata["training"]
    print(f"已训练 trained: {tr['n_examples']} 条, {len(router.labels)} 类, {tr['seconds']} s → {args.model}")


def _route_predict(args: argparse.Namespace) -> None:
    from .routing import Router, RoutingError

    try:
        router = Router.load(args.model)
    except RoutingError as exc:
        raise UsageError(str(exc)) from exc
    rows = _read_csv(args.data, ["id", "title", "body"])
    t0 = time.perf_counter()
    preds = router.predict([r["title"] for r in rows], [r["body"] for r in rows], k=3)
    secs = time.perf_counter() - t0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "label", "score", "top3"])
        for r, top in zip(rows, preds, strict=True):
            w.writerow([r["id"], top[0][0], f"{top[0][1]:.4f}", "|".join(f"{lab}:{p:.2f}" for lab, p in top)])
    print(f"已预测 predicted: {len(rows)} 条 in {secs:.2f} s ({len(rows) / max(secs, 1e-9):.0f}/s) → {out}")


def _route_evaluate(args: argparse.Namespace) -> None:
    from .evaluation import cross_validate
    from .routing import Router

    rows = _read_csv(args.data, ["title", "body", "label"])
    titles, bodies, labels = [r["title"] for r in rows], [r["body"] for r in rows], [r["label"] for r in rows]
    counts = Counter(labels)
    if len(counts) < 2 or min(counts.values()) < args.folds:
        raise UsageError(
            f"每个类别至少需要 {args.folds} 条样本才能做 {args.folds} 折交叉验证 / too few examples per class"
        )
    splits = [False, True] if args.grouped else [False]
    for grouped in splits:
        res = cross_validate(titles, bodies, labels, folds=args.folds, grouped=grouped)
        print(res.report())
        print()
    # Latency of one text through a model trained on everything (what a web request sees).
    router = Router.train(titles, bodies, labels)
    print(f"全量训练耗时 training time on all {len(rows)} rows = {router.metadata['training']['seconds']:.1f} s")
    sample = rows[: min(200, len(rows))]
    router.predict([sample[0]["title"]], [sample[0]["body"]])  # warm-up
    t0 = time.perf_counter()
    for r in sample:
        router.predict([r["title"]], [r["body"]])
    single = (time.perf_counter() - t0) / len(sample)
    t0 = time.perf_counter()
    router.predict(titles, bodies)
    batch = len(rows) / (time.perf_counter() - t0)
    print(f"单条预测延迟 single-text latency = {single * 1000:.1f} ms; 批量吞吐 batch throughput = {batch:.0f} texts/s")


# -------------------------------------------------------------------------- similar
def _similar(args: argparse.Namespace) -> None:
    from .similar import Doc, SimilarityIndex, group_duplicates

    rows = _read_csv(args.data, ["id", "title", "body"])
    docs = [Doc(r["id"], r["title"], r["body"], r.get("time") or None) for r in rows]
    t0 = time.perf_counter()
    index = SimilarityIndex.build(docs, use_embeddings=not args.no_embeddings)
    print(f"索引 index: {len(docs)} docs in {time.perf_counter() - t0:.1f} s (embeddings={index.uses_embeddings})")
    if args.query_id:
        by_id = {d.id: d for d in docs}
        if args.query_id not in by_id:
            raise UsageError(f"找不到 id：{args.query_id} / id not in data")
        d = by_id[args.query_id]
        for m in index.query(d.title, d.body, threshold=args.threshold, exclude=[d.id]):
            print(f"  {m.id}\t{m.score:.3f}\t{' / '.join(m.shared_phrases)}\t{by_id[m.id].title[:40]}")
        return
    scores = index.pairwise()
    if args.pairs:
        labelled = _read_csv(args.pairs, ["id_a", "id_b", "same_matter"])
        pos = {i: k for k, i in enumerate(d.id for d in docs)}
        print("阈值 threshold  精确率 precision  召回率 recall  F1   (labelled pairs; unlabelled pairs above the")
        print("                threshold count as wrong)")
        lab = {}
        for r in labelled:
            if r["id_a"] in pos and r["id_b"] in pos:
                a, b = sorted((pos[r["id_a"]], pos[r["id_b"]]))
                lab[(a, b)] = r["same_matter"] == "1"
        n_pos = sum(lab.values())
        import numpy as np

        iu = np.triu_indices(len(docs), 1)
        vals = scores[iu]
        for th in args.thresholds:
            sel = np.flatnonzero(vals >= th)
            tp = sum(1 for k in sel if lab.get((int(iu[0][k]), int(iu[1][k])), False))
            prec = tp / len(sel) if len(sel) else 1.0
            rec = tp / n_pos if n_pos else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            print(f"  {th:.2f}           {prec:.3f}            {rec:.3f}        {f1:.3f}   ({len(sel)} pairs flagged)")
    groups = group_duplicates(index, threshold=args.threshold)
    by_id = {d.id: d for d in docs}
    print(f"重复组 duplicate groups at {args.threshold}: {len(groups)} groups, {sum(len(g) for g in groups)} messages")
    for g in groups[: args.show]:
        print("  - " + " | ".join(f"{i}: {by_id[i].title[:28] or by_id[i].body[:28]}" for i in g))


# --------------------------------------------------------------------------- topics
def _topics(args: argparse.Namespace) -> None:
    from .hot_topics import HotDoc, find_topics

    rows = _read_csv(args.data, ["id", "title", "body", "time", "likes"])
    docs = [HotDoc(r["id"], r["title"], r["body"], r["time"], int(r["likes"] or 0)) for r in rows]
    t0 = time.perf_counter()
    topics = find_topics(docs, n_topics=args.top, use_embeddings=not args.no_embeddings)
    secs = time.perf_counter() - t0
    if args.json:
        print(json.dumps([t.__dict__ for t in topics], ensure_ascii=False, indent=1, default=str))
        return
    print(f"热点 hot topics from {len(docs)} messages in {secs:.1f} s")
    for rank, t in enumerate(topics, 1):
        trend = ", ".join(f"{k}:{v}" for k, v in t.trend.items())
        print(f"{rank}. [{t.size} 条, {t.likes} 赞, score {t.score}] {t.representative_title}")
        print(f"   关键词 key phrases: {' / '.join(t.key_phrases)}   地点 places: {' / '.join(t.places)}")
        print(f"   趋势 trend: {trend}")


# ------------------------------------------------------------------- check-replies
def _check_replies(args: argparse.Namespace) -> None:
    from .reply_check import check_reply

    rows = _read_csv(args.data, ["id", "title", "body", "reply"])
    counts: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {}
    combos: Counter[str] = Counter()
    t0 = time.perf_counter()
    for r in rows:
        res = check_reply(
            r["title"],
            r["body"],
            r["reply"],
            assigned_on=r.get("time") or None,
            replied_on=r.get("reply_time") or None,
            use_embeddings=not args.no_embeddings,
        )
        codes = res.codes
        counts.update(codes)
        combos["+".join(codes) or "(none)"] += 1
        for f in res.flags:
            ex = examples.setdefault(f.code, [])
            if len(ex) < args.examples:
                ex.append({"id": r["id"], "title": r["title"], "reply": r["reply"][:160], "message": f.message})
    secs = time.perf_counter() - t0
    if args.json:
        print(json.dumps({"n": len(rows), "flags": counts, "examples": examples}, ensure_ascii=False, indent=1))
        return
    print(f"检查答复 checked {len(rows)} replies in {secs:.1f} s")
    for code in ("low_relevance", "boilerplate", "no_concrete_commitment", "late"):
        print(f"  {code:24s} {counts[code]:5d}  ({counts[code] / len(rows):.1%})")
    print(f"  {'no flag':24s} {combos['(none)']:5d}  ({combos['(none)'] / len(rows):.1%})")
    for code, exs in examples.items():
        print(f"\n== {code}")
        for e in exs:
            print(f"  [{e['id']}] {e['title'][:40]}\n    答复: {e['reply']}\n    → {e['message']}")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lvzhi.intelligence", description="履职 智能辅助 / intelligence tools")
    sub = p.add_subparsers(dest="command", required=True)

    route = sub.add_parser("route", help="分类分办模型 / routing model")
    rsub = route.add_subparsers(dest="route_command", required=True)
    t = rsub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--model", required=True)
    t.set_defaults(func=_route_train)
    pr = rsub.add_parser("predict")
    pr.add_argument("--model", required=True)
    pr.add_argument("--data", required=True)
    pr.add_argument("--out", required=True)
    pr.set_defaults(func=_route_predict)
    ev = rsub.add_parser("evaluate")
    ev.add_argument("--data", required=True)
    ev.add_argument("--folds", type=int, default=5)
    ev.add_argument("--grouped", action="store_true", help="also report CV grouped by re-post")
    ev.set_defaults(func=_route_evaluate)

    s = sub.add_parser("similar", help="相似件与重复件 / similar cases and re-posts")
    s.add_argument("--data", required=True)
    s.add_argument("--threshold", type=float, default=0.40)
    s.add_argument("--pairs", help="labelled pairs CSV (id_a,id_b,same_matter) to measure precision/recall")
    s.add_argument("--thresholds", type=float, nargs="*", default=[0.3, 0.35, 0.4, 0.45, 0.5, 0.6])
    s.add_argument("--query-id")
    s.add_argument("--show", type=int, default=10)
    s.add_argument("--no-embeddings", action="store_true")
    s.set_defaults(func=_similar)

    tp = sub.add_parser("topics", help="热点问题 / hot topics")
    tp.add_argument("--data", required=True)
    tp.add_argument("--top", type=int, default=10)
    tp.add_argument("--json", action="store_true")
    tp.add_argument("--no-embeddings", action="store_true")
    tp.set_defaults(func=_topics)

    cr = sub.add_parser("check-replies", help="答复质量检查 / reply checks")
    cr.add_argument("--data", required=True)
    cr.add_argument("--examples", type=int, default=2)
    cr.add_argument("--json", action="store_true")
    cr.add_argument("--no-embeddings", action="store_true")
    cr.set_defaults(func=_check_replies)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)  # argparse itself exits 2 on bad usage
    try:
        args.func(args)
    except UsageError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
