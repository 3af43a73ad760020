"""Benchmark of the keyed event chain on a throw-away database. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_chain.py --events 10000
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_chain.py   # PostgreSQL, <name>_bench

Measures: appending (HMAC-SM3, v3) inside one transaction, verify_chain_report over the whole
chain without and with a signed checkpoint in the file, and `manage.py chain_checkpoint`.
Random audit and SM4 keys and a temporary checkpoint file are used unless LVZHI_AUDIT_KEY(_FILE),
LVZHI_SM4_KEY and LVZHI_AUDIT_CHECKPOINT_FILE are set.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lvzhi-bench-chain-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LVZHI_SQLITE_PATH", str(tmp / "bench.sqlite3"))
    os.environ.setdefault("LVZHI_AUDIT_CHECKPOINT_FILE", str(tmp / "audit-checkpoints.log"))
    if not (os.environ.get("LVZHI_AUDIT_KEY") or os.environ.get("LVZHI_AUDIT_KEY_FILE")):
        os.environ["LVZHI_AUDIT_KEY"] = secrets.token_hex(32)
    os.environ.setdefault("LVZHI_SM4_KEY", secrets.token_hex(16))  # the world's phone numbers
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor == "postgresql":
        settings.DATABASES["default"]["NAME"] += "_bench"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)

    from lvzhi.cases.events import append_subject_event, verify_chain_report
    from lvzhi.testing import build_world

    world = build_world(n_deputies=10)
    congress_id = world.congress.pk
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(args.events):
            append_subject_event("meeting", 1 + i % 50, congress_id, world.clerk, "note", "会议纪要",
                                 payload={"text": f"第{i}条纪要", "agenda": ["审议", "表决"], "n": i},
                                 at=timezone.now())
    elapsed = time.perf_counter() - start
    print(f"{connection.vendor}: {args.events} events")
    print(f"append (v3, HMAC-SM3)          {args.events / elapsed:8.0f} per second")

    def timed(label: str) -> None:
        t = time.perf_counter()
        report = verify_chain_report(congress_id)
        ms = (time.perf_counter() - t) * 1000
        print(f"{label:30} {ms:8.1f} ms for {report.rows_checked} events "
              f"(ok={report.ok}, checkpoint={report.checkpoint_seq})")

    timed("verify_chain, no checkpoint")
    t = time.perf_counter()
    call_command("chain_checkpoint", stdout=StringIO())
    print(f"{'chain_checkpoint':30} {(time.perf_counter() - t) * 1000:8.1f} ms (verify + sign + append)")
    timed("verify_chain, with checkpoint")

    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
