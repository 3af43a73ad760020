"""Benchmark of the keyed event chain at scale on a throw-away database. Prints figures; asserts
nothing.

    .venv/bin/python benchmarks/bench_chain.py --events 10000                      # SQLite, temporary
    /usr/bin/time -v .venv/bin/python benchmarks/bench_chain.py --events 10000000 \\
        --database-url postgres://lvzhi:lvzhi@127.0.0.1:5433/lvzhi_chain10m --keep   # scratch test_<name>
    … --database-url … --reuse          # measure again on the kept database, no rebuild

Phases, each printed with its time, rate and the process's peak RSS so far:

1. build: N chained v3 events written in bulk (PostgreSQL COPY; bulk_create on SQLite), every
   hash computed in Python with the real digest function (lvzhi.cases.events._digest_v3);
2. append: events through append_subject_event, one transaction each (the chain head advanced
   by one UPDATE … RETURNING), interleaved with the old append (get_or_create, select_for_update,
   save) copied here as the baseline: p50/p95 ms and statements per append;
3. the old way's first row: Django's server-side cursor (QuerySet.iterator) as verify_chain used
   it — on PostgreSQL outside a transaction it is declared WITH HOLD and materialises every row
   before the first one arrives (PostgreSQL only, `--old-first-row`);
4. full verify (verify_chain_report, keyset batches of 10,000 rows);
5. a signed checkpoint at the head, a tail of appended events, then the incremental verify the
   audit page runs and `manage.py chain_checkpoint` (incremental too).

Random audit and SM4 keys and a temporary checkpoint file are used unless LVZHI_AUDIT_KEY(_FILE),
LVZHI_SM4_KEY and LVZHI_AUDIT_CHECKPOINT_FILE are set. `--in-place` uses the database Django is
already connected to (the smoke test runs main() this way inside its test database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLUMNS = ("congress_id", "seq", "subject_type", "subject_id", "case_id", "digest_version",
           "actor_id", "actor_label", "name", "label", "from_state", "to_state", "payload", "at",
           "prev_hash", "hash")
SUBJECTS = ("meeting", "ballot", "draft", "filing_batch")


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(label: str, seconds: float, n: int, extra: str = "") -> None:
    rate = f"{n / seconds:10.0f} events/s" if seconds > 0 and n else " " * 19
    print(f"{label:36} {seconds:9.2f} s {n:>10} events {rate}  peak RSS {rss_mb():7.0f} MB{extra}",
          flush=True)


def chained_rows(congress_id: int, actor_id: int, actor_label: str, first_seq: int, prev: str,
                 n: int, start_at: dt.datetime) -> Iterator[tuple]:
    """N rows continuing a chain at (first_seq - 1, prev), hashed with the real v3 formula."""
    from lvzhi.cases.events import DIGEST_VERSION, _digest_v3, audit_key

    key = audit_key()
    for i in range(n):
        seq = first_seq + i
        subject = SUBJECTS[i % len(SUBJECTS)]
        payload = {"text": f"第{seq}条记录", "n": seq, "agenda": ["审议", "表决"][: 1 + i % 2]}
        at = start_at + dt.timedelta(milliseconds=i)
        digest = _digest_v3(key, prev, seq, congress_id, subject, 1 + i % 500, actor_id, actor_label,
                            "note", "纪要", "", "", payload, at)
        yield (congress_id, seq, subject, 1 + i % 500, None, DIGEST_VERSION, actor_id, actor_label,
               "note", "纪要", "", "", payload, at, prev, digest)
        prev = digest


def bulk_build(congress_id: int, actor, n: int) -> tuple[int, str]:
    """Append n events after the chain's head without the ORM's per-row cost; move the head."""
    import json

    from django.db import connection, transaction

    from lvzhi.cases.events import _actor_label
    from lvzhi.cases.models import ChainHead, Event

    head, _ = ChainHead.objects.get_or_create(congress_id=congress_id)
    rows = chained_rows(congress_id, actor.pk, _actor_label(actor), head.seq + 1, head.hash, n,
                        dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    last = (head.seq, head.hash)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            sql = f"COPY {Event._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
            with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row[:12] + (json.dumps(row[12], ensure_ascii=False),) + row[13:])
                    last = (row[1], row[15])
        else:
            batch: list = []
            for row in rows:
                batch.append(Event(**dict(zip(COLUMNS, row, strict=True))))
                last = (row[1], row[15])
                if len(batch) == 5000:
                    Event.objects.bulk_create(batch)
                    batch = []
            Event.objects.bulk_create(batch)
        ChainHead.objects.filter(congress_id=congress_id).update(seq=last[0], hash=last[1])
    return last


def old_append(congress_id: int, actor, payload: dict, at: dt.datetime) -> None:
    """The append before issue 16, kept here as the baseline: get_or_create, then
    select_for_update and read the head, insert, save the head (four statements)."""
    import json

    from lvzhi.cases.events import DIGEST_VERSION, _actor_label, _digest_v3, audit_key
    from lvzhi.cases.models import ChainHead, Event

    key = audit_key()
    ChainHead.objects.get_or_create(congress_id=congress_id)
    head = ChainHead.objects.select_for_update().get(congress_id=congress_id)
    seq = head.seq + 1
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    label = _actor_label(actor)
    digest = _digest_v3(key, head.hash, seq, congress_id, "meeting", 1, actor.pk, label, "note",
                        "会议纪要", "", "", payload, at)
    Event.objects.create(congress_id=congress_id, seq=seq, subject_type="meeting", subject_id=1,
                         digest_version=DIGEST_VERSION, actor=actor, actor_label=label, name="note",
                         label="会议纪要", from_state="", to_state="", payload=payload, at=at,
                         prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])


def compare_append(congress_id: int, actor, rounds: int) -> None:
    """Old and new append interleaved, one transaction each: ms per append and statements."""
    import statistics

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lvzhi.cases.events import append_subject_event

    def new(i: int) -> None:
        append_subject_event("meeting", 1, congress_id, actor, "note", "会议纪要",
                             payload={"text": f"第{i}条", "n": i}, at=timezone.now())

    def old(i: int) -> None:
        old_append(congress_id, actor, {"text": f"第{i}条", "n": i}, timezone.now())

    times: dict[str, list[float]] = {"old": [], "new": []}
    queries: dict[str, int] = {}
    for i in range(rounds):
        for name, fn in (("old", old), ("new", new)) if i % 2 else (("new", new), ("old", old)):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                with transaction.atomic():
                    fn(i)
                times[name].append((time.perf_counter() - t) * 1000)
            queries[name] = sum(1 for q in ctx.captured_queries
                                if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN")))
    for name in ("old", "new"):
        ms = sorted(times[name])
        print(f"append {name} (one transaction each)   p50 {statistics.median(ms):6.2f} ms  "
              f"p95 {ms[int(len(ms) * 0.95) - 1]:6.2f} ms  {queries[name]} statements/append "
              f"({len(ms)} appends, interleaved)", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000, help="events built in bulk")
    parser.add_argument("--append", type=int, default=300, help="appends of each kind, one transaction each")
    parser.add_argument("--database-url", help="PostgreSQL server and base name (the scratch is test_<name>)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure on the kept scratch database")
    parser.add_argument("--old-first-row", action="store_true",
                        help="also time the first row of the old server-side cursor (PostgreSQL)")
    parser.add_argument("--no-full", action="store_true", help="skip the full verify (with --reuse)")
    parser.add_argument("--in-place", action="store_true", help="use Django's current database as is")
    args = parser.parse_args(argv)

    if not args.in_place:
        tmp = Path(tempfile.mkdtemp(prefix="lvzhi-bench-chain-"))
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("LVZHI_SQLITE_PATH", str(tmp / "bench.sqlite3"))
        os.environ.setdefault("LVZHI_AUDIT_CHECKPOINT_FILE", str(tmp / "audit-checkpoints.log"))
        if not (os.environ.get("LVZHI_AUDIT_KEY") or os.environ.get("LVZHI_AUDIT_KEY_FILE")):
            # --reuse must hash with the key the kept chain was built with.
            key_file = Path(tempfile.gettempdir()) / "lvzhi-bench-chain.key"
            if not args.reuse or not key_file.exists():
                key_file.write_text(secrets.token_hex(32))
            os.environ["LVZHI_AUDIT_KEY"] = key_file.read_text().strip()
        os.environ.setdefault("LVZHI_SM4_KEY", secrets.token_hex(16))  # the world's phone numbers
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    scratch = None
    if not args.in_place:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        if connection.vendor == "postgresql":
            if not args.database_url:
                settings.DATABASES["default"]["NAME"] += "_bench"
            if args.reuse:
                scratch = connection.creation._get_test_db_name()
                connection.close()
                settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = scratch
            else:
                scratch = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)

    from lvzhi.cases.events import append_subject_event, verify_chain_report, write_checkpoint
    from lvzhi.cases.models import ChainHead, Event
    from lvzhi.core.models import Congress, User
    from lvzhi.testing import build_world

    if args.reuse:
        congress_id = ChainHead.objects.order_by("-seq").values_list("congress_id", flat=True).first()
        actor = User.objects.filter(congress_id=congress_id).order_by("pk").first()
    else:
        world = build_world(name=f"链基准{Congress.objects.count() + 1}市人民代表大会", n_deputies=10)
        congress_id, actor = world.congress.pk, world.clerk
    print(f"{connection.vendor} ({connection.settings_dict['NAME']}), congress {congress_id}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs", flush=True)

    if not args.reuse:
        t = time.perf_counter()
        bulk_build(congress_id, actor, args.events)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"ANALYZE {Event._meta.db_table}")
        line("build (hash in Python + bulk write)", time.perf_counter() - t, args.events)

    compare_append(congress_id, actor, args.append)
    total = ChainHead.objects.get(congress_id=congress_id).seq

    if args.old_first_row and connection.vendor == "postgresql":
        t = time.perf_counter()
        rows = (Event.objects.filter(congress_id=congress_id).order_by("seq")
                .values_list("seq", "payload", "hash").iterator(chunk_size=2000))
        next(rows)
        line("old: first row of .iterator() WITH HOLD", time.perf_counter() - t, total)
        del rows
        connection.close()

    marks: list[float] = []
    start = time.perf_counter()

    def progress(n: int, seq: int) -> None:
        if not marks:
            marks.append(time.perf_counter() - start)
        if n % 1_000_000 < 10_000 and n >= 1_000_000:
            print(f"  … {n:>10} rows, {n / (time.perf_counter() - start):8.0f}/s", file=sys.stderr, flush=True)

    if args.no_full:
        head = ChainHead.objects.get(congress_id=congress_id)
        write_checkpoint(congress_id, head.seq, head.hash)  # trusted: verified in the kept run
    else:
        report = verify_chain_report(congress_id, full=True, progress=progress)
        line("full verify", time.perf_counter() - start, report.rows_checked,
             f"  ok={report.ok}  first batch after {marks[0] * 1000 if marks else 0:.0f} ms")
        if not report.ok:
            print(f"  {report.reason}")
        write_checkpoint(congress_id, report.last_seq, report.last_hash)
    with transaction.atomic():
        for i in range(args.append):
            append_subject_event("ballot", 1 + i % 50, congress_id, actor, "note", "表决记录",
                                 payload={"text": f"检查点后第{i}条", "n": i}, at=timezone.now())
    times = []
    for _ in range(5):
        t = time.perf_counter()
        inc = verify_chain_report(congress_id, full=False)
        times.append(time.perf_counter() - t)
    times.sort()
    line("incremental verify (median of 5)", times[2], inc.rows_checked,
         f"  ok={inc.ok}  from checkpoint {inc.since_seq}")
    t = time.perf_counter()
    call_command("chain_checkpoint", "--congress", str(congress_id), stdout=StringIO())
    line("chain_checkpoint (incremental)", time.perf_counter() - t, args.append + 1)
    print(f"chain length {ChainHead.objects.get(congress_id=congress_id).seq}", flush=True)

    if scratch and not args.keep and not args.reuse:
        connection.creation.destroy_test_db(scratch, verbosity=0)


if __name__ == "__main__":
    main()
