"""The annual figures every kind registers (CaseKind.figures), and those of capabilities whose
records are not cases (lvzhi.reports.registry), computed from the records; each figure keeps the
queryset of the records behind it, so every number can be traced to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from lvzhi.cases.kinds import CaseKind, Figure, all_kinds, get_kind
from lvzhi.reports.registry import FigureGroup, figure_groups, get_group


@dataclass
class FigureValue:
    kind: CaseKind | FigureGroup
    figure: Figure
    count: int


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def owner(code: str) -> CaseKind | FigureGroup:
    """The kind or the registered group of this code (LookupError when neither)."""
    group = get_group(code)
    if group is not None:
        return group
    return get_kind(code)


def find_figure(owner_code: str, code: str) -> tuple[CaseKind | FigureGroup, Figure]:
    o = owner(owner_code)
    for f in o.figures:
        if f.code == code:
            return o, f
    raise LookupError(f"{o.label}没有名为 {code} 的统计数字")


def figure_cases(kind_code: str, code: str, congress_ids: list[int], year: int) -> QuerySet:
    return find_figure(kind_code, code)[1].cases(congress_ids, *year_bounds(year))


def annual_figures(congress_ids: list[int], year: int) -> list[tuple[CaseKind | FigureGroup, list[FigureValue]]]:
    """Every registered figure of every kind, then of every other capability, for the year."""
    start, end = year_bounds(year)
    out = []
    for owner_ in [*all_kinds(), *figure_groups()]:
        if owner_.figures:
            out.append((owner_, [FigureValue(owner_, f, f.cases(congress_ids, start, end).count())
                                 for f in owner_.figures]))
    return out
