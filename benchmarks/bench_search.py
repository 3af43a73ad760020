"""Search speed on the demo city: the old LIKE (icontains) against the full-text index.

    .venv/bin/python benchmarks/bench_search.py            # SQLite, a scratch file, full demo
    .venv/bin/python benchmarks/bench_search.py --small    # the small demo, quicker
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_search.py   # PostgreSQL, <name>_bench

Prints, per query, the median time of the clerk's search (count + first page of ids, as the list
runs it) and the number of hits: `like` = title or number icontains (what the list did before),
`like+body` = title, number or body icontains, `index` = filtered_cases with the search index.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUERIES = ["电梯", "加装电梯 补贴", "停车", "学校", "住房和城乡建设局", "噪音 扰民", "公交线路"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LVZHI_DEBUG", "1")
    os.environ.setdefault("LVZHI_SQLITE_PATH", str(Path(tempfile.mkdtemp()) / "bench-search.sqlite3"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    if connection.vendor == "postgresql":
        settings.DATABASES["default"]["NAME"] += "_bench"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    start = time.monotonic()
    call_command("seed_demo", *(["--small"] if args.small else []), stdout=io.StringIO())
    print(f"demo seeded in {time.monotonic() - start:.0f} s ({connection.vendor})")

    from lvzhi.cases.filters import CaseFilters, filtered_cases
    from lvzhi.cases.models import Case
    from lvzhi.core.models import Role, User
    from lvzhi.search.models import SearchDocument

    clerk = User.objects.filter(role=Role.CLERK, organization__function="suggestion_office").first()
    print(f"{Case.objects.count()} cases, {SearchDocument.objects.count()} search documents")

    def like(q: str, body: bool):
        cond = Q()
        for part in q.split():
            c = Q(title__icontains=part) | Q(number__icontains=part)
            cond &= (c | Q(body__icontains=part)) if body else c
        return filtered_cases(clerk, CaseFilters()).filter(cond)

    def timed(make) -> tuple[float, int]:
        times, hits = [], 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            qs = make()
            hits = qs.count()
            list(qs.values_list("pk", flat=True)[:30])
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000, hits

    print(f"{'query':<18}{'like ms':>9}{'hits':>6}{'like+body ms':>14}{'hits':>6}{'index ms':>10}{'hits':>6}")
    for q in QUERIES:
        a = timed(lambda q=q: like(q, False))
        b = timed(lambda q=q: like(q, True))
        c = timed(lambda q=q: filtered_cases(clerk, CaseFilters(q=q)))
        print(f"{q:<18}{a[0]:>9.1f}{a[1]:>6}{b[0]:>14.1f}{b[1]:>6}{c[0]:>10.1f}{c[1]:>6}")
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
