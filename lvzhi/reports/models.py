"""The dashboard's summary of each case, kept by the engine's events (lvzhi.reports.facts).

One row per case, rewritten from the case's records in the transaction of every event on it,
so the leader's figures are aggregates over one narrow table instead of joins over every
reply, evaluation and contact ever written. Nothing here is a source of truth: `manage.py
rebuild_case_facts` rewrites any row from the records, and `--check` lists those that differ.

CaseUnit lists each case's live units (its non-withdrawn assignments) with the earliest open
duty clock of that unit's own, and UnitCount counts them per unit and scope: 超期件数 and 承办件数
of the units on the dashboard without joining every assignment ever written.

FactCount rolls the facts up by the dashboard's scope (congress, kind, session, year) and by
state and category: a few thousand rows however many cases, so a whole decade's figures are a
sum over them (an aggregate over a million facts took 0.5–0.65 s on the 2-core machine).
Each event moves its case's contribution from the old row to the new one (a delta).
"""

from __future__ import annotations

from django.db import models

from lvzhi.cases.models import Case


class CaseFact(models.Model):
    case = models.OneToOneField(Case, models.CASCADE, primary_key=True, related_name="fact")
    # Copies of the case's own columns (the scope every figure is counted in). No foreign-key
    # constraints: the case's own constraints already hold, and the rebuild writes 1M rows.
    congress = models.ForeignKey("core.Congress", models.DO_NOTHING, db_constraint=False,
                                 related_name="+")
    kind = models.CharField(max_length=30)
    state = models.CharField(max_length=20)
    session = models.ForeignKey("core.Session", models.DO_NOTHING, null=True, db_constraint=False,
                                related_name="+")
    year = models.PositiveSmallIntegerField("提交年度", null=True)  # local year of submitted_at
    category = models.CharField(max_length=30, blank=True)
    is_key = models.BooleanField(default=False)
    # From the records: the latest round's accepted replies exist and none is C or D.
    solved = models.BooleanField(default=False)
    # Verdicts actually given (an expired window is no verdict); NULL when none.
    first_verdict = models.CharField(max_length=12, null=True)
    last_verdict = models.CharField(max_length=12, null=True)
    contacted = models.BooleanField(default=False)
    # The earliest open duty clock (any unit's or the office's): overdue when before today.
    next_due = models.DateField(null=True)
    # Accepted replies of every round and unit, by class (RULES.md 2.1: A–D).
    replies_a = models.PositiveIntegerField(default=0)
    replies_b = models.PositiveIntegerField(default=0)
    replies_c = models.PositiveIntegerField(default=0)
    replies_d = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "案件统计摘要"
        indexes = [
            # the dashboard's three scopes: all sessions, one session, one year
            models.Index(fields=["congress", "kind", "session"], name="reports_fact_session_idx"),
            models.Index(fields=["congress", "kind", "year"], name="reports_fact_year_idx"),
            # the overdue card: only cases with a running duty clock are in it
            models.Index(fields=["congress", "kind", "next_due"], condition=models.Q(next_due__isnull=False),
                         name="reports_fact_due_idx"),
        ]

    def __str__(self) -> str:
        return f"案件{self.case_id}统计摘要"


# The measures a FactCount row sums, in this order (lvzhi.reports.facts.measures).
MEASURES: tuple[str, ...] = (
    "n", "key", "solved", "evaluated", "satisfied", "final_evaluated", "final_satisfied",
    "contacted", "replies_a", "replies_b", "replies_c", "replies_d",
)


class FactCount(models.Model):
    """The sum of the facts of one (congress, kind, session, year, state, category). 0 stands
    for "no session" / "no year" (a NULL would defeat the unique key the upsert needs)."""

    congress = models.ForeignKey("core.Congress", models.DO_NOTHING, db_constraint=False,
                                 related_name="+")
    kind = models.CharField(max_length=30)
    session_id = models.PositiveIntegerField(default=0)
    year = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=20)
    category = models.CharField(max_length=30, blank=True)
    n = models.IntegerField(default=0)
    key = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    evaluated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    final_evaluated = models.IntegerField(default=0)
    final_satisfied = models.IntegerField(default=0)
    contacted = models.IntegerField(default=0)
    replies_a = models.IntegerField(default=0)
    replies_b = models.IntegerField(default=0)
    replies_c = models.IntegerField(default=0)
    replies_d = models.IntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "统计汇总"
        constraints = [models.UniqueConstraint(
            fields=["congress", "kind", "session_id", "year", "state", "category"],
            name="reports_factcount_group")]

    def __str__(self) -> str:
        return f"{self.kind} {self.state} {self.category}：{self.n}"


class CaseUnit(models.Model):
    """A unit with a live (non-withdrawn) assignment on the case, and its own earliest open
    duty clock (NULL when it owes nothing now)."""

    fact = models.ForeignKey(CaseFact, models.CASCADE, related_name="units")
    unit = models.ForeignKey("core.Organization", models.DO_NOTHING, db_constraint=False, related_name="+")
    next_due = models.DateField(null=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件承办单位摘要"
        constraints = [models.UniqueConstraint(fields=["fact", "unit"], name="reports_caseunit_unique")]
        indexes = [models.Index(fields=["next_due"], condition=models.Q(next_due__isnull=False),
                                name="reports_caseunit_due_idx")]


class UnitCount(models.Model):
    """Cases per unit and scope (0 = no session / no year): 承办件数."""

    congress = models.ForeignKey("core.Congress", models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=30)
    session_id = models.PositiveIntegerField(default=0)
    year = models.PositiveSmallIntegerField(default=0)
    unit_id = models.PositiveIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "承办单位汇总"
        constraints = [models.UniqueConstraint(fields=["congress", "kind", "session_id", "year", "unit_id"],
                                               name="reports_unitcount_group")]
