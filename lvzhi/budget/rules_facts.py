"""The figures the rules read, aggregated in the database once per run and shared by the rules.

Every query reads current revisions only (`.current()`) of one congress and budget year. The
approved budget is the `budget` dataset (the `draft` one is the 预算草案, never a basis for
execution). Sums come back as {group tuple: Decimal}; a run over 200,000 execution rows is a
handful of GROUP BY queries, not a loop over rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from lvzhi.budget.models import Adjustment, BudgetLine, BudgetUnit, Dataset, ExecutionLine, Flow
from lvzhi.core.models import Congress

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return part * HUNDRED / whole if whole else ZERO


def one(value: Decimal) -> str:
    """A percentage or points as a title shows it: one decimal."""
    return f"{value.quantize(Decimal('0.1'))}"


def short(value: Decimal) -> str:
    """Two decimals at most, no trailing zeros: 0.9, 1, 2.75."""
    text = f"{value.quantize(Decimal('0.01'))}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def two(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


class Facts:
    """One congress's one year, as the rules see it; each aggregate is computed at most once."""

    def __init__(self, congress: Congress, year: int, today: dt.date) -> None:
        self.congress, self.year, self.today = congress, year, today
        self._cache: dict[Any, Any] = {}

    def _cached(self, key: Any, compute: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def units(self) -> dict[int, BudgetUnit]:
        return self._cached("units", lambda: {u.pk: u for u in BudgetUnit.objects.filter(
            congress=self.congress).only("code", "name")})

    def budget_lines(self) -> QuerySet[BudgetLine]:
        return BudgetLine.objects.current().filter(congress=self.congress, year=self.year,
                                                   imp__dataset=Dataset.BUDGET)

    def execution(self, year: int | None = None) -> QuerySet[ExecutionLine]:
        return ExecutionLine.objects.current().filter(congress=self.congress, year=year or self.year,
                                                      flow=Flow.EXPENDITURE)

    @property
    def latest_month(self) -> int:
        """The latest month of this year's expenditure imported; 0 when none."""
        return self._cached("latest", lambda: self.execution().aggregate(m=Max("month"))["m"] or 0)

    @staticmethod
    def _sum(qs: QuerySet, fields: tuple[str, ...], **sums: Any) -> dict[tuple, Any]:
        if not fields:  # the whole: values() without fields would group by every column
            total = qs.aggregate(**sums)
            return {(): total[next(iter(sums))] or ZERO} if len(sums) == 1 else {(): total}
        rows = qs.values(*fields).annotate(**sums).order_by()
        if len(sums) == 1:
            name = next(iter(sums))
            return {tuple(r[f] for f in fields): r[name] or ZERO for r in rows}
        return {tuple(r[f] for f in fields): {n: r[n] or ZERO for n in sums} for r in rows}

    def budget(self, fields: tuple[str, ...], where: Q | None = None) -> dict[tuple, Decimal]:
        def compute() -> dict[tuple, Decimal]:
            qs = self.budget_lines().filter(where) if where is not None else self.budget_lines()
            return self._sum(qs, fields, s=Sum("amount"))
        return self._cached(("budget", fields, str(where)), compute)

    def adjustments(self, fields: tuple[str, ...], where: Q | None = None) -> dict[tuple, Decimal]:
        def compute() -> dict[tuple, Decimal]:
            qs = Adjustment.objects.current().filter(congress=self.congress, year=self.year)
            return self._sum(qs.filter(where) if where is not None else qs, fields, s=Sum("amount"))
        return self._cached(("adjust", fields, str(where)), compute)

    def spent(self, fields: tuple[str, ...], upto: int, where: Q | None = None,
              year: int | None = None) -> dict[tuple, Decimal]:
        """Cumulative expenditure of months 1..upto, by `fields`, rows without a department left out."""
        def compute() -> dict[tuple, Decimal]:
            qs = self.execution(year).filter(month__lte=upto, unit__isnull=False)
            return self._sum(qs.filter(where) if where is not None else qs, fields, s=Sum("amount"))
        return self._cached(("spent", fields, upto, str(where), year), compute)

    def project_names(self) -> dict[tuple, str]:
        def compute() -> dict[tuple, str]:
            rows = (self.budget_lines().exclude(project_code="").values("unit_id", "project_code")
                    .annotate(n=Max("project_name")).order_by())
            return {(r["unit_id"], r["project_code"]): r["n"] or r["project_code"] for r in rows}
        return self._cached("project_names", compute)
