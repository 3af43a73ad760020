"""The case list's filters, search and sorting, shared by the pages and the API."""


from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as Choose
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields import IntegerField
from django.db.models.functions import NullIf
from django.utils import timezone

from lvzhi.cases.clocks import duty_codes, shown_codes
from lvzhi.cases.kinds import all_state_choices
from lvzhi.cases.models import (
    Assignment,
    AssignmentState,
    Case,
    Cosign,
    CosignState,
    Deadline,
)
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import ID_MAX
from lvzhi.core.models import User

# The list's sortable columns: URL/API key → label (the page's header, the API's documentation).
SORT_LABELS: dict[str, str] = {
    "number": "案号", "title": "标题", "deputy": "提出人", "state": "状态", "unit": "承办单位",
    "due": "截止", "submitted": "提交时间",
}
SORT_CHOICES: list[str] = [s for k in SORT_LABELS for s in (k, f"-{k}")]
TRUE_WORDS = {"1", "true", "on", "yes"}
YEARS = (1900, 2100)  # the dates a filter takes
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass
class CaseFilters:
    """The case list's filters, shared by the pages and the API (which validates them first)."""

    kind: str = ""
    states: list[str] = field(default_factory=list)
    category: str = ""
    unit: int | None = None
    q: str = ""
    key: bool | None = None
    session: int | None = None
    deputy: str = ""  # an id (digits) or a part of a name; the lead deputy or a confirmed co-signer
    delegation: int | None = None  # the lead deputy's delegation
    overdue: bool = False  # an open duty clock past its due date
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    sort: str = ""  # one of SORT_CHOICES; "" = newest first
    # What the pages left out, in words for the user: an id that is not a number or too large
    # for any id, a text with a NUL, a date that does not exist, an unknown sort (the API
    # refuses the same with a 400, CaseFilterSerializer).
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_querydict(cls, data) -> CaseFilters:
        ignored: list[str] = []

        def as_id(name: str, label: str) -> int | None:
            v = (data.get(name) or "").strip()
            if not v:
                return None
            # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
            if v.isascii() and v.isdigit() and 0 < int(v) <= ID_MAX:
                return int(v)
            ignored.append(f"{label}编号“{v[:20]}”无效，已忽略该筛选条件")
            return None

        def text(name: str, label: str) -> str:
            v = data.get(name) or ""
            if "\x00" in v:  # no stored text holds one, and PostgreSQL refuses to compare it
                ignored.append(f"{label}含有无效字符，已忽略该筛选条件")
                return ""
            return v

        def as_date(name: str, label: str) -> dt.date | None:
            v = text(name, label).strip()
            if not v:
                return None
            try:  # YYYY-MM-DD only (fromisoformat also takes 20260301 and week dates)
                if ISO_DATE.fullmatch(v):
                    day = dt.date.fromisoformat(v)
                    # a day near year 1 or 9999 overflows when made a local-time bound
                    if YEARS[0] <= day.year <= YEARS[1]:
                        return day
                    ignored.append(f"{label}日期“{v}”超出范围（{YEARS[0]}—{YEARS[1]}年），已忽略")
                    return None
            except ValueError:
                pass
            ignored.append(f"{label}日期“{v[:20]}”无效，已忽略")
            return None

        def date_range(prefix: str, label: str) -> tuple[dt.date | None, dt.date | None]:
            start, end = as_date(f"{prefix}_from", f"{label}起始"), as_date(f"{prefix}_to", f"{label}截止")
            if start and end and start > end:
                ignored.append(f"{label}日期起始（{start:%Y-%m-%d}）晚于截止（{end:%Y-%m-%d}），已忽略该日期范围")
                return None, None
            return start, end

        sort = text("sort", "排序").strip()
        if sort and sort not in SORT_CHOICES:
            ignored.append(f"排序“{sort[:20]}”无效，已按默认顺序排列")
            sort = ""
        deputy = text("deputy", "代表").strip()
        submitted = date_range("submitted", "提交")
        registered = date_range("registered", "立案")
        return cls(kind=text("kind", "类型"),
                   states=[s for s in text("state", "状态").split(",") if s],
                   category=text("category", "类别"), unit=as_id("unit", "承办单位"),
                   q=text("q", "检索文字").strip(), key=True if data.get("key") in TRUE_WORDS else None,
                   session=as_id("session", "会议"), deputy=deputy,
                   delegation=as_id("delegation", "代表团"),
                   overdue=(data.get("overdue") or "") in TRUE_WORDS,
                   submitted_from=submitted[0], submitted_to=submitted[1],
                   registered_from=registered[0], registered_to=registered[1],
                   sort=sort, ignored=ignored)

    @property
    def any(self) -> bool:
        """Whether anything narrows the list (the page then says so next to the count)."""
        return bool(self.kind or self.states or self.category or self.unit or self.q or self.key
                    or self.session or self.deputy or self.delegation or self.overdue
                    or self.submitted_from or self.submitted_to or self.registered_from
                    or self.registered_to)


def _day_start(d: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d, dt.time.min))


def _between(qs: QuerySet[Case], column: str, start: dt.date | None, end: dt.date | None) -> QuerySet[Case]:
    # Local calendar days, as the page shows them: [start 00:00, end+1 00:00).
    if start:
        qs = qs.filter(**{f"{column}__gte": _day_start(start)})
    if end:
        qs = qs.filter(**{f"{column}__lt": _day_start(end + dt.timedelta(days=1))})
    return qs


def _deputy_condition(value: str) -> Q:
    confirmed = Cosign.objects.filter(case=OuterRef("pk"), state=CosignState.CONFIRMED)
    if value.isascii() and value.isdigit() and 0 < int(value) <= ID_MAX:
        return Q(lead_deputy_id=int(value)) | Q(Exists(confirmed.filter(deputy_id=int(value))))
    return Q(lead_deputy__name__icontains=value) | Q(Exists(confirmed.filter(deputy__name__icontains=value)))


def narrowed_cases(user: User, f: CaseFilters, *, today: dt.date | None = None) -> QuerySet[Case]:
    """The cases the filters leave of what the user may see, in no particular order (the list
    pages them through `list_order`; `filtered_cases` gives them sorted)."""
    qs = visible_cases(user)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.states:
        qs = qs.filter(state__in=f.states)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.unit:  # the unit's own live assignment, whatever happened to other units'
        qs = qs.filter(Exists(Assignment.objects.filter(case=OuterRef("pk"), unit_id=f.unit)
                              .exclude(state=AssignmentState.WITHDRAWN)))
    if f.q:
        from lvzhi.search.query import search_condition  # the search app builds on the engine

        qs = qs.filter(search_condition(f.q))
    if f.key is not None:
        qs = qs.filter(is_key=f.key)
    if f.session:
        qs = qs.filter(session_id=f.session)
    if f.deputy:
        qs = qs.filter(_deputy_condition(f.deputy))
    if f.delegation:
        qs = qs.filter(lead_deputy__delegation_id=f.delegation)
    if f.overdue:
        today = today or timezone.localdate()
        qs = qs.filter(Exists(Deadline.objects.filter(
            case=OuterRef("pk"), met_at__isnull=True, cancelled=False, kind__in=duty_codes(),
            due_on__lt=today)))
    qs = _between(qs, "submitted_at", f.submitted_from, f.submitted_to)
    return _between(qs, "registered_at", f.registered_from, f.registered_to)


def filtered_cases(user: User, f: CaseFilters, *, today: dt.date | None = None) -> QuerySet[Case]:
    """Every matching case in the list's order, in one queryset (the ledger export, tests)."""
    return sorted_cases(narrowed_cases(user, f, today=today), f.sort)


def sorted_cases(qs: QuerySet[Case], sort: str) -> QuerySet[Case]:
    """Order by a list column, ascending or descending ("-"), empty values last, ties by id
    (stable across pages)."""
    key = sort.lstrip("-")
    if key not in SORT_LABELS:
        return qs.order_by("-id")
    desc = sort.startswith("-")
    if key == "unit":  # the first answering (lead or split) unit, as the row shows it
        qs = qs.annotate(sort_value=Subquery(
            Assignment.objects.filter(case=OuterRef("pk"), role__in=["lead", "split"])
            .exclude(state=AssignmentState.WITHDRAWN).order_by("role", "id").values("unit__name")[:1]))
    elif key == "due":  # the earliest running clock, as the row's 截止 shows it
        qs = qs.annotate(sort_value=Subquery(
            Deadline.objects.filter(case=OuterRef("pk"), met_at__isnull=True, cancelled=False,
                                    kind__in=shown_codes()).order_by("due_on").values("due_on")[:1]))
    elif key == "state":  # the states in their declared order, not their codes' spelling
        qs = qs.annotate(sort_value=Choose(
            *[When(state=code, then=Value(i)) for i, (code, _) in enumerate(all_state_choices())],
            default=Value(999), output_field=IntegerField()))
    else:
        column = {"number": "number", "title": "title", "deputy": "lead_deputy__name",
                  "submitted": "submitted_at"}[key]
        # an unregistered case's empty number sorts with the missing values, last
        qs = qs.annotate(sort_value=NullIf(F(column), Value("")) if key == "number" else F(column))
    value = F("sort_value").desc(nulls_last=True) if desc else F("sort_value").asc(nulls_last=True)
    return qs.order_by(value, "-id" if desc else "id")


# ------------------------------------------------------------------------------ keyset order


@dataclass(frozen=True)
class Segment:
    """One run of a list's order. A sort puts the rows that have a value first, ordered by
    (value, id), and the rows without one last, by id, in both directions; each run is its own
    query whose ORDER BY an index can serve (`NULLS LAST` on a descending sort could not)."""

    qs: QuerySet[Case]
    keys: tuple[str, ...]  # what the run is ordered and seeked by; the last is always the id
    desc: bool
    # How a seek position's value is read back from its text (a cursor in a URL).
    parse: Callable[[str], Any] = str


def _running_clock(prefix: str = "") -> Q:
    """A clock the rows' 截止 shows that is still running (the open-deadline partial indexes)."""
    return Q(**{f"{prefix}met_at__isnull": True, f"{prefix}cancelled": False,
                f"{prefix}kind__in": shown_codes()})


def list_order(qs: QuerySet[Case], sort: str) -> list[Segment]:
    """The runs of `sorted_cases`' order, for keyset paging: the same rows in the same order.

    By 截止 the first run is driven by the open deadlines themselves: each case joined to the
    clock that is its earliest (no running clock of the case is earlier, ties by clock id), so
    the partial index on open deadlines (due_on, case_id, kind, id) yields the rows in order
    and a page reads a page of clocks, not every case's earliest one."""
    key = sort.lstrip("-")
    desc = sort.startswith("-")
    if key not in SORT_LABELS:
        return [Segment(qs, ("id",), True, int)]
    if key == "submitted":
        return [Segment(qs.filter(submitted_at__isnull=False), ("submitted_at", "id"), desc,
                        dt.datetime.fromisoformat),
                Segment(qs.filter(submitted_at__isnull=True), ("id",), desc, int)]
    if key == "due":
        earlier = Deadline.objects.filter(_running_clock(), case=OuterRef("pk")).filter(
            Q(due_on__lt=OuterRef("sort_value")) | Q(due_on=OuterRef("sort_value"), pk__lt=OuterRef("clock_id")))
        first = (qs.filter(_running_clock("deadlines__"))
                 .annotate(sort_value=F("deadlines__due_on"), clock_id=F("deadlines__id"),
                           clock_case=F("deadlines__case"))
                 .filter(~Exists(earlier)))
        none = qs.filter(~Exists(Deadline.objects.filter(_running_clock(), case=OuterRef("pk"))))
        # (due_on, the clock's case_id): the index's own columns, so that the seek's row
        # comparison is an index condition (the case's id is the same value)
        return [Segment(first, ("sort_value", "clock_case"), desc, dt.date.fromisoformat),
                Segment(none, ("id",), desc, int)]
    annotated = sorted_cases(qs, sort).order_by()  # the sort_value annotation, as the full sort
    parse = int if key == "state" else str
    return [Segment(annotated.filter(sort_value__isnull=False), ("sort_value", "id"), desc, parse),
            Segment(annotated.filter(sort_value__isnull=True), ("id",), desc, int)]
