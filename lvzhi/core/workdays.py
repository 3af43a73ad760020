"""Working days on the official Chinese calendar, with 调休 and a congress's own overrides.

`chinesecalendar` carries the State Council's yearly holiday notices; for a year it does not
know yet we fall back to Monday–Friday, and the congress's DayOverride rows (entered when the
notice is published) take precedence over both. Changing an override recomputes open deadlines
(see lvzhi.cases.deadlines.recompute_open_deadlines).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)
def national_is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # year not yet published: weekdays only
        return day.weekday() < 5


class WorkCalendar:
    """Answers "is this a working day?" for one congress (overrides loaded once)."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    @classmethod
    def for_congress(cls, congress_id: int | None) -> WorkCalendar:
        if congress_id is None:
            return cls()
        from lvzhi.core.models import DayOverride

        rows = DayOverride.objects.filter(congress_id=congress_id).values_list("day", "is_workday")
        return cls(dict(rows))

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return national_is_workday(day)

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (start itself is day 0, as 'within 5 working days')."""
        day = start
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months as the statutes count them: 3-31 + 1 month = 4-30."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
