"""The case list's filters and search, shared by the pages and the API."""


from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from lvzhi.cases.models import (
    Assignment,
    AssignmentState,
    Case,
)
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import ID_MAX
from lvzhi.core.models import User


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
    # What the pages left out, in words for the user: an id that is not a number or too large
    # for any id, a text with a NUL (the API refuses the same with a 400, CaseFilterSerializer).
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

        return cls(kind=text("kind", "类型"),
                   states=[s for s in text("state", "状态").split(",") if s],
                   category=text("category", "类别"), unit=as_id("unit", "承办单位"),
                   q=text("q", "检索文字").strip(), key=True if data.get("key") in {"1", "true", "on"} else None,
                   session=as_id("session", "会议"), ignored=ignored)


def filtered_cases(user: User, f: CaseFilters) -> QuerySet[Case]:
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
        qs = qs.filter(Q(title__icontains=f.q) | Q(number__icontains=f.q))
    if f.key is not None:
        qs = qs.filter(is_key=f.key)
    if f.session:
        qs = qs.filter(session_id=f.session)
    return qs.order_by("-id")
