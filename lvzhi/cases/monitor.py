"""The deadline monitor's reads: open duties per organisation, the overdue list, its Excel.

Yellow and red are the lights every page shows (lvzhi.cases.deadlines.deadline_light: each
clock's own warning window, 超期 counted in working days for a working-day clock). A million
cases carry tens of thousands of open duties, so they are counted in SQL, never loaded: red is
`due_on < today`, and yellow, for each clock, `today <= due_on <= the last day deadline_light
calls yellow` (found by asking deadline_light itself, so the counts and the lights agree).
Every read is written with the open-deadline partial index's own condition (met_at IS NULL
AND NOT cancelled), so the planner reads only open clocks; only the listed rows (at most
OVERDUE_LIMIT) are loaded with their case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Value
from django.utils import timezone

from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.deadlines import DeadlineLight, Light, Lights, deadline_light
from lvzhi.cases.models import Deadline
from lvzhi.core.models import Organization
from lvzhi.documents import excel

OVERDUE_LIMIT = 200  # the page (and one 催办 batch, BATCH_MAX); the Excel has every one
LOOKAHEAD_DAYS = 400  # no warning window is longer than a year


@dataclass
class UnitLoad:
    unit: Organization
    open: int
    red: int
    yellow: int


@dataclass
class OverdueRow:
    deadline: Deadline
    status: DeadlineLight
    may_urge: bool = False  # set by the page: whether this user is offered 催办 on the case

    def __getattr__(self, name: str):
        # Reads like the Deadline it wraps (pk, case, due_on, kind …) for older callers.
        if name == "deadline":
            raise AttributeError(name)
        return getattr(self.deadline, name)

    @property
    def unit_name(self) -> str:
        d = self.deadline
        return d.assignment.unit.name if d.assignment_id else "办理机构"


def open_duties(congress_id: int) -> QuerySet[Deadline]:
    """The congress's open duty clocks (the partial index's WHERE, then the congress)."""
    return Deadline.objects.filter(met_at__isnull=True, cancelled=False, kind__in=duty_codes(),
                                   case__congress_id=congress_id)


def yellow_until(lights: Lights, congress_id: int) -> dict[str, dt.date]:
    """Per duty clock, the last due date that deadline_light shows yellow today (none when the
    clock has no warning window): yellow is then exactly today <= due_on <= that date."""
    rules, cal, today = lights.rules(congress_id), lights.calendar(congress_id), lights.today
    out: dict[str, dt.date] = {}
    for code in duty_codes():
        probe = Deadline(kind=code, due_on=today)
        last = None
        for _ in range(LOOKAHEAD_DAYS):
            if deadline_light(probe, today, rules, cal).light != Light.YELLOW:
                break  # days left only grow with the due date: no yellow after a green
            last = probe.due_on
            probe.due_on += dt.timedelta(days=1)
        if last is not None:
            out[code] = last
    return out


def unit_loads(congress_id: int, lights: Lights) -> list[UnitLoad]:
    """Open duties per answering unit (all / red / yellow), counted in one query."""
    today = lights.today
    windows = yellow_until(lights, congress_id)
    yellow = Q()
    for code, last in windows.items():
        yellow |= Q(kind=code, due_on__gte=today, due_on__lte=last)
    # The unit's congress, not the case's: a join with ~100 units instead of every case (a
    # unit only holds assignments of its own congress's cases). 交办 is the office's own clock.
    counts = (Deadline.objects.filter(met_at__isnull=True, cancelled=False, kind__in=duty_codes(),
                                      assignment__unit__congress_id=congress_id)
              .values("assignment__unit_id")
              .annotate(n=Count("pk"), red=Count("pk", filter=Q(due_on__lt=today)),
                        yellow=Count("pk", filter=yellow) if windows else Value(0))
              .order_by())
    rows = list(counts)
    units = Organization.objects.filter(pk__in=[r["assignment__unit_id"] for r in rows]).in_bulk()
    return sorted((UnitLoad(units[r["assignment__unit_id"]], r["n"], r["red"], r["yellow"]) for r in rows),
                  key=lambda x: (-x.red, -x.yellow, -x.open, x.unit.name))


def overdue_duties(congress_id: int, today: dt.date) -> QuerySet[Deadline]:
    """The overdue clocks, the longest overdue (earliest due) first."""
    return (open_duties(congress_id).filter(due_on__lt=today)
            .select_related("case", "assignment__unit").order_by("due_on", "id"))


def overdue_count(congress_id: int, today: dt.date, loads: list[UnitLoad]) -> int:
    """Every overdue duty: the units' (their red, counted already) and the office's own."""
    office = open_duties(congress_id).filter(assignment__isnull=True, due_on__lt=today).count()
    return sum(x.red for x in loads) + office


def deadline_monitor(congress_id: int, today: dt.date | None = None
                     ) -> tuple[list[UnitLoad], list[OverdueRow]]:
    """Open duties per organisation (red / yellow / all) and the first OVERDUE_LIMIT overdue
    clocks, in four queries plus the congress's rules and calendar, whatever the number of
    open clocks."""
    lights = Lights(today or timezone.localdate())
    # who may 催办 a row asks the case's relations (assignments): one query for the page's rows
    listed = overdue_duties(congress_id, lights.today).prefetch_related("case__assignments")[:OVERDUE_LIMIT]
    overdue = [OverdueRow(d, lights.of(d, congress_id)) for d in listed]
    return unit_loads(congress_id, lights), overdue


def all_overdue(congress_id: int, today: dt.date) -> Iterator[OverdueRow]:
    """Every overdue clock, streamed in chunks (the Excel export: not capped like the page)."""
    lights = Lights(today)
    for d in overdue_duties(congress_id, today).iterator(chunk_size=2000):
        yield OverdueRow(d, lights.of(d, congress_id))


OVERDUE_COLUMNS = [
    excel.Column("案号", key="number"),
    excel.Column("标题", key="title"),
    excel.Column("承办单位", key="unit"),
    excel.Column("期限", key="clock"),
    excel.Column("截止日期", key="due_on"),
    excel.Column("超期", key="over"),
    excel.Column("超期天数", key="days"),
    excel.Column("计算单位", key="unit_word"),
]


def overdue_workbook(congress_name: str, rows: Iterable[OverdueRow], today: dt.date) -> bytes:
    """The overdue list as .xlsx, as the page shows it (Chinese headers, real dates)."""
    wb = excel.Workbook()
    sheet = wb.sheet("超期事项", OVERDUE_COLUMNS, freeze_columns=2,
                     title=f"{congress_name} 超期事项（{today.year}年{today.month}月{today.day}日导出）")
    n = 0
    for r in rows:
        n += 1
        sheet.row({"number": r.case.number or "未编号", "title": r.case.title, "unit": r.unit_name,
                   "clock": r.status.label, "due_on": r.deadline.due_on,
                   "over": f"超期{r.status.days}{r.status.unit_word}", "days": r.status.days,
                   "unit_word": r.status.unit_word.removeprefix("个")})
    sheet.note(f"共{n}项超期。")
    return wb.to_bytes()


def overdue_filename(today: dt.date) -> str:
    return f"超期事项_{today:%Y%m%d}.xlsx"
