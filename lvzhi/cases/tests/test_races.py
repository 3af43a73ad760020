"""Everything at once, as on the morning after a plenary session: deputies raising drafts,
clerks submitting, registering and assigning (two clerks on the same cases), the secretariat's
300-row import running in batches, and the deadline sweep. Real threads, real connections,
real commits (transaction=True); the same test on SQLite and on PostgreSQL (DATABASE_URL).

What must hold: no error escapes (only the expected refusals of the losing duplicate, WrongState),
no write is lost (every draft, every successful transition's event, all 300 imported rows), the
chain verifies and is gap-free, official numbers are gap-free, lock races were retried a bounded
number of times and none was given up (no Busy).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone
from openpyxl import Workbook

from lvzhi.cases.engine import ATTEMPTS, Busy, fire, retry_counts
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Case, Event
from lvzhi.cases.sweep import sweep
from lvzhi.cases.tests.strategies import advance, build_cast, new_case
from lvzhi.cases.workflow import TransitionError, WrongState
from lvzhi.suggestions.importing import HEADERS, run_import_job, start_job
from lvzhi.suggestions.models import ImportJobState
from lvzhi.suggestions.services import create_draft
from lvzhi.testing import SUGGESTION_BODY

pytestmark = pytest.mark.django_db(transaction=True)

PER_STAGE = 5  # cases per contested stage (submit / register / assign)
DRAFTERS, DRAFTS_EACH = 4, 5
IMPORT_ROWS, IMPORT_BATCH = 300, 100

Outcome = tuple[str, str, Any]  # (operation, "ok" | "refused" | "busy" | "crash", value)


def _sheet(deputies, n: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for i in range(1, n + 1):
        ws.append([f"R-{i:04d}", f"关于第{i}项民生实事的建议", deputies[i % 6].name,
                   deputies[6 + i % 5].name, "城乡建设", SUGGESTION_BODY, "否"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _attempt(op: str, call: Callable[[], Any]) -> Outcome:
    try:
        return op, "ok", call()
    except Busy as e:  # retries exhausted: counted as an error
        return op, "busy", e.message
    except TransitionError as e:
        return op, "refused", e
    except Exception as e:
        return op, "crash", repr(e)


def race(workers: list[Callable[[], list[Outcome]]]) -> list[Outcome]:
    barrier = threading.Barrier(len(workers))
    results: list[list[Outcome]] = [[("thread", "crash", "did not finish")] for _ in workers]

    def run(i: int, work: Callable[[], list[Outcome]]) -> None:
        try:
            barrier.wait(timeout=60)
            results[i] = work()
        except Exception as e:
            results[i] = [("thread", "crash", repr(e))]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=180)
    return [o for r in results for o in r]


def test_drafts_transitions_an_import_and_the_sweep_all_at_once():
    cast = build_cast()
    w = cast.world
    deputies = w.deputies
    to_submit = [new_case(cast) for _ in range(PER_STAGE)]
    to_register = [advance(cast, new_case(cast), "submitted") for _ in range(PER_STAGE)]
    to_assign = [advance(cast, new_case(cast), "registered") for _ in range(PER_STAGE)]
    handling = [advance(cast, new_case(cast), "handling") for _ in range(3)]  # the sweep's work
    job = start_job(w.clerk, _sheet(deputies, IMPORT_ROWS), w.session, filename="秘书处汇总.xlsx")
    sweep_day = timezone.localdate() + dt.timedelta(days=400)  # every open clock has lapsed
    events_before = Event.objects.filter(congress=w.congress).count()

    def drafter(k: int) -> Callable[[], list[Outcome]]:
        deputy = deputies[3 + k]
        cosigners = [d.pk for d in deputies if d.pk != deputy.pk][:2]

        def work() -> list[Outcome]:
            return [_attempt("open", lambda i=i: create_draft(deputy.user, {
                "kind": "suggestion", "title": f"关于{deputy.name}第{i + 1}件事项的建议",
                "body": SUGGESTION_BODY, "category": "城乡建设", "cosigners": cosigners},
                session=w.session)) for i in range(DRAFTS_EACH)]
        return work

    def firing(op: str, cases: list[Case], actor, data: dict | None, reverse: bool):
        order = list(reversed(cases)) if reverse else cases

        def work() -> list[Outcome]:
            return [_attempt(op, lambda c=c: fire(c.pk, op, actor, data)) for c in order]
        return work

    assign = {"mode": "lead", "lead": w.units[0].pk, "co": [w.units[1].pk]}
    assign_other = {"mode": "lead", "lead": w.units[2].pk, "co": []}

    def importer() -> list[Outcome]:
        done, _ = run_import_job(job.pk, batch_size=IMPORT_BATCH)
        return [("import", "ok" if done.state == ImportJobState.DONE else "crash", done)]

    def sweeper() -> list[Outcome]:
        out = []
        for _ in range(2):
            out.append(_attempt("sweep", lambda: sweep(sweep_day)))
            time.sleep(0.2)
        return out

    workers = [drafter(k) for k in range(DRAFTERS)] + [
        firing("submit", to_submit, deputies[0].user, None, False),
        firing("submit", to_submit, deputies[0].user, None, True),
        firing("register", to_register, w.clerk, {"category": "城乡建设"}, False),
        firing("register", to_register, w.clerk, {"category": "城乡建设"}, True),
        firing("assign", to_assign, w.clerk, assign, False),
        firing("assign", to_assign, w.clerk, assign_other, True),
        importer, sweeper,
    ]
    retries_before = retry_counts()
    started = time.perf_counter()
    outcomes = race(workers)
    seconds = time.perf_counter() - started
    retries = retry_counts()
    retried = retries.retried - retries_before.retried
    refused = retries.refused - retries_before.refused

    tally = Counter((op, kind) for op, kind, _ in outcomes)
    ops = len(outcomes) - 1 + IMPORT_ROWS  # the import counted by its rows
    print(f"\nrace on {connections['default'].vendor}: {len(workers)} threads, {ops} operations "
          f"({dict(sorted(tally.items()))}), errors="
          f"{sum(n for (_, kind), n in tally.items() if kind in ('crash', 'busy'))}, "
          f"retried={retried}, refused={refused}, {seconds:.1f} s")

    # 0 errors: nothing but the losing duplicate's WrongState
    errors = [(op, kind, value) for op, kind, value in outcomes if kind in ("crash", "busy")]
    assert errors == []
    refusals = [(op, value) for op, kind, value in outcomes if kind == "refused"]
    assert all(isinstance(value, WrongState) for _, value in refusals), refusals
    for op, cases in (("submit", to_submit), ("register", to_register), ("assign", to_assign)):
        assert tally[(op, "ok")] == len(cases) and tally[(op, "refused")] == len(cases), op
    # bounded retries, none given up
    assert refused == 0
    assert retried <= (ATTEMPTS - 1) * ops

    # 0 lost writes
    drafts = [value for op, kind, value in outcomes if op == "open" and kind == "ok"]
    assert len(drafts) == DRAFTERS * DRAFTS_EACH
    assert Case.objects.filter(pk__in=[c.pk for c in drafts], state="draft").count() == len(drafts)
    assert Event.objects.filter(case__in=drafts, name="open").count() == len(drafts)
    fired = [value.event.pk for op, kind, value in outcomes
             if kind == "ok" and op in ("submit", "register", "assign")]
    assert Event.objects.filter(pk__in=fired).count() == len(fired) == 3 * PER_STAGE
    for case in to_submit + to_register + to_assign:
        case.refresh_from_db()
    assert {c.state for c in to_submit} == {"submitted"}
    assert {c.state for c in to_register} == {"registered"}
    assert {c.state for c in to_assign} == {"handling"}
    job.refresh_from_db()
    assert (job.state, job.done, job.imported) == (ImportJobState.DONE, IMPORT_ROWS, IMPORT_ROWS)
    imported = Case.objects.filter(congress=w.congress, source_ref__startswith="R-")
    assert imported.count() == IMPORT_ROWS
    assert Event.objects.filter(case__in=imported, name="open_imported").count() == IMPORT_ROWS
    sweeps = [value for op, kind, value in outcomes if op == "sweep"]
    overdue = Event.objects.filter(congress=w.congress, name="became_overdue")
    assert overdue.count() == sum(s.overdue for s in sweeps) > 0
    assert overdue.filter(case__in=handling).exists()
    deadline_ids = list(overdue.values_list("payload__deadline_id", flat=True))
    assert len(deadline_ids) == len(set(deadline_ids))  # never twice for one clock

    # the chain: verifies, gap-free, and holds exactly the events written
    assert verify_chain(w.congress.pk) == (True, None)
    seqs = list(Event.objects.filter(congress=w.congress).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    written = (len(drafts) + len(fired) + IMPORT_ROWS + overdue.count()
               + Event.objects.filter(congress=w.congress, name="evaluation_expired").count())
    assert len(seqs) - events_before >= written
    # official numbers: gap-free in the session's series
    numbers = Case.objects.filter(congress=w.congress, session=w.session).exclude(number="")
    taken = sorted(int(re.search(r"(\d{4})号$", n).group(1)) for n in numbers.values_list("number", flat=True))
    assert taken == list(range(1, len(taken) + 1)) and len(taken) == 2 * PER_STAGE + 3
    assert seconds < 60
