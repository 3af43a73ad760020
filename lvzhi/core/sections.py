"""Sections: a part of the platform that is not a case kind (legislation, meetings…) declares
here what a case kind declares in `CaseKind`: its nav entries, its demo builder and its daily sweep.

The nav (lvzhi.core.context_processors) and the demo (lvzhi.demo.builder) iterate the kinds and
then the sections, so a new section is declared in its app's `ready()`, never wired through them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_SECTIONS: dict[str, Section] = {}


@dataclass(frozen=True)
class Section:
    code: str
    label: str
    nav: tuple[Any, ...] = ()  # lvzhi.cases.kinds.NavEntry
    demo: Callable[[Any], None] | None = None  # demo(builder), after every kind's demo
    # sweep(today) -> what it did, in Chinese: run by the daily `sweep_deadlines` after the cases'
    sweep: Callable[[Any], str] | None = None
    summary: Callable[[Any], str] | None = None  # summary(congress): the seed's one line of counts


def register_section(section: Section) -> Section:
    _SECTIONS[section.code] = section
    return section


def all_sections() -> list[Section]:
    return list(_SECTIONS.values())
