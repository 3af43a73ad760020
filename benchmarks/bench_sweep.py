"""The daily deadline sweep at scale: today's sweep against the one before issue 16 (copied here
as the baseline), on the same database, interleaved, each run inside a transaction that is rolled
back — so every run finds the same due clocks and the database is left as it was. Prints
seconds, queries and what each found; asserts nothing.

    DATABASE_URL=postgres://lvzhi:lvzhi@127.0.0.1:5433/lvzhi_chain_1m LVZHI_DEBUG=1 \\
        .venv/bin/python benchmarks/bench_sweep.py --rounds 3 [--today 2026-12-01]

Run it on a COPY of a scale database (`createdb -T lvzhi_scale_1m lvzhi_chain_1m`): the runs lock
case rows while they last, as a real sweep does.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def old_sweep(today: dt.date | None = None):
    """lvzhi.cases.sweep.sweep before issue 16: every not-yet-reminded future clock loaded and its
    light computed in Python; one transaction, recipients query and notification insert per clock."""
    from django.utils import timezone

    from lvzhi.cases.clocks import all_clocks, duty_codes, get_clock, reminded_codes
    from lvzhi.cases.deadlines import Light, Lights
    from lvzhi.cases.engine import Busy, fire, in_transaction, record
    from lvzhi.cases.kinds import get_kind
    from lvzhi.cases.models import Case, Deadline
    from lvzhi.cases.permissions import relation_users
    from lvzhi.cases.sweep import SweepResult
    from lvzhi.cases.workflow import TransitionError
    from lvzhi.core.models import Notification, User

    def _recipients(deadline):
        if deadline.assignment_id:
            return list(User.objects.filter(organization_id=deadline.assignment.unit_id, is_active=True)
                        .values_list("pk", flat=True))
        notify = get_clock(deadline.kind).notify
        kind = get_kind(deadline.case.kind)
        if notify == "evaluator":
            spec = kind.handling
            return relation_users(deadline.case, spec.evaluator if spec else kind.relations.evaluator)
        return relation_users(deadline.case, "office")

    def _mark_overdue(d, now):
        case = Case.objects.select_for_update().get(pk=d.case_id)
        if not Deadline.objects.filter(pk=d.pk, overdue_notified=False, met_at__isnull=True,
                                       cancelled=False).update(overdue_notified=True):
            return False
        unit = d.assignment.unit.name if d.assignment_id else ""
        record(case, "became_overdue", f"{d.get_kind_display()}超期", None,
               {"deadline_id": d.pk, "kind": d.kind, "due_on": d.due_on.isoformat(), "unit": unit}, now)
        text = f"已超期：{case.number or case.title} {d.get_kind_display()}期限{d.due_on:%Y-%m-%d}"
        Notification.objects.bulk_create([Notification(user_id=u, case=case, text=text)
                                          for u in _recipients(d)])
        return True

    now = timezone.now() if today is None else timezone.make_aware(dt.datetime.combine(today, dt.time(6)))
    today = today or timezone.localdate()
    result = SweepResult()
    open_clocks = Deadline.objects.filter(met_at__isnull=True, cancelled=False)
    windows = [c for c in all_clocks() if not c.duty]
    with contextlib.suppress(Busy):
        in_transaction(lambda: open_clocks.filter(kind__in=[c.code for c in windows if not c.on_lapse],
                                                  due_on__lt=today).update(cancelled=True))
    duties = open_clocks.filter(kind__in=duty_codes())
    for d in duties.filter(due_on__lt=today, overdue_notified=False).select_related("case", "assignment__unit"):
        try:
            if in_transaction(lambda d=d: _mark_overdue(d, now)):
                result.overdue += 1
        except Busy:
            continue
    lights = Lights(today)
    for d in open_clocks.filter(due_on__gte=today, reminded=False, kind__in=reminded_codes()).select_related(
            "case", "assignment__unit"):
        if lights.of(d, d.case.congress_id).light != Light.YELLOW:
            continue
        text = f"临期提醒：{d.case.number or d.case.title} {d.get_kind_display()}期限{d.due_on:%Y-%m-%d}"
        Notification.objects.bulk_create([Notification(user_id=u, case=d.case, text=text)
                                          for u in _recipients(d)])
        Deadline.objects.filter(pk=d.pk).update(reminded=True)
        result.reminded += 1
    for clock in windows:
        if not clock.on_lapse:
            continue
        lapsed = Case.objects.filter(deadlines__kind=clock.code, deadlines__met_at__isnull=True,
                                     deadlines__cancelled=False, deadlines__due_on__lt=today).distinct()
        for case in lapsed:
            t = get_kind(case.kind).workflow.transitions.get(clock.on_lapse)
            if t is None or case.state not in t.sources:
                continue
            try:
                fire(case, clock.on_lapse, None, now=now)
                result.closed += 1
            except TransitionError:
                continue
    return result


class Rollback(Exception):
    pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--today", type=dt.date.fromisoformat, help="the sweep's day (default: today)")
    parser.add_argument("--in-place", action="store_true", help="Django is already set up")
    args = parser.parse_args(argv)
    if not args.in_place:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lvzhi.cases.models import Case, Deadline
    from lvzhi.cases.sweep import sweep

    open_clocks = Deadline.objects.filter(met_at__isnull=True, cancelled=False).count()
    print(f"{connection.vendor} ({connection.settings_dict['NAME']}), {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} CPUs: {Case.objects.count()} cases, {open_clocks} open clocks", flush=True)
    times: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(args.rounds):
        for name, fn in (("old", old_sweep), ("new", sweep)) if i % 2 == 0 else (("new", sweep), ("old", old_sweep)):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                with contextlib.suppress(Rollback), transaction.atomic():
                    result = fn(args.today)
                    seconds = time.perf_counter() - t
                    raise Rollback  # leave the database as it was for the next run
            times[name].append(seconds)
            print(f"  {name}: {seconds:8.2f} s  {len(ctx.captured_queries):6} queries  overdue {result.overdue}"
                  f"  reminded {result.reminded}  closed {result.closed}", flush=True)
    for name in ("old", "new"):
        print(f"sweep {name}: median {statistics.median(times[name]):.2f} s over {args.rounds} runs")
    if times["new"]:
        print(f"ratio old/new: {statistics.median(times['old']) / statistics.median(times['new']):.1f}×")


if __name__ == "__main__":
    main()
