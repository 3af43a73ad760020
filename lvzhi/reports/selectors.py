"""The figures of the handling report, computed from the records (formulas in RULES.md 2.2).

办复率 = cases with every answering unit's reply accepted ÷ cases assigned
解决率 = cases whose latest accepted replies are all A or B ÷ cases replied
满意率 = (满意 + 基本满意) ÷ first-round verdicts (初次办理满意率: a re-handled case counts as it
         was first judged); 最终满意率 uses each closed case's last verdict. An expired window
         is not a verdict (重庆条例第二十九条).
见面率 = cases with at least one contact logged ÷ cases assigned
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.handling.states import CLOSED, HANDLING, REPLIED
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import (
    Case,
    Contact,
    Deadline,
    Evaluation,
    Reply,
    ReplyState,
    Verdict,
)
from lvzhi.core.models import Organization, OrganizationKind

ASSIGNED_STATES = [HANDLING, REPLIED, CLOSED]


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


def figures(congress_id: int, kind: str = "suggestion", session_id: int | None = None,
            today: dt.date | None = None) -> Figures:
    today = today or timezone.localdate()
    """The handling figures of one kind that uses the shared handling table."""
    DUTY_KINDS = duty_codes()
    k = get_kind(kind)
    cases = Case.objects.filter(congress_id=congress_id, kind=kind).exclude(state=k.states[0].code)
    if session_id:
        cases = cases.filter(session_id=session_id)
    by_state = [(s, k.state_label(s), n) for s, n in
                cases.values_list("state").annotate(n=Count("id")).order_by("-n")]
    assigned = cases.filter(state__in=ASSIGNED_STATES)
    replied = cases.filter(state__in=[REPLIED, CLOSED])
    # Latest round's accepted replies: solved when none of them is C or D.
    unsolved_reply = Reply.objects.filter(case=OuterRef("pk"), state=ReplyState.ACCEPTED,
                                          round=OuterRef("round"), reply_class__in=["C", "D"])
    any_reply = Reply.objects.filter(case=OuterRef("pk"), state=ReplyState.ACCEPTED,
                                     round=OuterRef("round"))
    solved = replied.filter(Exists(any_reply)).exclude(Exists(unsolved_reply)).count()
    def tally(evaluations) -> tuple[int, int]:
        verdicts = dict(evaluations.values_list("verdict").annotate(n=Count("id")))
        return (sum(verdicts.values()),
                verdicts.get(Verdict.SATISFIED, 0) + verdicts.get(Verdict.BASICALLY, 0))

    given = Evaluation.objects.filter(case__in=cases, expired=False)
    evaluated, satisfied = tally(given.filter(round=1))
    final_evaluated, final_satisfied = tally(given.filter(round=F("case__round"),
                                                          case__state=CLOSED))
    contacted = assigned.filter(Exists(Contact.objects.filter(case=OuterRef("pk")))).count()
    overdue_q = Deadline.objects.filter(case=OuterRef("pk"), met_at__isnull=True, cancelled=False,
                                        due_on__lt=today, kind__in=DUTY_KINDS)
    overdue_cases = cases.filter(Exists(overdue_q)).count()
    by_category = list(cases.exclude(category="").values_list("category")
                       .annotate(n=Count("id")).order_by("-n"))
    open_overdue = Q(assignments__deadlines__met_at__isnull=True,
                     assignments__deadlines__cancelled=False,
                     assignments__deadlines__due_on__lt=today,
                     assignments__deadlines__kind__in=DUTY_KINDS,
                     assignments__case__kind=kind)
    units = (Organization.objects.filter(congress_id=congress_id, kind=OrganizationKind.UNIT)
             .annotate(overdue=Count("assignments__deadlines", filter=open_overdue),
                       handling=Count("assignments", filter=Q(assignments__case__kind=kind)
                                      & ~Q(assignments__state="withdrawn"), distinct=True))
             .filter(overdue__gt=0).order_by("-overdue")[:15])
    by_class = list(Reply.objects.filter(case__in=replied, state=ReplyState.ACCEPTED)
                    .values_list("reply_class").annotate(n=Count("id")).order_by("reply_class"))
    return Figures(
        total=cases.count(), by_state=by_state, assigned=assigned.count(),
        replied=replied.count(), solved=solved, evaluated=evaluated, satisfied=satisfied,
        final_evaluated=final_evaluated, final_satisfied=final_satisfied,
        contacted=contacted, overdue_cases=overdue_cases, key=cases.filter(is_key=True).count(),
        by_category=by_category,
        overdue_by_unit=[(u.name, u.overdue, u.handling) for u in units], by_class=by_class,
    )

