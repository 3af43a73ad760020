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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
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
from lvzhi.core.models import Organization

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


# The figures a user can click through to their cases: key → what the list is called.
CASE_SETS: dict[str, str] = {
    "total": "全部", "assigned": "已交办", "replied": "已答复", "solved": "答复为A/B类",
    "evaluated": "首轮已评价", "satisfied": "首轮满意或基本满意",
    "final_evaluated": "代表已评价", "final_satisfied": "最近一次评价满意或基本满意",
    "contacted": "已见面沟通", "overdue": "存在超期期限", "key": "重点",
}
SATISFIED = [Verdict.SATISFIED, Verdict.BASICALLY]


def scoped_cases(congress_id: int, kind: str, session_id: int | None = None) -> QuerySet[Case]:
    """Every case the dashboard counts: the kind's, past the draft, of the chosen session."""
    k = get_kind(kind)
    cases = Case.objects.filter(congress_id=congress_id, kind=kind).exclude(state=k.states[0].code)
    if session_id:
        cases = cases.filter(session_id=session_id)
    return cases


def _overdue_deadlines(today: dt.date) -> QuerySet[Deadline]:
    return Deadline.objects.filter(met_at__isnull=True, cancelled=False, due_on__lt=today,
                                   kind__in=duty_codes())


def case_sets(congress_id: int, kind: str = "suggestion", session_id: int | None = None,
              today: dt.date | None = None) -> dict[str, QuerySet[Case]]:
    """The cases behind each figure (keys of CASE_SETS), all within the same scope."""
    today = today or timezone.localdate()
    cases = scoped_cases(congress_id, kind, session_id)
    assigned = cases.filter(state__in=ASSIGNED_STATES)
    replied = cases.filter(state__in=[REPLIED, CLOSED])
    # Latest round's accepted replies: solved when none of them is C or D.
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


def figures(congress_id: int, kind: str = "suggestion", session_id: int | None = None,
            today: dt.date | None = None) -> Figures:
    """The handling figures of one kind that uses the shared handling table; every figure and
    chart counts the same scope (the kind's cases of the chosen session)."""
    today = today or timezone.localdate()
    k = get_kind(kind)
    sets = case_sets(congress_id, kind, session_id, today)
    cases = sets["total"]
    by_state = [(s, k.state_label(s), n) for s, n in
                cases.values_list("state").annotate(n=Count("id")).order_by("-n")]
    by_category = list(cases.exclude(category="").values_list("category")
                       .annotate(n=Count("id")).order_by("-n"))
    # Per unit: its scoped cases with an overdue duty clock on its own assignment (the card
    # above counts the same cases, whichever clock is late).
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
