"""The leader's dashboard and the deadline monitor at scale: today's reads against the ones
before issue 16, interleaved on the same database in one run.

    .venv/bin/python benchmarks/bench_dashboard.py --rounds 15 \
        --database-url postgres://lvzhi:lvzhi@127.0.0.1:5433/lvzhi_scale_1m

For each scope (all sessions, the newest session, the latest year) it times
`lvzhi.reports.selectors.figures()` (the roll-up of the per-case summary, CaseFact/FactCount)
and NAIVE_FIGURES below (the eight ORM aggregates over every record that figures() ran
before, copied verbatim), alternating naive and new each round so both see the same load;
then the monitor (`lvzhi.cases.monitor.deadline_monitor`, counts in SQL over the open-deadline
partial index) against NAIVE_MONITOR (every open duty loaded with its case and assignments and
lit in Python). Prints p50/p95 ms, the queries of one call, the ratio naive/new of the
medians, and whether both give the same numbers. The whole page (Django test client,
force_login as the leader) is timed too. Targets: dashboard and monitor p95 < 500 ms,
>= 20x the naive dashboard. `--naive-rounds` caps the naive runs (13-18 s each at 1M).
Asserts nothing; `main(argv)` returns the rows (a smoke test may call it on a tiny set).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS, RATIO = 500, 20


# ----------------------------------------------------------------------------------------
# The dashboard before issue 16 (lvzhi/reports/selectors.py at bc3ec80), copied verbatim
# but for the imports, so that it can be measured after the page no longer runs it.

def naive_figures(congress_id: int, kind: str = "suggestion", session_id: int | None = None,
                  today: dt.date | None = None, year: int | None = None):
    from django.db.models import Count, Exists, OuterRef, Q, Subquery
    from django.utils import timezone

    from lvzhi.cases.clocks import duty_codes
    from lvzhi.cases.kinds import get_kind
    from lvzhi.cases.models import Case, Contact, Deadline, Evaluation, Reply, ReplyState
    from lvzhi.core.models import Organization
    from lvzhi.reports.selectors import ASSIGNED_STATES, CLOSED, REPLIED, SATISFIED, Figures

    def scoped_cases(congress_id, kind, session_id=None):
        k = get_kind(kind)
        cases = Case.objects.filter(congress_id=congress_id, kind=kind).exclude(state=k.states[0].code)
        if session_id:
            cases = cases.filter(session_id=session_id)
        if year:  # the year filter is new; the same condition the case list uses
            cases = cases.filter(submitted_at__year=year)
        return cases

    def _overdue_deadlines(today):
        return Deadline.objects.filter(met_at__isnull=True, cancelled=False, due_on__lt=today,
                                       kind__in=duty_codes())

    def case_sets(congress_id, kind="suggestion", session_id=None, today=None):
        today = today or timezone.localdate()
        cases = scoped_cases(congress_id, kind, session_id)
        assigned = cases.filter(state__in=ASSIGNED_STATES)
        replied = cases.filter(state__in=[REPLIED, CLOSED])
        unsolved_reply = Reply.objects.filter(case=OuterRef("pk"), state=ReplyState.ACCEPTED,
                                              round=OuterRef("round"), reply_class__in=["C", "D"])
        any_reply = Reply.objects.filter(case=OuterRef("pk"), state=ReplyState.ACCEPTED,
                                         round=OuterRef("round"))
        given = Evaluation.objects.filter(case=OuterRef("pk"), expired=False)
        first = given.filter(round=1)
        latest = cases.annotate(last_verdict=Subquery(given.order_by("-round").values("verdict")[:1]))
        return {
            "total": cases, "assigned": assigned, "replied": replied,
            "solved": replied.filter(Exists(any_reply)).exclude(Exists(unsolved_reply)),
            "evaluated": cases.filter(Exists(first)),
            "satisfied": cases.filter(Exists(first.filter(verdict__in=SATISFIED))),
            "final_evaluated": latest.filter(last_verdict__isnull=False),
            "final_satisfied": latest.filter(last_verdict__in=SATISFIED),
            "contacted": assigned.filter(Exists(Contact.objects.filter(case=OuterRef("pk")))),
            "overdue": cases.filter(Exists(_overdue_deadlines(today).filter(case=OuterRef("pk")))),
            "key": cases.filter(is_key=True),
        }

    today = today or timezone.localdate()
    k = get_kind(kind)
    sets = case_sets(congress_id, kind, session_id, today)
    cases = sets["total"]
    by_state = [(s, k.state_label(s), n) for s, n in
                cases.values_list("state").annotate(n=Count("id")).order_by("-n")]
    by_category = list(cases.exclude(category="").values_list("category")
                       .annotate(n=Count("id")).order_by("-n"))
    late = (_overdue_deadlines(today).filter(case__in=cases, assignment__isnull=False)
            .values("assignment__unit_id", "assignment__unit__name")
            .annotate(n=Count("case", distinct=True)).order_by("-n", "assignment__unit__name")[:15])
    handling = dict(Organization.objects.filter(pk__in=[r["assignment__unit_id"] for r in late])
                    .annotate(h=Count("assignments", filter=~Q(assignments__state="withdrawn")
                                      & Q(assignments__case__in=cases), distinct=True))
                    .values_list("pk", "h"))
    by_class = list(Reply.objects.filter(case__in=sets["replied"], state=ReplyState.ACCEPTED)
                    .values_list("reply_class").annotate(n=Count("id")).order_by("reply_class"))
    n = {key: qs.count() for key, qs in sets.items()}
    return Figures(
        total=n["total"], by_state=by_state, assigned=n["assigned"], replied=n["replied"],
        solved=n["solved"], evaluated=n["evaluated"], satisfied=n["satisfied"],
        final_evaluated=n["final_evaluated"], final_satisfied=n["final_satisfied"],
        contacted=n["contacted"], overdue_cases=n["overdue"], key=n["key"], by_category=by_category,
        overdue_by_unit=[(r["assignment__unit__name"], r["n"], handling.get(r["assignment__unit_id"], 0))
                         for r in late],
        by_class=by_class,
    )


def naive_monitor(congress_id: int, today: dt.date | None = None):
    """lvzhi/cases/monitor.py deadline_monitor() at bc3ec80: every open duty loaded and lit."""
    from django.utils import timezone

    from lvzhi.cases.clocks import duty_codes
    from lvzhi.cases.deadlines import Light, Lights
    from lvzhi.cases.models import Deadline
    from lvzhi.cases.monitor import OVERDUE_LIMIT, OverdueRow, UnitLoad
    from lvzhi.core.models import Organization

    lights = Lights(today or timezone.localdate())
    duties = (Deadline.objects.filter(case__congress_id=congress_id, met_at__isnull=True,
                                      cancelled=False, kind__in=duty_codes())
              .select_related("case", "assignment__unit").order_by("due_on", "id")
              .prefetch_related("case__assignments"))
    open_, red, yellow = Counter(), Counter(), Counter()
    overdue = []
    for d in duties:
        status = lights.of(d, congress_id)
        if status.light == Light.RED:
            overdue.append(OverdueRow(d, status))
        if not d.assignment_id:
            continue
        unit = d.assignment.unit_id
        open_[unit] += 1
        red[unit] += status.light == Light.RED
        yellow[unit] += status.light == Light.YELLOW
    units = Organization.objects.filter(pk__in=list(open_)).in_bulk()
    loads = sorted((UnitLoad(units[u], n, red[u], yellow[u]) for u, n in open_.items()),
                   key=lambda x: (-x.red, -x.yellow, -x.open, x.unit.name))
    return loads, overdue[:OVERDUE_LIMIT]


# ----------------------------------------------------------------------------------------

def timed(fn: Callable[[], object]) -> tuple[float, object, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = fn()
        ms = (time.perf_counter() - start) * 1000
    return ms, result, len(ctx.captured_queries)


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def comparable(f) -> tuple:
    """The numbers a leader reads (the naive handling column counted assignments, now cases)."""
    return (f.total, f.assigned, f.replied, f.solved, f.evaluated, f.satisfied, f.final_evaluated,
            f.final_satisfied, f.contacted, f.overdue_cases, f.key, sorted(f.by_state), sorted(f.by_category),
            [(u, n) for u, n, _ in f.overdue_by_unit], sorted(f.by_class))


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="postgres://… (default: DATABASE_URL or SQLite)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--naive-rounds", type=int, default=5)
    parser.add_argument("--no-pages", action="store_true", help="skip the whole-page timings")
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LVZHI_DEBUG", "1")
    os.environ.setdefault("LVZHI_DB_CONN_MAX_AGE", "0")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from lvzhi.cases import monitor
    from lvzhi.cases.models import Case
    from lvzhi.core.models import Congress, Role, Session, User
    from lvzhi.reports.selectors import figures

    # the demo city (the scale sets add their cases to it), else the first congress
    congress = (User.objects.filter(username="clerk").values_list("congress", flat=True).first()
                or Congress.objects.order_by("pk").values_list("pk", flat=True).first())
    congress = Congress.objects.get(pk=congress)
    today = timezone.localdate()
    session = (Session.objects.filter(term__congress=congress).order_by("-opens_on").first())
    year = (Case.objects.filter(congress=congress, submitted_at__isnull=False)
            .order_by("-submitted_at").values_list("submitted_at", flat=True).first())
    year = timezone.localtime(year).year if year else today.year
    scopes = [("全部会议", {}), (f"会议 {session}", {"session_id": session.pk} if session else {}),
              (f"{year}年", {"year": year})]
    n_cases = Case.objects.filter(congress=congress).count()
    print(f"{connection.vendor} {settings.DATABASES['default'].get('NAME')}: {n_cases:,} cases; "
          f"{os.cpu_count()} CPUs; {dt.datetime.now():%Y-%m-%d %H:%M}; rounds {args.rounds} "
          f"(naive {args.naive_rounds})")
    rows: list[dict] = []

    def compare(label: str, new: Callable[[], object], old: Callable[[], object],
                same: Callable[[object, object], bool]) -> None:
        new_ms: list[float] = []
        old_ms: list[float] = []
        new(), old()  # warm-up (caches, plans)
        new_q = old_q = 0
        new_r = old_r = None
        for i in range(args.rounds):
            if i < args.naive_rounds:  # interleaved: naive, then new, in the same round
                ms, old_r, old_q = timed(old)
                old_ms.append(ms)
            ms, new_r, new_q = timed(new)
            new_ms.append(ms)
        row = {"label": label, "new_p50": statistics.median(new_ms), "new_p95": p95(new_ms), "new_q": new_q,
               "old_p50": statistics.median(old_ms), "old_p95": p95(old_ms), "old_q": old_q,
               "same": same(new_r, old_r)}
        row["ratio"] = row["old_p50"] / row["new_p50"] if row["new_p50"] else float("inf")
        rows.append(row)
        ok = "ok" if row["new_p95"] < TARGET_MS else "MISS"
        print(f"{label:<28} new p50 {row['new_p50']:8.1f} ms p95 {row['new_p95']:8.1f} ms {new_q:3d} q "
              f"[{ok} < {TARGET_MS}] | naive p50 {row['old_p50']:9.1f} ms p95 {row['old_p95']:9.1f} ms "
              f"{old_q:3d} q | x{row['ratio']:.0f}{'' if row['ratio'] >= RATIO else ' (< 20x)'} | "
              f"same numbers: {'yes' if row['same'] else 'NO'}")

    for label, kw in scopes:
        compare(f"dashboard {label}", lambda kw=kw: figures(congress.pk, today=today, **kw),
                lambda kw=kw: naive_figures(congress.pk, today=today, **kw),
                lambda a, b: comparable(a) == comparable(b))

    def same_monitor(a, b) -> bool:
        (la, oa), (lb, ob) = a, b
        return ([(x.unit.pk, x.open, x.red, x.yellow) for x in la] == [(x.unit.pk, x.open, x.red, x.yellow) for x in lb]
                and [r.deadline.pk for r in oa] == [r.deadline.pk for r in ob])

    compare("monitor", lambda: monitor.deadline_monitor(congress.pk, today),
            lambda: naive_monitor(congress.pk, today), same_monitor)

    if not args.no_pages:
        leader = User.objects.filter(congress=congress, role=Role.LEADER).order_by("pk").first()
        clerk = User.objects.filter(congress=congress, role=Role.CLERK,
                                    organization__function="suggestion_office").order_by("pk").first()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        for label, user, path, params in [
            ("page /reports/dashboard/", leader, "/reports/dashboard/", {}),
            ("page dashboard by session", leader, "/reports/dashboard/", {"session": session.pk} if session else {}),
            ("page dashboard by year", leader, "/reports/dashboard/", {"year": year}),
            ("page deadline monitor", clerk, "/office/deadlines/", {}),
            ("page monitor Excel", clerk, "/office/deadlines/overdue.xlsx", {}),
        ]:
            client = Client()
            client.force_login(user)
            times: list[float] = []
            status, queries = 0, 0
            client.get(path, params)
            for _ in range(args.rounds):
                ms, response, queries = timed(lambda c=client, p=path, q=params: c.get(p, q))
                status = response.status_code
                times.append(ms)
            row = {"label": label, "new_p50": statistics.median(times), "new_p95": p95(times),
                   "new_q": queries, "status": status}
            rows.append(row)
            print(f"{label:<28} p50 {row['new_p50']:8.1f} ms p95 {row['new_p95']:8.1f} ms {queries:3d} q "
                  f"status {status} [{'ok' if row['new_p95'] < TARGET_MS else 'MISS'} < {TARGET_MS}]")
    return rows


if __name__ == "__main__":
    main()
