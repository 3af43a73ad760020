"""预算联网监督's report figures (register_figures "budget"): warnings raised, by rule; the departments
warned and those warned more than once (the pattern); warnings closed, and closed on time (every
answer the unit gave came within its clock); 专项监督报告 produced.

Warnings are cases (kind budget_warning), so their figures return Case querysets and the annual
page lists them with their state; a period's warnings are those the rule run raised in it
(Case.submitted_at). The department figures return BudgetUnit rows and the reports figure
SupervisionReport rows, listed by their names."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from lvzhi.budget.clocks import ANSWER
from lvzhi.budget.models import BudgetUnit, SupervisionReport
from lvzhi.budget.permissions import KIND
from lvzhi.budget.rules import RULES
from lvzhi.budget.states import CLOSED
from lvzhi.cases.kinds import Figure
from lvzhi.cases.models import Case, Deadline


def raised(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(kind=KIND, congress_id__in=congress_ids, submitted_at__date__gte=start,
                               submitted_at__date__lte=end)


def by_rule(code: str):
    def cases(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
        return raised(congress_ids, start, end).filter(budget_warning_detail__rule=code)

    cases.__name__ = f"raised_{code}"
    return cases


def closed(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    """销号 in the period (accepted by the 预算工委), whenever raised."""
    return Case.objects.filter(kind=KIND, congress_id__in=congress_ids, state=CLOSED, closed_at__date__gte=start,
                               closed_at__date__lte=end)


def closed_on_time(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Closed, and no answer clock of the warning was met late or left unmet (asked again included)."""
    late = Deadline.objects.filter(case=OuterRef("pk"), kind=ANSWER, cancelled=False).filter(
        Q(met_at__isnull=True) | Q(met_at__date__gt=F("due_on")))
    answered = Deadline.objects.filter(case=OuterRef("pk"), kind=ANSWER)
    return closed(congress_ids, start, end).filter(Exists(answered)).exclude(Exists(late))


def units_warned(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[BudgetUnit]:
    """Departments with at least one warning raised in the period."""
    return BudgetUnit.objects.filter(pk__in=raised(congress_ids, start, end)
                                     .filter(budget_warning_detail__unit__isnull=False)
                                     .values("budget_warning_detail__unit"))


def units_repeated(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[BudgetUnit]:
    """Departments warned twice or more in the period: the pattern the 预算工委 follows up."""
    counts = (raised(congress_ids, start, end).filter(budget_warning_detail__unit__isnull=False)
              .values("budget_warning_detail__unit").annotate(n=Count("id")).filter(n__gte=2)
              .values("budget_warning_detail__unit"))
    return BudgetUnit.objects.filter(pk__in=counts)


def top_units(congress_ids: list[int], start: dt.date, end: dt.date, n: int = 10) -> list[tuple[BudgetUnit, int]]:
    """The departments with the most warnings in the period, most first (for the report and pages)."""
    rows = list(raised(congress_ids, start, end).filter(budget_warning_detail__unit__isnull=False)
                .values("budget_warning_detail__unit").annotate(n=Count("id"))
                .order_by("-n", "budget_warning_detail__unit")[:n])
    units = BudgetUnit.objects.in_bulk([r["budget_warning_detail__unit"] for r in rows])
    return [(units[r["budget_warning_detail__unit"]], r["n"]) for r in rows]


def reports(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[SupervisionReport]:
    return SupervisionReport.objects.filter(congress_id__in=congress_ids, at__date__gte=start, at__date__lte=end)


FIGURES: tuple[Figure, ...] = (
    Figure("budget_warnings", "预算预警发出", raised),
    *(Figure(f"budget_warnings_{r.code}", f"预警：{r.label}", by_rule(r.code)) for r in RULES),
    Figure("budget_warning_units", "被预警部门", units_warned, unit="个"),
    Figure("budget_warning_units_repeated", "重复预警部门（两次以上）", units_repeated, unit="个"),
    Figure("budget_warnings_closed", "预算预警销号", closed),
    Figure("budget_warnings_closed_on_time", "预算预警按期说明并销号", closed_on_time),
    Figure("budget_reports", "专项监督报告", reports, unit="份"),
)
