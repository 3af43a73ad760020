"""Benchmark of the case engine and the pages on a throw-away database. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_engine.py --cases 300
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_engine.py   # PostgreSQL, <name>_bench

Measures: transitions per second through fire() (each with its lock, form, SM3 event), the
case list, unit inbox and dashboard timings and query counts, and verify_chain over the log.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LVZHI_SQLITE_PATH", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    if connection.vendor == "postgresql":
        settings.DATABASES["default"]["NAME"] += "_bench"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)

    from lvzhi.cases.events import verify_chain
    from lvzhi.cases.models import Event
    from lvzhi.reports.selectors import figures
    from lvzhi.testing import build_world, draft, to_state

    world = build_world(n_deputies=40)
    states = ["submitted", "registered", "handling", "replied", "closed"]
    tracemalloc.start()
    start = time.perf_counter()
    events_before = Event.objects.count()
    for i in range(args.cases):
        to_state(world, draft(world, deputy_index=i % 30), states[i % len(states)])
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    transitions = Event.objects.count() - events_before - args.cases  # minus the drafts
    print(f"database: {connection.vendor}; cases: {args.cases}")
    print(f"transitions: {transitions} in {elapsed:.1f} s = {transitions / elapsed:.0f}/s "
          f"(drafts included: {(transitions + args.cases) / elapsed:.0f} writes/s); "
          f"peak Python memory {peak / 1e6:.0f} MB")

    client = Client()
    for label, user, url in [("case list (30 rows/page)", world.clerk, "/cases/"),
                             ("intake", world.clerk, "/office/intake/"),
                             ("unit inbox", world.handlers[0], "/unit/inbox/"),
                             ("dashboard", world.leader, "/reports/dashboard/"),
                             ("deadline monitor", world.clerk, "/office/deadlines/")]:
        client.force_login(user)
        client.get(url)  # warm
        runs = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as q:
                t = time.perf_counter()
                resp = client.get(url)
                runs.append(time.perf_counter() - t)
            assert resp.status_code == 200, (url, resp.status_code)
        print(f"{label:26s} median {sorted(runs)[2] * 1000:6.1f} ms, {len(q.captured_queries)} queries")

    t = time.perf_counter()
    figures(world.congress.pk)
    print(f"report figures            {(time.perf_counter() - t) * 1000:6.1f} ms")
    t = time.perf_counter()
    ok, _ = verify_chain(world.congress.pk)
    n = Event.objects.filter(congress=world.congress).count()
    print(f"verify_chain              {(time.perf_counter() - t) * 1000:6.1f} ms for {n} events (ok={ok})")
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
