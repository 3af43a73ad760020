"""A deputy's 履职档案 for a year, computed from every registered DutySource (lvzhi.deputies.record),
and the performance rules that flag deputies below the congress's minimum (代表法 第五十八条;
the 履职管理办法's 履职报告 and exit mechanism, followed up by the 代表工委).

Nothing is stored: the record is read from the records it counts, so it is never out of date
and each line links to its record. The rules' thresholds are the congress's rule-set values
(RuleSet.params), with the defaults below.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from lvzhi.cases.deadlines import rules_for
from lvzhi.deputies.models import Deputy
from lvzhi.deputies.record import DutySource, Entry, all_sources

# RuleSet.params keys and their defaults.
MIN_ENTRIES = ("performance_min_entries", 2)  # 北京 实施办法: 选民接待日、小组活动 每年不少于两次
MAX_ABSENCES = ("performance_max_absences", 1)  # 列席/出席 missed without leave, more than this flags


@dataclass
class Section:
    source: DutySource
    entries: list[Entry] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((e.hours for e in self.entries), Decimal(0))

    @property
    def done(self) -> int:
        """Lines that are something the deputy did (a meeting missed is not)."""
        return sum(1 for e in self.entries if not e.absent)


@dataclass
class Record:
    deputy: Deputy
    year: int
    sections: list[Section]
    flags: list[str] = field(default_factory=list)

    @property
    def absences(self) -> int:
        return sum(1 for s in self.sections for e in s.entries if e.absent)

    @property
    def hours(self) -> Decimal:
        return sum((s.hours for s in self.sections), Decimal(0))

    def counted(self) -> int:
        """The lines that are something the deputy did (a meeting missed is not)."""
        return sum(s.done for s in self.sections)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _thresholds(congress_id: int) -> tuple[int, int]:
    params = rules_for(congress_id).params or {}
    return int(params.get(MIN_ENTRIES[0], MIN_ENTRIES[1])), int(params.get(MAX_ABSENCES[0], MAX_ABSENCES[1]))


def records(deputies: Iterable[Deputy], year: int, *, public: bool = False) -> list[Record]:
    """The records of these deputies (one congress), each source asked once for all of them."""
    deputies = list(deputies)
    if not deputies:
        return []
    start, end = year_bounds(year)
    ids = [d.pk for d in deputies]
    sources = [s for s in all_sources() if s.public or not public]
    by: dict[tuple[int, str], list[Entry]] = defaultdict(list)
    for s in sources:
        for e in s.entries(ids, start, end):
            by[(e.deputy_id, s.code)].append(e)
    min_entries, max_absences = _thresholds(deputies[0].congress_id)
    out = []
    for d in deputies:
        sections = [Section(s, sorted(by.get((d.pk, s.code), []), key=lambda e: e.on)) for s in sources]
        r = Record(d, year, sections)
        if not public:
            r.flags = flags_of(r, min_entries, max_absences)
        out.append(r)
    return out


def record(deputy: Deputy, year: int, *, public: bool = False) -> Record:
    return records([deputy], year, public=public)[0]


def flags_of(r: Record, min_entries: int, max_absences: int) -> list[str]:
    """What the 代表工委 follows up: no duty at all for a year, fewer than the minimum, or
    meetings missed without leave beyond what the rules allow."""
    flags = []
    n = r.counted()
    if n == 0:
        flags.append("全年无履职记录")
    elif n < min_entries:
        flags.append(f"全年履职记录{n}项，少于{min_entries}项")
    if r.absences > max_absences:
        flags.append(f"无故缺席会议{r.absences}次")
    return flags
