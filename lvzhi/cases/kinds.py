"""The registry of case kinds. A kind declares everything that differs; `cases/` names no kind.

Each app registers its kinds in AppConfig.ready(). The inbox, the deadline monitor, the sweep,
the reports, the navigation, the portal, the API and the demo iterate `all_kinds()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db import models
    from django.db.models import Q

    from lvzhi.cases.models import Case
    from lvzhi.cases.todo import TodoList
    from lvzhi.cases.workflow import TransitionForm, Workflow
    from lvzhi.core.models import User


@dataclass(frozen=True)
class State:
    code: str
    label: str
    color: str = "secondary"  # a Bootstrap colour name for the badge
    terminal: bool = False


# Who raises a kind (the `open` transition's actor) — informational slots the pages and docs read.
RAISERS = {"deputy": "人大代表", "citizen": "群众", "committee": "专门委员会", "office": "办事机构",
           "system": "系统"}


@dataclass(frozen=True)
class Relations:
    """Who stands where around a case of this kind.

    `office` is the working body's function code (`Organization.function`) whose staff register,
    assign and review it: 代表工委 for suggestions, 办公室 for key tasks, 法工委 for filings.
    `evaluator` is the relation that judges the answer, or "" when nobody does; `closer` the
    relation that approves the close-out, or "" when accepting the answer closes it.
    """

    raised_by: str
    office: str
    # The relation that raised the case and hears of its progress ("lead_deputy" …).
    raiser: str = ""
    evaluator: str = ""
    closer: str = ""
    # Relations of this kind only: name -> (label, predicate(user, case)).
    own: dict[str, tuple[str, Callable[[User, Case], bool]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """One report figure: `count(congress_ids, start, end)` returns a number, `cases(...)` the
    queryset of cases behind it (so every number can be traced to its records)."""

    code: str
    label: str
    cases: Callable[..., Any]
    unit: str = "件"


@dataclass(frozen=True)
class NavEntry:
    role: str
    url_name: str
    label: str
    # For a role shared by several offices (办事机构工作人员): show it only to those it concerns.
    when: Callable[[User], bool] | None = None


@dataclass(frozen=True)
class CaseKind:
    code: str
    label: str
    workflow: Workflow
    states: tuple[State, ...]
    relations: Relations
    detail_model: type[models.Model] | None = None
    # The one-to-one detail model's related_name on Case ("suggestion_detail" …).
    detail_name: str = ""
    # The clocks (lvzhi.cases.clocks) this kind runs.
    clocks: tuple[str, ...] = ()
    # visibility(user) -> Q over Case, for users of the case's congress (permissions adds that).
    visibility: Callable[[User], Q] | None = None
    # States in which the public may read a published case of this kind.
    public_states: tuple[str, ...] = ()
    # How the official number reads, given the case and its sequence in the series.
    format_number: Callable[[Case, int], str] | None = None
    # The form `open` validates (the kind's own fields included); None: the kind is opened only
    # by its own services through fire_open with prepared data.
    open_form: type[TransitionForm] | None = None
    # Templates of the kind's own panels on the generic case page: beside the body, and in the
    # side column (the deputies of a suggestion, say).
    detail_template: str = ""
    side_template: str = ""
    # fields(case) -> dict of the kind's own fields for the API's `detail`.
    api_detail: Callable[[Case], dict[str, Any]] | None = None
    figures: tuple[Figure, ...] = ()
    nav: tuple[NavEntry, ...] = ()
    # build(builder) adds this kind's year of demo data; called by the demo builder.
    demo: Callable[[Any], None] | None = None
    # The lvzhi.cases.handling.HandlingSpec when the kind uses the shared handling table.
    handling: Any = None
    # links(user, case) -> [(label, url, icon)]: the kind's downloads on a case (交办通知 …).
    links: Callable[[User, Case], list[tuple[str, str, str]]] | None = None
    # Labels the generic pages use ("答复" for a suggestion, "进展" for a key task …).
    words: dict[str, str] = field(default_factory=dict)
    # The kind's own to-do lists (lvzhi.cases.todo); the shared handling adds its own.
    todos: tuple[TodoList, ...] = ()

    def state(self, code: str) -> State:
        for s in self.states:
            if s.code == code:
                return s
        return State(code, code)

    def state_label(self, code: str) -> str:
        return self.state(code).label

    @property
    def state_choices(self) -> list[tuple[str, str]]:
        return [(s.code, s.label) for s in self.states]

    def word(self, key: str, default: str) -> str:
        return self.words.get(key, default)

    def detail_of(self, case: Case) -> Any:
        return getattr(case, self.detail_name, None) if self.detail_name else None


_KINDS: dict[str, CaseKind] = {}


def register_kind(kind: CaseKind) -> None:
    from lvzhi.cases.clocks import get_clock

    for code in kind.clocks:
        get_clock(code)  # an undeclared clock fails at start-up, not at the first deadline
    _KINDS[kind.code] = kind


def unregister_kind(code: str) -> None:
    """For tests that register a toy kind and remove it again."""
    _KINDS.pop(code, None)


def get_kind(code: str) -> CaseKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"未知的案件类型：{code}") from None


def all_kinds() -> list[CaseKind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in _KINDS.values()]


def all_state_choices() -> list[tuple[str, str]]:
    """Every state of every kind, first label wins (filters across kinds)."""
    seen: dict[str, str] = {}
    for k in _KINDS.values():
        for s in k.states:
            seen.setdefault(s.code, s.label)
    return list(seen.items())
