"""The deadline monitor's reads: open duties per organisation, the overdue list, its Excel.

Yellow and red are the lights every page shows (lvzhi.cases.deadlines.deadline_light: each
clock's own warning window, 超期 counted in working days for a working-day clock), so the
counts are made in Python over the congress's open duties — a city has a few thousand at most.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.deadlines import DeadlineLight, Light, Lights
from lvzhi.cases.models import Deadline
from lvzhi.core.models import Organization
from lvzhi.documents import excel

OVERDUE_LIMIT = 500


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


def deadline_monitor(congress_id: int, today: dt.date | None = None
                     ) -> tuple[list[UnitLoad], list[OverdueRow]]:
    """Open duties per organisation (red / yellow / all) and the overdue list, the longest
    overdue (earliest due) first, in three queries plus the congress's rules and calendar."""
    lights = Lights(today or timezone.localdate())
    duties = (Deadline.objects.filter(case__congress_id=congress_id, met_at__isnull=True,
                                      cancelled=False, kind__in=duty_codes())
              .select_related("case", "assignment__unit").order_by("due_on", "id")
              # who may 催办 a row asks the case's relations (assignments): one query, not one a row
              .prefetch_related("case__assignments"))
    open_, red, yellow = Counter(), Counter(), Counter()
    overdue: list[OverdueRow] = []
    for d in duties:
        status = lights.of(d, congress_id)
        if status.light == Light.RED:
            overdue.append(OverdueRow(d, status))
        if not d.assignment_id:  # the office's own clock (交办): no unit to count it for
            continue
        unit = d.assignment.unit_id
        open_[unit] += 1
        red[unit] += status.light == Light.RED
        yellow[unit] += status.light == Light.YELLOW
    units = Organization.objects.filter(pk__in=list(open_)).in_bulk()
    loads = sorted((UnitLoad(units[u], n, red[u], yellow[u]) for u, n in open_.items()),
                   key=lambda x: (-x.red, -x.yellow, -x.open, x.unit.name))
    return loads, overdue[:OVERDUE_LIMIT]


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


def overdue_workbook(congress_name: str, rows: list[OverdueRow], today: dt.date) -> bytes:
    """The overdue list as .xlsx, as the page shows it (Chinese headers, real dates)."""
    wb = excel.Workbook()
    sheet = wb.sheet("超期事项", OVERDUE_COLUMNS, freeze_columns=2,
                     title=f"{congress_name} 超期事项（{today.year}年{today.month}月{today.day}日导出）")
    for r in rows:
        sheet.row({"number": r.case.number or "未编号", "title": r.case.title, "unit": r.unit_name,
                   "clock": r.status.label, "due_on": r.deadline.due_on,
                   "over": f"超期{r.status.days}{r.status.unit_word}", "days": r.status.days,
                   "unit_word": r.status.unit_word.removeprefix("个")})
    sheet.note(f"共{len(rows)}项超期。")
    return wb.to_bytes()


def overdue_filename(today: dt.date) -> str:
    return f"超期事项_{today:%Y%m%d}.xlsx"
