"""The navigation's to-do counts at scale: `lvzhi.cases.todo.counts` against the single
conditional aggregate it replaced, interleaved on the same database in one run.

    .venv/bin/python benchmarks/bench_todo.py --rounds 7 \
        --database-url postgres://lvzhi:lvzhi@127.0.0.1:5433/lvzhi_scale_100k clerk handler deputy

Every page's chrome shows these counts, so they are every page's floor. Prints p50/p95 ms per
user for both, the ratio of the medians, and the counts (the new ones stop at todo.CAP).
Asserts nothing; `main(argv)` returns the rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def naive_counts(user, lists) -> dict[str, int]:
    """Before issue 16: one COUNT(DISTINCT …) FILTER per list over one pass of every visible case."""
    from django.db.models import Count

    from lvzhi.cases.permissions import visible_cases

    agg = visible_cases(user).aggregate(**{
        f"n{i}": Count("pk", filter=t.q, distinct=True) for i, t in enumerate(lists)})
    return {t.code: agg[f"n{i}"] or 0 for i, t in enumerate(lists)}


def _ms(fn, *args) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - t) * 1000, out


def _p50_p95(xs: list[float]) -> tuple[float, float]:
    return statistics.median(xs), sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("users", nargs="*", default=["clerk", "handler", "deputy"])
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("LVZHI_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from lvzhi.cases import todo
    from lvzhi.core.models import User

    rows = []
    print(f"{'user':<10}{'before p50':>11}{'p95':>9}{'now p50':>10}{'p95':>9}{'ratio':>8}  counts (now)")
    for name in args.users:
        user = User.objects.filter(username=name).first()
        if user is None:
            print(f"{name:<10} (no such user)")
            continue
        lists = todo.lists_for(user)
        old, new, counts = [], [], {}
        for _ in range(args.rounds):
            old.append(_ms(naive_counts, user, lists)[0])
            ms, counts = _ms(todo.counts, user, lists)
            new.append(ms)
        (o50, o95), (n50, n95) = _p50_p95(old), _p50_p95(new)
        shown = " ".join(f"{code}={n}" for code, n in counts.items())
        print(f"{name:<10}{o50:>11.1f}{o95:>9.1f}{n50:>10.1f}{n95:>9.1f}{o50 / n50:>7.1f}x  {shown}")
        rows.append({"user": name, "before_p50": o50, "now_p50": n50, "counts": dict(counts)})
    return rows


if __name__ == "__main__":
    main()
