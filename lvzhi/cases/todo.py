"""The registry of to-do lists (待办): what each role has to act on now, per kind, with counts.

A list is a `TodoList`: a code, a Chinese label, the roles it is for (and optionally a
`when(user)` like NavEntry's), a `q(user) -> Q` over Case and a one-line hint. The shared
handling declares the lists of its transitions (lvzhi.cases.handling.todos) for every kind
whose workflow has them; a kind declares its own in `CaseKind.todos`. Lists with the same code
from several kinds are one list: their conditions are OR-ed (待交办 covers suggestions and key
tasks alike, each for its own office).

Every list is a condition on `visible_cases(user)`, so all counts are one aggregate query
(`counts`), whatever the number of cases or lists, and a list page reuses the case rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from lvzhi.cases.models import Case
from lvzhi.core.models import User


@dataclass(frozen=True)
class TodoList:
    code: str
    label: str
    roles: tuple[str, ...]
    # q(user) -> Q over Case: the cases on this list for this user (within visible_cases).
    q: Callable[[User], Q]
    hint: str = ""
    order: int = 100
    # For a role shared by several offices: show the list only to those it concerns.
    when: Callable[[User], bool] | None = None
    # The clock whose due date the list shows ("evaluation" for 待我评价), "" = the earliest.
    clock: str = ""
    # What the due-date column says for that clock ("评价期限").
    due_label: str = ""

    def applies_to(self, user: User) -> bool:
        return user.role in self.roles and (self.when is None or self.when(user))


@dataclass(frozen=True)
class UserTodo:
    """One list as one user sees it: the declarations of that code that apply, OR-ed."""

    code: str
    label: str
    hint: str
    order: int
    clock: str
    due_label: str
    q: Q

    def cases(self, user: User) -> QuerySet[Case]:
        from lvzhi.cases.permissions import visible_cases

        return visible_cases(user).filter(self.q)


def declared_lists() -> list[TodoList]:
    """Every declaration: the shared handling's for each kind, then each kind's own."""
    from lvzhi.cases.handling.todos import handling_todos
    from lvzhi.cases.kinds import all_kinds

    out: list[TodoList] = []
    for kind in all_kinds():
        out += handling_todos(kind)
        out += list(kind.todos)
    return out


def lists_for(user: User) -> list[UserTodo]:
    """The user's lists in their order, one per code."""
    if not user.is_authenticated or user.congress_id is None:
        return []
    by_code: dict[str, list[TodoList]] = {}
    for t in declared_lists():
        # a declaration shared by two kinds (suggestions and motions) counts once
        if t.applies_to(user) and t not in by_code.get(t.code, []):
            by_code.setdefault(t.code, []).append(t)
    merged = []
    for code, decls in by_code.items():
        q = Q(pk__in=[])
        for d in decls:
            q |= d.q(user)
        first = decls[0]
        merged.append(UserTodo(code, first.label, first.hint, first.order, first.clock,
                               first.due_label, q))
    return sorted(merged, key=lambda t: (t.order, t.code))


def get_list(user: User, code: str) -> UserTodo | None:
    return next((t for t in lists_for(user) if t.code == code), None)


def counts(user: User, lists: list[UserTodo] | None = None) -> dict[str, int]:
    """Each list's count in one query (a conditional count per list)."""
    from lvzhi.cases.permissions import visible_cases

    lists = lists_for(user) if lists is None else lists
    if not lists:
        return {}
    agg = visible_cases(user).aggregate(**{
        f"n{i}": Count("pk", filter=t.q, distinct=True) for i, t in enumerate(lists)})
    return {t.code: agg[f"n{i}"] or 0 for i, t in enumerate(lists)}


@dataclass(frozen=True)
class Summary:
    lists: list[tuple[UserTodo, int]]

    @property
    def total(self) -> int:
        return sum(n for _t, n in self.lists)

    @property
    def pending(self) -> list[tuple[UserTodo, int]]:
        return [(t, n) for t, n in self.lists if n]


def summary(user: User) -> Summary:
    lists = lists_for(user)
    n = counts(user, lists)
    return Summary([(t, n[t.code]) for t in lists])


def request_summary(request) -> Summary:
    """Once per request: the navigation and the page may both ask."""
    cached = getattr(request, "_todo_summary", None)
    if cached is None:
        cached = summary(request.user)
        request._todo_summary = cached
    return cached
