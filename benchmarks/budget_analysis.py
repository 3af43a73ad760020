"""The budget analysis pages at a city's scale, on a throw-away test database. Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/budget_analysis.py                       # SQLite (in memory)
    DATABASE_URL=postgres://lvzhi:lvzhi@127.0.0.1:5433/lvzhi .venv/bin/python benchmarks/budget_analysis.py
    … --rows 20000 --rounds 3                                            # a quick look

Builds, with bulk_create straight into the fact tables (the import's parsing is the import
part's benchmark): the test world, ~150 departments, ~20,000 approved budget lines over the
national 功能分类 项 codes (and as many for last year and for next year's draft), ~200,000
execution rows of the year over 12 months (and as many for last year, so year on year reads two
years), debt, transfers and audit findings. Then it times each page's selector
(lvzhi.budget.selectors) and each page through the Django test client, force-logged in as a
deputy, and prints the median and the slowest of `--rounds` runs with the number of queries.
Target: every page under 1 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 1000
YEAR = 2026


def build(n_units: int, n_lines: int, n_rows: int, seed: int) -> dict:
    from lvzhi.budget import codes
    from lvzhi.budget.models import (
        AuditFinding,
        Book,
        BudgetImport,
        BudgetLine,
        BudgetUnit,
        Dataset,
        Debt,
        DebtKind,
        ExecutionLine,
        Flow,
        Rectification,
        Transfer,
        TransferKind,
    )
    from lvzhi.budget.testing import budget_world

    rnd = random.Random(seed)
    bw = budget_world()
    c = bw.world.congress
    units = list(bw.units.values())
    units += BudgetUnit.objects.bulk_create([
        BudgetUnit(congress=c, code=f"{200000 + i}", name=f"市第{i}部门", sort_order=100 + i)
        for i in range(max(0, n_units - len(units)))])
    items = [x.code for x in codes.all_codes(codes.FUNCTION) if len(x.code) == 7]
    books = [Book.GENERAL] * 7 + [Book.FUND] * 2 + [Book.SOCIAL]

    def imp(dataset: str, year: int, month: int = 0) -> BudgetImport:
        return BudgetImport.objects.create(congress=c, dataset=dataset, year=year, month=month, source="市财政局",
                                           digest="bench", filename="bench.xlsx", by=bw.officer)

    # One plan of lines (unit, project, code, book) shared by the three years, as a city's are.
    plan = []
    for i in range(n_lines):
        unit = units[i % len(units)]
        plan.append((unit, f"P{i:06d}" if i % 5 else "", items[rnd.randrange(len(items))], books[i % len(books)]))
    t = time.perf_counter()
    for dataset, year in ((Dataset.BUDGET, YEAR), (Dataset.BUDGET, YEAR - 1), (Dataset.DRAFT, YEAR + 1)):
        i_ = imp(dataset, year)
        BudgetLine.objects.bulk_create([
            BudgetLine(imp=i_, congress=c, year=year, row=n, book=book, unit=unit, project_code=project,
                       project_name=f"项目{project}" if project else "", function_code=code,
                       amount=Decimal(rnd.randint(10, 5000)))
            for n, (unit, project, code, book) in enumerate(plan)], batch_size=5000)
    per_month = max(1, n_rows // 12)
    n_exec = 0
    for year in (YEAR, YEAR - 1):
        for month in range(1, 13):
            i_ = imp(Dataset.EXECUTION, year, month)
            start = (month * 7919) % len(plan)  # a different slice of the lines each month
            rows = []
            for k in range(per_month):
                unit, project, code, book = plan[(start + k) % len(plan)]
                amount = Decimal(rnd.randint(1, 400))
                rows.append(ExecutionLine(imp=i_, congress=c, year=year, month=month, row=k, book=book,
                                          flow=Flow.EXPENDITURE, unit=unit, project_code=project, code=code,
                                          amount=amount, paid=amount))
            rows += [ExecutionLine(imp=i_, congress=c, year=year, month=month, book=Book.GENERAL,
                                   flow=Flow.REVENUE, code="10101", amount=Decimal(rnd.randint(5000, 9000)))
                     for _ in range(20)]
            ExecutionLine.objects.bulk_create(rows, batch_size=5000)
            n_exec += len(rows)
    d = imp(Dataset.DEBT, YEAR)
    Debt.objects.bulk_create([Debt(imp=d, congress=c, year=YEAR, region=region, kind=kind,
                                   balance=Decimal(rnd.randint(1000, 9000)), limit=Decimal(10000),
                                   due=Decimal(500), capacity=Decimal(8000))
                              for region in ("本级", "城东区", "城西区", "城南区", "城北区")
                              for kind in DebtKind.values])
    tr = imp(Dataset.TRANSFER, YEAR)
    Transfer.objects.bulk_create([Transfer(imp=tr, congress=c, year=YEAR, kind=TransferKind.values[i % 2],
                                           title=f"转移支付{i}", recipient="城东区", amount=Decimal(100),
                                           received_on=dt.date(YEAR, 1 + i % 10, 1),
                                           passed_on=dt.date(YEAR, 1 + i % 10, 1) + dt.timedelta(days=i % 90))
                                  for i in range(200)])
    au = imp(Dataset.AUDIT, YEAR)
    AuditFinding.objects.bulk_create([AuditFinding(imp=au, congress=c, year=YEAR, number=f"SJ{i}", unit=units[i % 150],
                                                   title=f"问题{i}", reported_on=dt.date(YEAR - 1, 6, 30),
                                                   status=Rectification.values[i % 3])
                                      for i in range(400)])
    unit = plan[1][0]
    return {"bw": bw, "cid": c.pk, "units": len(units), "lines": len(plan), "exec": n_exec,
            "build_s": time.perf_counter() - t, "unit": unit, "project": plan[1][1], "code": plan[1][2]}


def timed(fn: Callable[[], object]) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        fn()
        ms = (time.perf_counter() - t) * 1000
    return ms, len(q.captured_queries)


def report(label: str, fn: Callable[[], object], rounds: int) -> dict:
    fn()  # warm-up
    runs = [timed(fn) for _ in range(rounds)]
    ms = [r[0] for r in runs]
    row = {"label": label, "p50": statistics.median(ms), "max": max(ms), "queries": runs[-1][1]}
    ok = "ok" if row["p50"] < TARGET_MS else "MISS"
    print(f"{label:<44} p50 {row['p50']:8.1f} ms  max {row['max']:8.1f} ms  {row['queries']:3d} q  "
          f"[{ok} < {TARGET_MS}]", flush=True)
    return row


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--lines", type=int, default=20000, help="budget lines per year")
    parser.add_argument("--rows", type=int, default=200000, help="execution rows per year (12 months)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LVZHI_DEBUG", "1")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows: list[dict] = []
    try:
        t = time.perf_counter()
        data = build(args.units, args.lines, args.rows, args.seed)
        print(f"{connection.vendor}: {data['units']} departments, {data['lines']:,} budget lines a year (3 years), "
              f"{data['exec']:,} execution rows (2 years); built in {time.perf_counter() - t:.1f} s; "
              f"{os.cpu_count()} CPUs; rounds {args.rounds}", flush=True)
        with connection.cursor() as cur:  # fresh statistics for the planner, as after a real import
            cur.execute("ANALYZE")
        run(data, args.rounds, rows, Client(), reverse)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return rows


def run(data: dict, rounds: int, rows: list[dict], client, reverse) -> None:
    from lvzhi.budget import selectors as s

    cid, unit, project, code = data["cid"], data["unit"], data["project"], data["code"]
    today = dt.date(YEAR, 12, 31)
    month = s.latest_month(cid, YEAR)
    selectors = [
        ("overview", lambda: s.overview(cid, YEAR)),
        ("departments", lambda: s.departments(cid, YEAR, month)),
        ("drill_codes 类 (general)", lambda: s.drill_codes(cid, YEAR, month, book="general")),
        ("drill_codes 款", lambda: s.drill_codes(cid, YEAR, month, code=code[:3], book="general")),
        ("drill_codes 项", lambda: s.drill_codes(cid, YEAR, month, code=code[:5], book="general")),
        ("drill_units", lambda: s.drill_units(cid, YEAR, month, code=code)),
        ("drill_codes of a department", lambda: s.drill_codes(cid, YEAR, month, unit_id=unit.pk)),
        ("drill_projects", lambda: s.drill_projects(cid, YEAR, month, unit_id=unit.pk, code=code)),
        ("project_months", lambda: s.project_months(cid, YEAR, month, unit_id=unit.pk, project_code=project)),
        ("yoy", lambda: s.yoy(cid, YEAR, month)),
        ("debt", lambda: s.debt(cid, YEAR)),
        ("transfers", lambda: s.transfers(cid, YEAR, today)),
        ("open_warnings", lambda: s.open_warnings(cid, YEAR)),
        ("audit_ledger", lambda: s.audit_ledger(cid, YEAR, today)),
        ("draft_changes", lambda: s.draft_changes(cid, YEAR + 1)),
    ]
    print("-- selectors")
    for label, fn in selectors:
        rows.append(report(f"selector {label}", fn, rounds))
    client.force_login(data["bw"].world.deputy_user)
    y = f"?year={YEAR}"
    pages = [
        ("/budget/", reverse("budget:overview") + y),
        ("/budget/departments/", reverse("budget:departments") + y),
        ("/budget/drill/ books", reverse("budget:drill") + y),
        ("/budget/drill/ 类", reverse("budget:drill") + y + "&book=general"),
        ("/budget/drill/ 项 → departments", reverse("budget:drill") + y + f"&book={'general'}&code={code}"),
        ("/budget/drill/ → projects", reverse("budget:drill") + y + f"&code={code}&unit={unit.code}&book=general"),
        ("/budget/departments/<code>/", reverse("budget:department", args=[unit.code]) + y),
        ("/budget/departments/<code>/ project months",
         reverse("budget:department", args=[unit.code]) + y + f"&code={code}&project={project}"),
        ("/budget/yoy/", reverse("budget:yoy") + y),
        ("/budget/debt/", reverse("budget:debt") + y),
        ("/budget/open-warnings/", reverse("budget:open_warnings") + y),
        ("/budget/audit/", reverse("budget:audit") + y),
        ("/budget/draft/", reverse("budget:draft") + f"?year={YEAR + 1}"),
        ("export departments (xlsx)", reverse("budget:export", args=["departments"]) + y),
    ]
    print("-- pages (test client, as a deputy)")
    for label, url in pages:
        def get(url=url) -> None:
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"{url}: HTTP {r.status_code}")
        rows.append(report(f"page {label}", get, rounds))


if __name__ == "__main__":
    main()
