"""CaseFact rows from the records: ONE query definition (`expected_facts`) serves the refresh
after each event, the full rebuild and the check; FactCount rows from the facts.

The refresh, run by a post_save receiver on Event (lvzhi.reports.signals) inside the
transition's transaction, so that it commits or rolls back with the transition: read the
case's old fact, rewrite it with one `INSERT … SELECT … ON CONFLICT (case_id) DO UPDATE …
RETURNING`, and, when it changed, move its contribution between FactCount rows with one
multi-row upsert of deltas — three statements, under the congress's chain-head lock that the
event already holds (so the counts rows add no new waiting). The SQL is compiled once per
database alias (Django building nine subqueries on every event costs more than running them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connections, router, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractYear

from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.models import (
    OPEN_CLOCK,
    Assignment,
    AssignmentState,
    Case,
    Contact,
    Deadline,
    Evaluation,
    Reply,
    ReplyState,
    Verdict,
)
from lvzhi.reports.models import MEASURES, CaseFact, CaseUnit, FactCount, UnitCount

# The table's columns, in the order of the SELECT below.
COLUMNS: tuple[str, ...] = (
    "case_id", "congress_id", "kind", "state", "session_id", "year", "category", "is_key",
    "solved", "first_verdict", "last_verdict", "contacted", "next_due",
    "replies_a", "replies_b", "replies_c", "replies_d",
)
REPLY_CLASSES = ("a", "b", "c", "d")
GROUP: tuple[str, ...] = ("congress_id", "kind", "session_id", "year", "state", "category")
SATISFIED = (Verdict.SATISFIED.value, Verdict.BASICALLY.value)
BATCH = 50_000  # case ids per rebuild/check statement: a transaction of seconds, not minutes


def expected_facts(cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """What each case's fact should say, from its records (formulas in selectors.py). Every
    value is an annotation named f_<column>, so the SQL's column names are known."""
    accepted = Reply.objects.filter(case=OuterRef("pk"), state=ReplyState.ACCEPTED).order_by()
    latest = accepted.filter(round=OuterRef("round"))
    given = Evaluation.objects.filter(case=OuterRef("pk"), expired=False).order_by()

    def count(qs: QuerySet) -> Coalesce:
        return Coalesce(Subquery(qs.values("case").annotate(n=Count("pk")).values("n")), 0,
                        output_field=IntegerField())

    values = {
        "case_id": F("pk"), "congress_id": F("congress_id"), "kind": F("kind"), "state": F("state"),
        "session_id": F("session_id"), "year": ExtractYear("submitted_at"),
        "category": F("category"), "is_key": F("is_key"),
        "solved": ExpressionWrapper(Q(Exists(latest)) & ~Q(Exists(latest.filter(reply_class__in=["C", "D"]))),
                                    output_field=BooleanField()),
        "first_verdict": Subquery(given.filter(round=1).values("verdict")[:1]),
        "last_verdict": Subquery(given.order_by("-round").values("verdict")[:1]),
        "contacted": Exists(Contact.objects.filter(case=OuterRef("pk"))),
        "next_due": Subquery(Deadline.objects.filter(OPEN_CLOCK, case=OuterRef("pk"), kind__in=duty_codes())
                             .order_by().values("case").annotate(m=Min("due_on")).values("m")),
        **{f"replies_{c}": count(accepted.filter(reply_class=c.upper())) for c in REPLY_CLASSES},
    }
    assert tuple(values) == COLUMNS
    qs = (cases if cases is not None else Case.objects.all()).order_by()
    return qs.annotate(**{f"f_{k}": v for k, v in values.items()}).values(*[f"f_{k}" for k in COLUMNS])


_compiled: dict[str, tuple[str, tuple]] = {}


def _expected_sql(using: str) -> tuple[str, tuple]:
    """SELECT <COLUMNS> FROM (expected_facts) AS expected — a WHERE on `expected.f_case_id`
    or `expected.f_congress_id` is pushed down to cases_case by both databases."""
    if using not in _compiled:
        inner, params = expected_facts().query.get_compiler(using).as_sql()
        qn = connections[using].ops.quote_name
        cols = ", ".join(f"expected.{qn('f_' + c)}" for c in COLUMNS)
        _compiled[using] = (f"SELECT {cols} FROM ({inner}) AS expected", tuple(params))
    return _compiled[using]


def _upsert_sql(using: str, where: str) -> tuple[str, tuple]:
    select, params = _expected_sql(using)
    qn = connections[using].ops.quote_name
    table = qn(CaseFact._meta.db_table)
    cols = ", ".join(qn(c) for c in COLUMNS)
    sets = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in COLUMNS[1:])
    # The WHERE is always there: SQLite needs one before ON CONFLICT in INSERT … SELECT.
    return (f"INSERT INTO {table} ({cols}) {select} WHERE {where} "
            f"ON CONFLICT ({qn('case_id')}) DO UPDATE SET {sets}", params)


def expected_units() -> QuerySet[Assignment]:
    """Each case's live units and the earliest open duty clock on that unit's assignments:
    what CaseUnit should hold (refresh, rebuild and check read this one definition)."""
    open_duty = Q(deadlines__met_at__isnull=True, deadlines__cancelled=False, deadlines__kind__in=duty_codes())
    return (Assignment.objects.exclude(state=AssignmentState.WITHDRAWN).order_by()
            .values("case_id", "unit_id").annotate(u_next_due=Min("deadlines__due_on", filter=open_duty)))


_units_compiled: dict[str, tuple[str, tuple]] = {}


def _units_sql(using: str) -> tuple[str, tuple]:
    """SELECT case_id, unit_id, next_due FROM (expected_units) AS units — a WHERE on
    units.case_id is pushed into the grouped subquery (it is a grouping column)."""
    if using not in _units_compiled:
        inner, params = expected_units().query.get_compiler(using).as_sql()
        _units_compiled[using] = (f"SELECT units.case_id, units.unit_id, units.u_next_due FROM ({inner}) AS units",
                                  tuple(params))
    return _units_compiled[using]


def _using(using: str | None) -> str:
    return using or router.db_for_write(CaseFact)


def _row(values: tuple | None) -> dict | None:
    if values is None:
        return None
    row = dict(zip(COLUMNS, values, strict=True))
    for b in ("is_key", "solved", "contacted"):  # SQLite answers 0/1
        row[b] = bool(row[b])
    row["year"] = int(row["year"]) if row["year"] is not None else None
    row["next_due"] = _date(row["next_due"])
    return row


def _date(value) -> dt.date | None:
    # SQLite gives a computed date back as text
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def group_of(fact: dict) -> tuple:
    """The FactCount row a fact is summed into (0 for no session, no year)."""
    return (fact["congress_id"], fact["kind"], fact["session_id"] or 0, fact["year"] or 0,
            fact["state"], fact["category"])


def measures(fact: dict) -> tuple[int, ...]:
    """What one fact adds to its FactCount row, in MEASURES order (MEASURE_SQL says the same
    in SQL for the rebuild; `check` compares the two)."""
    first, last = fact["first_verdict"], fact["last_verdict"]
    return (1, int(fact["is_key"]), int(fact["solved"]), int(first is not None), int(first in SATISFIED),
            int(last is not None), int(last in SATISFIED), int(fact["contacted"]),
            *(int(fact[f"replies_{c}"]) for c in REPLY_CLASSES))


def _count_upsert_sql(using: str, rows: int) -> str:
    qn = connections[using].ops.quote_name
    table = qn(FactCount._meta.db_table)
    cols = (*GROUP, *MEASURES)
    one = "(" + ", ".join(["%s"] * len(cols)) + ")"
    sets = ", ".join(f"{qn(m)} = {table}.{qn(m)} + EXCLUDED.{qn(m)}" for m in MEASURES)
    return (f"INSERT INTO {table} ({', '.join(qn(c) for c in cols)}) VALUES {', '.join([one] * rows)} "
            f"ON CONFLICT ({', '.join(qn(c) for c in GROUP)}) DO UPDATE SET {sets}")


def refresh(case_id: int, using: str | None = None) -> None:
    """Rewrite one case's fact from its records and move its counts, in the caller's
    transaction (which holds the case row lock: two refreshes of one case never interleave)."""
    using = _using(using)
    qn = connections[using].ops.quote_name
    table = qn(CaseFact._meta.db_table)
    sql, params = _upsert_sql(using, "expected.f_case_id = %s")
    returning = ", ".join(f"{table}.{qn(c)}" for c in COLUMNS)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in COLUMNS)} FROM {table} WHERE {qn('case_id')} = %s",
                       (case_id,))
        old = _row(cursor.fetchone())
        cursor.execute(f"{sql} RETURNING {returning}", (*params, case_id))
        new = _row(cursor.fetchone())
        _refresh_units(cursor, using, case_id, old, new)
        if old == new:
            return
        deltas: dict[tuple, list[int]] = {}
        for fact, sign in ((old, -1), (new, 1)):
            if fact is not None:
                d = deltas.setdefault(group_of(fact), [0] * len(MEASURES))
                for i, m in enumerate(measures(fact)):
                    d[i] += sign * m
        rows = [(*g, *d) for g, d in deltas.items() if any(d)]
        if rows:
            cursor.execute(_count_upsert_sql(using, len(rows)), [v for r in rows for v in r])


def _refresh_units(cursor, using: str, case_id: int, old: dict | None, new: dict | None) -> None:
    """CaseUnit of the case rewritten when its units or their clocks changed, and UnitCount
    moved when its units or its scope did: one SELECT when nothing changed."""
    qn = connections[using].ops.quote_name
    table = qn(CaseUnit._meta.db_table)
    units, params = _units_sql(using)
    cursor.execute(f"SELECT 1, units.unit_id, units.u_next_due FROM ({units}) AS units WHERE units.case_id = %s "
                   f"UNION ALL SELECT 0, unit_id, next_due FROM {table} WHERE fact_id = %s",
                   (*params, case_id, case_id))
    have: dict[int, dt.date | None] = {}
    want: dict[int, dt.date | None] = {}
    for is_new, unit, due in cursor.fetchall():
        (want if is_new else have)[unit] = _date(due)
    if want != have:
        cursor.execute(f"DELETE FROM {table} WHERE fact_id = %s", (case_id,))
        if want:
            cursor.execute(f"INSERT INTO {table} (fact_id, unit_id, next_due) VALUES "
                           + ", ".join(["(%s, %s, %s)"] * len(want)),
                           [v for u, due in want.items() for v in (case_id, u, due)])
    before = {(group_of(old)[:4], u) for u in have} if old else set()
    after = {(group_of(new)[:4], u) for u in want} if new else set()
    moves = [(*g, u, -1) for g, u in before - after] + [(*g, u, 1) for g, u in after - before]
    if moves:
        ut = qn(UnitCount._meta.db_table)
        cols = ("congress_id", "kind", "session_id", "year", "unit_id", "n")
        cursor.execute(f"INSERT INTO {ut} ({', '.join(qn(c) for c in cols)}) VALUES "
                       + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(moves))
                       + f" ON CONFLICT ({', '.join(qn(c) for c in cols[:5])}) DO UPDATE SET "
                       f"{qn('n')} = {ut}.{qn('n')} + EXCLUDED.{qn('n')}", [v for m in moves for v in m])


def _ranges(congress_id: int | None, using: str, batch: int) -> list[tuple[int, int]]:
    cases = Case.objects.using(using)
    if congress_id:
        cases = cases.filter(congress_id=congress_id)
    bounds = cases.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return []
    return [(lo, min(lo + batch - 1, bounds["hi"])) for lo in range(bounds["lo"], bounds["hi"] + 1, batch)]


def _scope(congress_id: int | None, column: str) -> tuple[str, tuple]:
    base = f"{column}case_id BETWEEN %s AND %s"
    if congress_id:
        return f"{base} AND {column}congress_id = %s", (congress_id,)
    return base, ()


def rebuild(congress_id: int | None = None, using: str | None = None, batch: int = BATCH,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite every fact (of one congress) from the records, `batch` case ids a statement,
    each in its own transaction. Returns the number of rows written."""
    using = _using(using)
    where, extra = _scope(congress_id, "expected.f_")
    sql, params = _upsert_sql(using, where)
    written = 0
    ranges = _ranges(congress_id, using, batch)
    qn = connections[using].ops.quote_name
    cu = qn(CaseUnit._meta.db_table)
    units, uparams = _units_sql(using)
    of_congress = (f" AND units.case_id IN (SELECT id FROM {qn(Case._meta.db_table)} WHERE congress_id = %s)"
                   if congress_id else "")
    for i, (lo, hi) in enumerate(ranges, 1):
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute(sql, (*params, lo, hi, *extra))
            written += max(cursor.rowcount, 0)
            cursor.execute(f"DELETE FROM {cu} WHERE fact_id BETWEEN %s AND %s"
                           + (f" AND fact_id IN (SELECT case_id FROM {qn(CaseFact._meta.db_table)} "
                              f"WHERE congress_id = %s)" if congress_id else ""), (lo, hi, *extra))
            cursor.execute(f"INSERT INTO {cu} (fact_id, unit_id, next_due) {units} "
                           f"WHERE units.case_id BETWEEN %s AND %s{of_congress}", (*uparams, lo, hi, *extra))
        if progress:
            progress(i, len(ranges))
    rebuild_counts(congress_id, using)
    if connections[using].vendor == "postgresql":  # fresh statistics for the dashboard's plans
        with connections[using].cursor() as cursor:
            for model in (CaseFact, FactCount, CaseUnit, UnitCount):
                cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")
    return written


def summed_facts(congress_id: int | None = None, using: str | None = None) -> QuerySet:
    """The FactCount rows as the facts say they should be (the rebuild writes them, the check
    compares them)."""
    qs = CaseFact.objects.using(_using(using)).order_by()
    if congress_id:
        qs = qs.filter(congress_id=congress_id)
    conditions = {
        "n": Q(), "key": Q(is_key=True), "solved": Q(solved=True),
        "evaluated": Q(first_verdict__isnull=False), "satisfied": Q(first_verdict__in=SATISFIED),
        "final_evaluated": Q(last_verdict__isnull=False), "final_satisfied": Q(last_verdict__in=SATISFIED),
        "contacted": Q(contacted=True),
    }
    sums = {m: Count("pk", filter=conditions[m]) for m in conditions}
    sums |= {f"replies_{c}": Sum(f"replies_{c}") for c in REPLY_CLASSES}
    assert tuple(sums) == MEASURES
    return (qs.annotate(g_session=Coalesce("session_id", 0), g_year=Coalesce("year", 0))
            .values("congress_id", "kind", "g_session", "g_year", "state", "category").annotate(**sums))


def _summed(congress_id: int | None, using: str) -> dict[tuple, tuple[int, ...]]:
    return {(r["congress_id"], r["kind"], r["g_session"], r["g_year"], r["state"], r["category"]):
            tuple(int(r[m] or 0) for m in MEASURES) for r in summed_facts(congress_id, using)}


def rebuild_counts(congress_id: int | None = None, using: str | None = None) -> int:
    """FactCount of the scope rewritten from the facts (a few thousand rows)."""
    using = _using(using)
    rows = _summed(congress_id, using)
    stored = FactCount.objects.using(using)
    if congress_id:
        stored = stored.filter(congress_id=congress_id)
    units = _unit_counts(congress_id, using)
    stored_units = UnitCount.objects.using(using)
    if congress_id:
        stored_units = stored_units.filter(congress_id=congress_id)
    with transaction.atomic(using=using):
        stored.delete()
        FactCount.objects.using(using).bulk_create(
            [FactCount(**dict(zip(GROUP, g, strict=True)), **dict(zip(MEASURES, m, strict=True)))
             for g, m in rows.items()], batch_size=1000)
        stored_units.delete()
        UnitCount.objects.using(using).bulk_create(
            [UnitCount(**dict(zip(UNIT_GROUP, g, strict=True)), n=n) for g, n in units.items()], batch_size=1000)
    return len(rows)


UNIT_GROUP = ("congress_id", "kind", "session_id", "year", "unit_id")


def _unit_counts(congress_id: int | None, using: str) -> dict[tuple, int]:
    """UnitCount as CaseUnit and CaseFact say it should be."""
    qs = CaseUnit.objects.using(using).order_by()
    if congress_id:
        qs = qs.filter(fact__congress_id=congress_id)
    qs = (qs.annotate(g_session=Coalesce("fact__session_id", 0), g_year=Coalesce("fact__year", 0))
          .values("fact__congress_id", "fact__kind", "g_session", "g_year", "unit_id").annotate(n=Count("pk")))
    return {(r["fact__congress_id"], r["fact__kind"], r["g_session"], r["g_year"], r["unit_id"]): r["n"]
            for r in qs}


def check_counts(congress_id: int | None = None, using: str | None = None) -> list[tuple]:
    """The FactCount groups whose sums differ from the facts' (an all-zero row counts as absent)."""
    using = _using(using)
    want = _summed(congress_id, using)
    stored = FactCount.objects.using(using)
    if congress_id:
        stored = stored.filter(congress_id=congress_id)
    have = {tuple(r[:len(GROUP)]): tuple(r[len(GROUP):]) for r in stored.values_list(*GROUP, *MEASURES)}
    zero = (0,) * len(MEASURES)
    bad = sorted(g for g in want.keys() | have.keys() if want.get(g, zero) != have.get(g, zero))
    want_u = _unit_counts(congress_id, using)
    stored_u = UnitCount.objects.using(using)
    if congress_id:
        stored_u = stored_u.filter(congress_id=congress_id)
    have_u = {tuple(r[:5]): r[5] for r in stored_u.values_list(*UNIT_GROUP, "n")}
    return bad + sorted(("承办单位", *g) for g in want_u.keys() | have_u.keys() if want_u.get(g, 0) != have_u.get(g, 0))


def check(congress_id: int | None = None, using: str | None = None, batch: int = BATCH) -> list[int]:
    """The ids of cases whose fact is missing or differs from its records (EXCEPT compares
    NULLs as equal on both databases)."""
    using = _using(using)
    qn = connections[using].ops.quote_name
    select, params = _expected_sql(using)
    where_e, extra = _scope(congress_id, "expected.f_")
    where_f, _ = _scope(congress_id, "")
    table = qn(CaseFact._meta.db_table)
    stored = f"SELECT {', '.join(qn(c) for c in COLUMNS)} FROM {table} WHERE {where_f}"
    sql = (f"SELECT diff.f_case_id FROM ({select} WHERE {where_e} EXCEPT {stored}) AS diff "
           f"ORDER BY 1")
    units, uparams = _units_sql(using)
    cu = qn(CaseUnit._meta.db_table)
    in_congress = (f" AND {{col}} IN (SELECT id FROM {qn(Case._meta.db_table)} WHERE congress_id = %s)"
                   if congress_id else "")
    want = f"{units} WHERE units.case_id BETWEEN %s AND %s{in_congress.format(col='units.case_id')}"
    have = f"SELECT fact_id, unit_id, next_due FROM {cu} WHERE fact_id BETWEEN %s AND %s" \
        f"{in_congress.format(col='fact_id')}"
    # both ways: a unit withdrawn since leaves a row the records no longer have
    unit_sql = (f"SELECT d.case_id FROM ({want} EXCEPT {have}) AS d UNION "
                f"SELECT d2.fact_id FROM ({have} EXCEPT {want}) AS d2")
    bad: set[int] = set()
    with connections[using].cursor() as cursor:
        for lo, hi in _ranges(congress_id, using, batch):
            cursor.execute(sql, (*params, lo, hi, *extra, lo, hi, *extra))
            bad.update(r[0] for r in cursor.fetchall())
            cursor.execute(unit_sql, (*uparams, lo, hi, *extra, lo, hi, *extra, lo, hi, *extra,
                                      *uparams, lo, hi, *extra))
            bad.update(r[0] for r in cursor.fetchall())
    return sorted(bad)
