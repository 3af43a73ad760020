"""Figures of capabilities whose records are not cases (supervision topics, 审议意见, votes…).

A case kind registers its figures on its CaseKind; any other app registers a group here from
its AppConfig.ready(): `register_figures("supervision", "监督工作", (Figure(...), ...))`. A
figure's `cases(congress_ids, start, end)` then returns a QuerySet of the app's own records;
the annual page lists each record by its str() and links it by get_absolute_url() when the
model has one, so every number still traces to its records. The reports app imports no
capability: they come to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.cases.kinds import Figure


@dataclass(frozen=True)
class FigureGroup:
    code: str
    label: str
    figures: tuple[Figure, ...]


_GROUPS: dict[str, FigureGroup] = {}


def register_figures(code: str, label: str, figures: tuple[Figure, ...]) -> FigureGroup:
    group = FigureGroup(code, label, tuple(figures))
    _GROUPS[code] = group
    return group


def figure_groups() -> list[FigureGroup]:
    return list(_GROUPS.values())


def get_group(code: str) -> FigureGroup | None:
    return _GROUPS.get(code)
