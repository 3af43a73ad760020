"""The sources of a deputy's performance record (履职档案, 代表法 第五十八条).

Each app that holds something a deputy did registers a `DutySource` from its AppConfig.ready():
suggestions led and co-signed, evaluations, inspections, comments on drafts, votes, citizens'
requests answered, hotline orders followed, petitions, mediations, trainings, and the duty
activities of this app. The record (lvzhi.deputies.performance) asks every source for a year's
entries and never names an app; each entry links to the record it counts, so every line of a
履职档案 and every figure built on it can be traced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Entry:
    """One line of a deputy's record."""

    deputy_id: int
    on: dt.date
    source: str  # the DutySource code
    title: str  # in Chinese: what the deputy did ("领衔提出建议《……》")
    url: str = ""  # the record behind it ("" when the reader may not open it)
    hours: Decimal = Decimal(0)
    # Missed without leave (an attend_meeting activity marked 缺席): the rules count these.
    absent: bool = False


@dataclass(frozen=True)
class DutySource:
    code: str
    label: str  # the heading of the record's section ("领衔和联名提出建议")
    # entries(deputy_ids, start, end) -> entries dated start <= on <= end, for those deputies
    entries: Callable[[Iterable[int], dt.date, dt.date], Iterable[Entry]]
    order: int = 100  # sections of the record are listed by it
    # Whether the public deputy page shows this section (代表法 第五十八条: 公示履职信息).
    public: bool = True


_SOURCES: dict[str, DutySource] = {}


def register_source(source: DutySource) -> DutySource:
    _SOURCES[source.code] = source
    return source


def all_sources() -> list[DutySource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.code))


def get_source(code: str) -> DutySource | None:
    return _SOURCES.get(code)
