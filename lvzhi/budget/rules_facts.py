"""The figures the rules read, aggregated in the database once per run and shared by the rules.

Every query reads current revisions only (the ids of the current imports, the same rows as
`.current()` without its join) of one congress and budget year. The
approved budget is the `budget` dataset (the `draft` one is the 预算草案, never a basis for
execution). Sums come back as {group tuple: Decimal}; a run over 200,000 execution rows is a
handful of GROUP BY queries, not a loop over rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from lvzhi.budget.models import Adjustment, BudgetImport, BudgetLine, BudgetUnit, Dataset, ExecutionLine, Flow
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


Row = tuple[int, str, str, Decimal, Decimal]  # unit_id, project, function code, sum, December


class Facts:
    """One congress's one year, as the rules see it; each aggregate is computed at most once.

    Execution is read once per cut-off month, grouped by (department, project, function code) in
    the database: tens of thousands of groups out of 200,000 rows, which the rules then roll up in
    Python by the scope each needs."""

    def __init__(self, congress: Congress, year: int, today: dt.date) -> None:
        self.congress, self.year, self.today = congress, year, today
        self._cache: dict[Any, Any] = {}

    def _cached(self, key: Any, compute: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @cached_property
    def units(self) -> dict[int, BudgetUnit]:
        return {u.pk: u for u in BudgetUnit.objects.filter(congress=self.congress).only("code", "name")}

    def current_imports(self, dataset: str, year: int | None = None) -> list[int]:
        """The ids of the current revisions: filtering the facts by them spares a join per query."""
        year = year or self.year
        return self._cached(("imports", dataset, year), lambda: list(
            BudgetImport.objects.current(self.congress.pk, dataset).filter(year=year).values_list("pk", flat=True)))

    def budget_lines(self) -> QuerySet[BudgetLine]:
        return BudgetLine.objects.filter(imp_id__in=self.current_imports(Dataset.BUDGET), congress=self.congress,
                                         year=self.year)

    def execution(self, year: int | None = None) -> QuerySet[ExecutionLine]:
        return ExecutionLine.objects.filter(imp_id__in=self.current_imports(Dataset.EXECUTION, year),
                                            congress=self.congress, year=year or self.year, flow=Flow.EXPENDITURE)

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
            qs = Adjustment.objects.filter(imp_id__in=self.current_imports(Dataset.ADJUSTMENT),
                                           congress=self.congress, year=self.year)
            return self._sum(qs.filter(where) if where is not None else qs, fields, s=Sum("amount"))
        return self._cached(("adjust", fields, str(where)), compute)

    def rows(self, upto: int) -> list[Row]:
        """This year's expenditure of months 1..upto (and of December) by department, project and
        codes; rows without a department are left out."""
        def compute() -> list[Row]:
            qs = (self.execution().filter(unit__isnull=False, month__lte=upto)
                  .values_list("unit_id", "project_code", "code")
                  .annotate(s=Sum("amount"), dec=Sum("amount", filter=Q(month=12))).order_by())
            return [(u, p, c, s or ZERO, d or ZERO) for u, p, c, s, d in qs]
        return self._cached(("rows", upto), compute)

    def spent(self, scope: str, upto: int, *, december: bool = False) -> dict[tuple, Decimal]:
        """Cumulative expenditure of months 1..upto (or December's alone) rolled up by `scope`:
        "unit" (unit_id,), "project" (unit_id, project_code; lines without a project left out),
        "function" (unit_id, function code)."""
        def compute() -> dict[tuple, Decimal]:
            out: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
            col = 4 if december else 3
            for r in self.rows(upto):
                if scope == "unit":
                    out[(r[0],)] += r[col]
                elif scope == "project":
                    if r[1]:
                        out[(r[0], r[1])] += r[col]
                else:
                    out[(r[0], r[2])] += r[col]
            return dict(out)
        return self._cached(("spent", scope, upto, december), compute)

    def spent_where(self, upto: int, where: Q, year: int | None = None) -> dict[tuple, Decimal]:
        """A year's expenditure of months 1..upto by department, for the rows `where` picks (三公经费)."""
        def compute() -> dict[tuple, Decimal]:
            qs = self.execution(year).filter(where, month__lte=upto, unit__isnull=False)
            return self._sum(qs, ("unit_id",), s=Sum("amount"))
        return self._cached(("where", upto, str(where), year), compute)

    def project_names(self) -> dict[tuple, str]:
        def compute() -> dict[tuple, str]:
            rows = (self.budget_lines().exclude(project_code="").values("unit_id", "project_code")
                    .annotate(n=Max("project_name")).order_by())
            return {(r["unit_id"], r["project_code"]): r["n"] or r["project_code"] for r in rows}
        return self._cached("project_names", compute)
