"""The figures of the handling report, computed from the records (formulas in RULES.md 2.2).

办复率 = cases with every answering unit's reply accepted ÷ cases assigned
解决率 = cases whose latest accepted replies are all A or B ÷ cases replied
满意率 = (满意 + 基本满意) ÷ first-round verdicts (初次办理满意率: a re-handled case counts as it
         was first judged).
最终满意率 = cases whose latest verdict is 满意/基本满意 ÷ cases with any verdict. Counting only
         closed cases (as before) made it 100% by construction: 不满意 always reopens, so no
         closed case ends on 不满意; a case being re-handled after 不满意 is now counted as not
         satisfied. An expired window is not a verdict (重庆条例第二十九条): that round is
         skipped and the case counts by its earlier verdict, or not at all.
见面率 = cases with at least one contact logged ÷ cases assigned

Every figure is read from the per-case summary the engine's events keep (lvzhi.reports.facts:
CaseFact, rolled up in FactCount; CaseUnit and UnitCount per unit), never from the records at
request time: at a million cases the eight aggregate queries over replies, evaluations and
contacts took 13–18 s. A clock turns late by the calendar, not by an event, so the facts keep
each case's (and each unit's) earliest open duty due date and "overdue" is `next_due < today`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from lvzhi.cases.handling.states import CLOSED, HANDLING, REPLIED
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, Verdict
from lvzhi.core.models import Organization
from lvzhi.reports.models import MEASURES, CaseFact, CaseUnit, FactCount, UnitCount

ASSIGNED_STATES = [HANDLING, REPLIED, CLOSED]
UNITS_SHOWN = 15


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    total: int
    by_state: list[tuple[str, str, int]]
    assigned: int
    replied: int
    solved: int
    evaluated: int
    satisfied: int
    final_evaluated: int
    final_satisfied: int
    contacted: int
    overdue_cases: int
    key: int
    by_category: list[tuple[str, int]]
    overdue_by_unit: list[tuple[str, int, int]]
    by_class: list[tuple[str, int]]

    @property
    def reply_rate(self) -> float | None:
        return rate(self.replied, self.assigned)

    @property
    def solve_rate(self) -> float | None:
        return rate(self.solved, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.evaluated)

    @property
    def final_satisfaction_rate(self) -> float | None:
        return rate(self.final_satisfied, self.final_evaluated)

    @property
    def contact_rate(self) -> float | None:
        return rate(self.contacted, self.assigned)


# The figures a user can click through to their cases: key → what the list is called.
CASE_SETS: dict[str, str] = {
    "total": "全部", "assigned": "已交办", "replied": "已答复", "solved": "答复为A/B类",
    "evaluated": "首轮已评价", "satisfied": "首轮满意或基本满意",
    "final_evaluated": "代表已评价", "final_satisfied": "最近一次评价满意或基本满意",
    "contacted": "已见面沟通", "overdue": "存在超期期限", "key": "重点",
}
SATISFIED = [Verdict.SATISFIED, Verdict.BASICALLY]


@dataclass(frozen=True)
class Scope:
    """What the dashboard counts: the kind's cases past the draft, of one congress, optionally
    of one session and/or submitted in one year (按年度)."""

    congress_id: int
    kind: str = "suggestion"
    session_id: int | None = None
    year: int | None = None

    def q(self, path: str = "", states: bool = True) -> Q:
        """The scope as a condition on CaseFact (or FactCount, UnitCount: `states=False`, no
        draft has a unit) columns reached through `path` ("fact__" from a Case or a CaseUnit)."""
        q = Q(**{f"{path}congress_id": self.congress_id, f"{path}kind": self.kind})
        if states:
            q &= ~Q(**{f"{path}state": get_kind(self.kind).states[0].code})
        if self.session_id:
            q &= Q(**{f"{path}session_id": self.session_id})
        if self.year:
            q &= Q(**{f"{path}year": self.year})
        return q


def scoped_cases(congress_id: int, kind: str, session_id: int | None = None,
                 year: int | None = None) -> QuerySet[Case]:
    """Every case the dashboard counts: the kind's, past the draft, of the chosen session/year."""
    return Case.objects.filter(Scope(congress_id, kind, session_id, year).q("fact__"))


def case_sets(congress_id: int, kind: str = "suggestion", session_id: int | None = None,
              today: dt.date | None = None, year: int | None = None) -> dict[str, QuerySet[Case]]:
    """The cases behind each figure (keys of CASE_SETS), all within the same scope and read
    from the same facts as the figures, so a figure's number is its list's count."""
    today = today or timezone.localdate()
    cases = scoped_cases(congress_id, kind, session_id, year)
    assigned = cases.filter(fact__state__in=ASSIGNED_STATES)
    replied = cases.filter(fact__state__in=[REPLIED, CLOSED])
    return {
        "total": cases, "assigned": assigned, "replied": replied,
        "solved": replied.filter(fact__solved=True),
        "evaluated": cases.filter(fact__first_verdict__isnull=False),
        "satisfied": cases.filter(fact__first_verdict__in=SATISFIED),
        "final_evaluated": cases.filter(fact__last_verdict__isnull=False),
        "final_satisfied": cases.filter(fact__last_verdict__in=SATISFIED),
        "contacted": assigned.filter(fact__contacted=True),
        "overdue": cases.filter(fact__next_due__lt=today),
        "key": cases.filter(fact__is_key=True),
    }


def state_counts(congress_id: int, kind: str | None = None) -> dict[tuple[str, str], int]:
    """(kind, state) → cases, drafts included, from the rolled-up counts: one query over a few
    thousand rows whatever the number of cases."""
    qs = FactCount.objects.filter(congress_id=congress_id)
    if kind:
        qs = qs.filter(kind=kind)
    return {(k, s): n for k, s, n in qs.values_list("kind", "state").annotate(t=Sum("n"))
            .filter(t__gt=0).order_by().values_list("kind", "state", "t")}


def years(congress_id: int, kind: str) -> list[int]:
    """The years in which cases of the kind were submitted, newest first."""
    return list(FactCount.objects.filter(congress_id=congress_id, kind=kind, n__gt=0).exclude(year=0)
                .order_by("-year").values_list("year", flat=True).distinct())


def figures(congress_id: int, kind: str = "suggestion", session_id: int | None = None,
            today: dt.date | None = None, year: int | None = None) -> Figures:
    """The handling figures of one kind that uses the shared handling table; every figure and
    chart counts the same scope (the kind's cases of the chosen session and/or year). Five
    queries whatever the number of cases: the rolled-up counts, the overdue cases, the units
    with overdue clocks, their names, their cases."""
    today = today or timezone.localdate()
    k = get_kind(kind)
    scope = Scope(congress_id, kind, session_id, year)
    rows = list(FactCount.objects.filter(scope.q()).values("state", "category")
                .annotate(**{m: Sum(m) for m in MEASURES}).order_by())
    order = {s.code: i for i, s in enumerate(k.states)}

    def total(measure: str, states: list[str] | None = None) -> int:
        return sum(r[measure] or 0 for r in rows if states is None or r["state"] in states)

    per_state: dict[str, int] = {}
    per_category: dict[str, int] = {}
    for r in rows:
        per_state[r["state"]] = per_state.get(r["state"], 0) + r["n"]
        if r["category"]:
            per_category[r["category"]] = per_category.get(r["category"], 0) + r["n"]
    by_state = [(s, k.state_label(s), n) for s, n in
                sorted(per_state.items(), key=lambda x: (-x[1], order.get(x[0], 99))) if n]
    by_category = [(c, n) for c, n in sorted(per_category.items(), key=lambda x: (-x[1], x[0])) if n]
    replied_states = [REPLIED, CLOSED]
    by_class = [(c.upper(), n) for c in ("a", "b", "c", "d")
                if (n := total(f"replies_{c}", replied_states))]

    facts = CaseFact.objects.filter(scope.q())
    overdue_cases = facts.filter(next_due__lt=today).count()
    # Per unit: its scoped cases with an overdue duty clock on its own assignment (the card
    # above counts the same cases, whichever clock is late); 承办件数 from the roll-up.
    late = list(CaseUnit.objects.filter(scope.q("fact__"), next_due__lt=today).values("unit_id")
                .annotate(n=Count("fact_id")).order_by())  # one row per late unit: a few dozen
    names = dict(Organization.objects.filter(pk__in=[r["unit_id"] for r in late]).values_list("pk", "name"))
    late = sorted(late, key=lambda r: (-r["n"], names.get(r["unit_id"], "")))[:UNITS_SHOWN]
    handling = dict(UnitCount.objects.filter(scope.q(states=False), unit_id__in=[r["unit_id"] for r in late])
                    .values("unit_id").annotate(h=Sum("n")).order_by().values_list("unit_id", "h"))
    return Figures(
        total=total("n"), by_state=by_state, assigned=total("n", ASSIGNED_STATES),
        replied=total("n", replied_states), solved=total("solved", replied_states),
        evaluated=total("evaluated"), satisfied=total("satisfied"),
        final_evaluated=total("final_evaluated"), final_satisfied=total("final_satisfied"),
        contacted=total("contacted", ASSIGNED_STATES), overdue_cases=overdue_cases, key=total("key"),
        by_category=by_category,
        overdue_by_unit=[(names.get(r["unit_id"], ""), r["n"], handling.get(r["unit_id"], 0)) for r in late],
        by_class=by_class,
    )
