"""The engine under write load: concurrent clients firing real transitions through fire() on
PostgreSQL, each thread with its own database connection. Prints figures; the checks it prints
(errors, lost updates, the chain) must all be zero / ok.

    .venv/bin/python benchmarks/bench_concurrency.py --database-url postgres://lvzhi:lvzhi@127.0.0.1:5433/lvzhi_conc

1. DIFFERENT cases: each client drives its own drafts through submit → register → assign (the
   registrations share the session's number counter, the appends the congress's chain head):
   transitions/s, p50/p95 ms per fire, errors, lost updates (every case's state, number,
   assignments and events as a serial run leaves them; numbers gap-free);
2. ONE case: every client logs contacts on the same case in handling (serialised by the case row
   lock): exactly clients × rounds new events and contacts, nothing lost, Busy retries counted;
3. verify_chain over the whole chain.

The scratch database is Django's test database of the URL (created and dropped); `--in-place`
uses the database Django is connected to (the PostgreSQL test calls run() this way).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass
class Phase:
    name: str
    fired: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    retried: int = 0
    refused: int = 0

    def line(self) -> str:
        ms = sorted(self.latencies_ms) or [0.0]
        p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
        rate = self.fired / max(self.seconds, 1e-9)
        return (f"{self.name:34} {self.fired:5} fires in {self.seconds:6.2f} s = {rate:7.1f}/s"
                f"  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  errors {len(self.errors)}"
                f"  lost {len(self.lost)}  Busy retries {self.retried} (refused {self.refused})")


def _threads(clients: int, job: Callable[[int], list[float]], phase: Phase) -> None:
    """Run job(i) in `clients` threads released together; each returns its fire latencies."""
    from django.db import connection

    from lvzhi.cases.engine import retry_counts

    barrier = threading.Barrier(clients)
    lock = threading.Lock()
    before = retry_counts()

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            latencies = job(i)
            with lock:
                phase.latencies_ms += latencies
        except Exception as exc:  # counted and printed: must be none
            with lock:
                phase.errors.append(f"client {i}: {exc!r}")
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=600)
    phase.seconds = time.perf_counter() - start
    phase.fired = len(phase.latencies_ms)
    after = retry_counts()
    phase.retried, phase.refused = after.retried - before.retried, after.refused - before.refused


def _timed(fn: Callable[[], object], out: list[float]) -> None:
    t = time.perf_counter()
    fn()
    out.append((time.perf_counter() - t) * 1000)


def _timeline(case_id: int) -> list[tuple[str, str, str]]:
    from lvzhi.cases.models import Event

    return list(Event.objects.filter(case_id=case_id).order_by("seq")
                .values_list("name", "from_state", "to_state"))


def different_cases(world, clients: int, per_client: int) -> Phase:
    """Each client its own drafts: submit, register, assign. Checked against a serial run."""
    import re

    from lvzhi.cases.engine import fire
    from lvzhi.cases.models import Case
    from lvzhi.testing import draft

    assign = {"mode": "lead", "lead": world.units[0].pk, "co": [world.units[1].pk]}
    steps = [("submit", None, None), ("register", world.clerk, {"category": "城乡建设"}),
             ("assign", world.clerk, assign)]

    def drive(case: Case, out: list[float]) -> None:
        for name, actor, data in steps:
            _timed(lambda n=name, a=actor, d=data: fire(case.pk, n, a or case.lead_deputy.user, d), out)

    reference = draft(world, cosigners=0)
    drive(reference, [])
    expected = _timeline(reference.pk)
    owned = [[draft(world, deputy_index=i % 6, cosigners=0) for _ in range(per_client)]
             for i in range(clients)]
    phase = Phase(f"{clients} clients, different cases")

    def job(i: int) -> list[float]:
        out: list[float] = []
        for case in owned[i]:
            drive(case, out)
        return out

    _threads(clients, job, phase)
    for case in (c for cases in owned for c in cases):
        fresh = Case.objects.get(pk=case.pk)
        got = _timeline(case.pk)
        if fresh.state != "handling" or got != expected or fresh.assignments.count() != 2 or not fresh.number:
            phase.lost.append(f"case {case.pk}: {fresh.state} {got}")
    numbers = sorted(int(re.search(r"(\d+)号$", n).group(1)) for n in Case.objects.filter(
        session=world.session, number__endswith="号").values_list("number", flat=True))
    if numbers != list(range(1, len(numbers) + 1)):
        phase.lost.append(f"numbers not gap-free: {numbers[:5]}…")
    return phase


def one_case(world, clients: int, rounds: int) -> Phase:
    """Every client logs contacts on the same case in handling: serialised, nothing lost."""
    from lvzhi.cases.engine import fire
    from lvzhi.cases.models import Contact, Event
    from lvzhi.testing import draft, to_state

    case = to_state(world, draft(world, cosigners=0), "handling")
    units = world.units[:2]
    actors = [(u, user) for u in units for user in (world.handler_of(u), world.head_of(u))]
    assignment = {u.pk: case.assignments.get(unit=u) for u in units}
    events_before = Event.objects.filter(case=case).count()
    contacts_before = Contact.objects.filter(case=case).count()
    phase = Phase(f"{clients} clients, ONE case")

    def job(i: int) -> list[float]:
        unit, user = actors[i % len(actors)]
        a = assignment[unit.pk]
        out: list[float] = []
        for r in range(rounds):
            _timed(lambda r=r: fire(case.pk, "log_contact", user, {
                "assignment": a.pk, "stage": "during", "method": "phone",
                "happened_on": a.assigned_on.isoformat(),
                "summary": f"客户端{i}第{r}次与代表电话沟通办理方案"}), out)
        return out

    _threads(clients, job, phase)
    want = clients * rounds
    got_events = Event.objects.filter(case=case, name="log_contact").count()
    got_contacts = Contact.objects.filter(case=case).count() - contacts_before
    if got_events != want or got_contacts != want or \
            Event.objects.filter(case=case).count() - events_before != want:
        phase.lost.append(f"expected {want} events and contacts, got {got_events} / {got_contacts}")
    return phase


def old_append(congress_id, subject_type, subject_id, case, actor, name, label, *, from_state,
               to_state, payload, at):
    """lvzhi.cases.events._append before issue 16 (the baseline of --compare): get_or_create,
    select_for_update and read the head, insert, save the head."""
    import json

    from lvzhi.cases import events
    from lvzhi.cases.models import ChainHead, Event

    key = events.audit_key()
    ChainHead.objects.get_or_create(congress_id=congress_id)
    head = ChainHead.objects.select_for_update().get(congress_id=congress_id)
    seq = head.seq + 1
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    actor_id = actor.pk if actor else None
    actor_label = events._actor_label(actor)
    digest = events._digest_v3(key, head.hash, seq, congress_id, subject_type, subject_id, actor_id,
                               actor_label, name, label, from_state, to_state, payload, at)
    event = Event.objects.create(
        congress_id=congress_id, seq=seq, subject_type=subject_type, subject_id=subject_id,
        case=case, digest_version=events.DIGEST_VERSION, actor=actor, actor_label=actor_label,
        name=name, label=label, from_state=from_state, to_state=to_state, payload=payload, at=at,
        prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    return event


def run(clients: int = 16, per_client: int = 10, rounds: int = 10) -> tuple[list[Phase], bool]:
    """Both phases on a fresh world in the current database, then the chain's full check."""
    from lvzhi.cases.events import verify_chain_report
    from lvzhi.core.models import Congress
    from lvzhi.testing import build_world

    world = build_world(name=f"并发基准{Congress.objects.count() + 1}市人民代表大会")
    phases = [different_cases(world, clients, per_client), one_case(world, clients, rounds)]
    report = verify_chain_report(world.congress.pk)
    return phases, report.ok


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL server and base name (scratch: its test database)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--cases", type=int, default=10, help="cases per client in the first phase")
    parser.add_argument("--rounds", type=int, default=10, help="fires per client on the one case")
    parser.add_argument("--compare", type=int, default=0, metavar="N",
                        help="N rounds each of the old chain-head append and the new, interleaved")
    parser.add_argument("--in-place", action="store_true", help="use Django's current database as is")
    args = parser.parse_args(argv)

    if not args.in_place:
        tmp = Path(tempfile.mkdtemp(prefix="lvzhi-bench-conc-"))
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("LVZHI_SQLITE_PATH", str(tmp / "bench.sqlite3"))
        os.environ.setdefault("LVZHI_AUDIT_CHECKPOINT_FILE", str(tmp / "audit-checkpoints.log"))
        if not (os.environ.get("LVZHI_AUDIT_KEY") or os.environ.get("LVZHI_AUDIT_KEY_FILE")):
            os.environ["LVZHI_AUDIT_KEY"] = secrets.token_hex(32)
        os.environ.setdefault("LVZHI_SM4_KEY", secrets.token_hex(16))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    scratch = None
    if not args.in_place:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        if connection.vendor == "postgresql":
            scratch = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
    print(f"{connection.vendor} ({connection.settings_dict['NAME']}), {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} CPUs, CONN_MAX_AGE={connection.settings_dict.get('CONN_MAX_AGE')}", flush=True)
    from lvzhi.cases import events

    new_append = events._append
    for i in range(args.compare * 2 or 1):
        label = ""
        if args.compare:
            use_old = (i % 2 == 0) == (i // 2 % 2 == 0)  # old, new, new, old, …
            events._append = old_append if use_old else new_append
            label = "old head " if use_old else "new head "
        phases, chain_ok = run(args.clients, args.cases, args.rounds)
        for phase in phases:
            phase.name = label + phase.name
            print(phase.line(), flush=True)
            for problem in phase.errors[:5] + phase.lost[:5]:
                print(f"  {problem}")
        print(f"{label}verify_chain: {'ok' if chain_ok else 'BROKEN'}", flush=True)
    events._append = new_append
    if scratch:
        connection.creation.destroy_test_db(scratch, verbosity=0)


if __name__ == "__main__":
    main()
