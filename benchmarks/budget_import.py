"""Benchmark of the budget import on a throw-away database: a 200,000-row month of execution.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/budget_import.py                      # CSV, 200,000 rows, 3 runs
    .venv/bin/python benchmarks/budget_import.py --xlsx-rows 200000   # also the same as .xlsx
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/budget_import.py   # PostgreSQL, <name>_bench

Setup: the test world's departments plus `--units` more, and their approved budget. Then, per
run, a month of execution (a fresh month each run, so each confirm is a first revision):
preview (read, check every row against the codes and departments, digest, pack), confirm
(one transaction: revision, bulk_create in batches, audit event) and the rule run
(run.after_import) timed on its own. Median of `--runs`; rows/s on the median. Peak memory:
one more preview+confirm under tracemalloc (Python allocations) and the process's max RSS.

An .xlsx of 200,000 rows × 10 columns has 2,000,000 cells, above the upload layer's default
LVZHI_UPLOAD_XLSX_MAX_CELLS (500,000) and its 50 MB unpacked limit: the deployment must raise
both for such files (this script raises them in its own process and says so), or the bureau
sends CSV, which has no such limit.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LVZHI_SQLITE_PATH", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    os.environ.setdefault("LVZHI_DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False  # no query log growing by 200,000 INSERTs' worth
    setup_test_environment()
    if connection.vendor == "postgresql":
        settings.DATABASES["default"]["NAME"] += "_bench"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)


def _xlsx(csv_bytes: bytes) -> bytes:
    """The same rows as an .xlsx (openpyxl write-only: what a bureau's export looks like to the reader)."""
    import csv

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("执行")
    for i, row in enumerate(csv.reader(io.StringIO(csv_bytes.decode("utf-8")))):
        ws.append(row if i == 0 else [*row[:8], float(row[8]), float(row[9])])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=300, help="departments besides the test world's six")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-rules", action="store_true", help="time the import alone, not run.after_import")
    parser.add_argument("--xlsx-rows", type=int, default=0, help="also time an .xlsx of this many rows")
    args = parser.parse_args(argv)
    _setup()

    from django.conf import settings
    from django.db import connection

    from lvzhi.budget import importing, run, samples
    from lvzhi.budget.models import BudgetImport, ExecutionLine
    from lvzhi.budget.testing import budget_world

    bw = budget_world()
    units = [*bw.units.values(), *samples.many_units(args.units)]
    p = importing.preview(bw.officer, bw.world.congress, "budget", year=2026, source="市财政局",
                          file=samples.budget_file(units, fmt="csv"), filename="budget.csv")
    importing.confirm_import(bw.officer, p.id, run_rules=False)
    data = samples.big_execution_csv(args.rows, units)
    print(f"database: {connection.vendor}; departments: {len(units)}; execution file: {args.rows} rows, "
          f"CSV {len(data) / 1e6:.1f} MB")

    results: list[run.RunResult] = []

    def once(payload: bytes, name: str, month: int, source: str) -> tuple[float, float, float]:
        # Each run is the same month from another source; the earlier runs' rows stop counting so
        # the rules see one month's spending (the second run's rule run keeps what the first raised).
        BudgetImport.objects.filter(dataset="execution").update(is_current=False)
        t0 = time.perf_counter()
        pv = importing.preview(bw.officer, bw.world.congress, "execution", year=2026, month=month, source=source,
                               file=payload, filename=name)
        t1 = time.perf_counter()
        assert pv.ok, pv.errors[:3]
        done = importing.confirm_import(bw.officer, pv.id, run_rules=False)
        t2 = time.perf_counter()
        try:
            # what confirm_import does after the commit, timed apart
            result = run.RunResult(0, 0, 0) if args.skip_rules else run.after_import(done.imp)
        except Exception as exc:  # the rules are another part's: report it, keep timing the import
            print(f"      the rule run failed: {exc!r}")
            result = run.RunResult(-1, -1, -1)
        t3 = time.perf_counter()
        assert ExecutionLine.objects.filter(imp=done.imp).count() == args.rows
        results.append(result)
        return t1 - t0, t2 - t1, t3 - t2

    def report(label: str, payload: bytes, name: str, sources: list[str]) -> None:
        runs = [once(payload, name, 3, s) for s in sources]
        pre, con, rule = (statistics.median(x) for x in zip(*runs, strict=True))
        print(f"{label:5s} preview  median {pre:6.2f} s = {args.rows / pre:8.0f} rows/s   "
              f"(runs: {', '.join(f'{r[0]:.2f}' for r in runs)})")
        print(f"{label:5s} confirm  median {con:6.2f} s = {args.rows / con:8.0f} rows/s   "
              f"(runs: {', '.join(f'{r[1]:.2f}' for r in runs)}; without the rule run)")
        counts = ", ".join(f"{r.raised}/{r.kept}/{r.lifted}" for r in results[-len(runs):])
        if args.skip_rules:
            print(f"{label:5s} total    median {pre + con:6.2f} s = {args.rows / (pre + con):8.0f} rows/s "
                  "(rules skipped)")
            return
        print(f"{label:5s} rules    median {rule:6.2f} s   (run.after_import after the commit; runs: "
              f"{', '.join(f'{r[2]:.2f}' for r in runs)}; raised/kept/lifted per run: {counts})")
        print(f"{label:5s} total    median {pre + con + rule:6.2f} s = {args.rows / (pre + con + rule):8.0f} rows/s")

    report("csv", data, "execution.csv", [f"财政局CSV{i}" for i in range(args.runs)])
    tracemalloc.start()
    once(data, "execution.csv", 3, "财政局CSV内存")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"csv   peak Python memory (tracemalloc, preview+confirm): {peak / 1e6:.0f} MB")

    if args.xlsx_rows:
        settings.LVZHI_UPLOAD_XLSX_MAX_CELLS = max(500_000, args.xlsx_rows * 11)
        settings.LVZHI_UPLOAD_XLSX_MAX_UNCOMPRESSED = 500 * 1024 * 1024
        print(f"xlsx: raised LVZHI_UPLOAD_XLSX_MAX_CELLS to {settings.LVZHI_UPLOAD_XLSX_MAX_CELLS} and "
              "LVZHI_UPLOAD_XLSX_MAX_UNCOMPRESSED to 500 MB in this process (the defaults refuse such a file)")
        if args.xlsx_rows != args.rows:
            args.rows = args.xlsx_rows
            data = samples.big_execution_csv(args.rows, units)
        t = time.perf_counter()
        book = _xlsx(data)
        print(f"xlsx: {args.rows} rows, {len(book) / 1e6:.1f} MB, written in {time.perf_counter() - t:.1f} s")
        report("xlsx", book, "execution.xlsx", [f"财政局XLSX{i}" for i in range(args.runs)])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the process: {rss:.0f} MB")
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
