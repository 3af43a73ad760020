"""The annual figures every kind registers (CaseKind.figures), computed from the records; each
figure keeps the queryset of the cases behind it, so every number can be traced to its cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from lvzhi.cases.kinds import CaseKind, Figure, all_kinds, get_kind
from lvzhi.cases.models import Case


@dataclass
class FigureValue:
    kind: CaseKind
    figure: Figure
    count: int


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def figure_cases(kind_code: str, code: str, congress_ids: list[int], year: int) -> QuerySet[Case]:
    kind = get_kind(kind_code)
    for f in kind.figures:
        if f.code == code:
            return f.cases(congress_ids, *year_bounds(year))
    raise LookupError(f"{kind.label}没有名为 {code} 的统计数字")


def annual_figures(congress_ids: list[int], year: int) -> list[tuple[CaseKind, list[FigureValue]]]:
    """Every registered figure of every kind for the year, in registry order."""
    start, end = year_bounds(year)
    out = []
    for kind in all_kinds():
        if kind.figures:
            out.append((kind, [FigureValue(kind, f, f.cases(congress_ids, start, end).count())
                               for f in kind.figures]))
    return out
