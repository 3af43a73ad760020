"""The registry of to-do lists (待办): what each role has to act on now, per kind, with counts.

A list is a `TodoList`: a code, a Chinese label, the roles it is for (and optionally a
`when(user)` like NavEntry's), a `q(user) -> Q` over Case and a one-line hint. The shared
handling declares the lists of its transitions (lvzhi.cases.handling.todos) for every kind
whose workflow has them; a kind declares its own in `CaseKind.todos`. Lists with the same code
from several kinds are one list: their conditions are OR-ed (待交办 covers suggestions and key
tasks alike, each for its own office).

Every list is a condition on `visible_cases(user)`, so all counts are one query (`summary`:
a scalar subquery per list, each stopping at CAP), whatever the number of cases, lists or
kinds; a list page reuses the case rows.
The navigation shows the total on every page, so that query is the chrome's cost: conditions
shared by several kinds are compiled once (`kind`), `when` checks are asked once per request
(`user_memo`), and the navigation computes the summary only when a template reads it (an
HTMX fragment never does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Q, QuerySet

from lvzhi.cases.clocks import clock_label
from lvzhi.cases.models import Case
from lvzhi.core.models import User


def user_memo(user: User, key: object, compute: Callable[[], object]) -> object:
    """`compute()` once per user object, which a request loads afresh: for checks such as "does
    this office hold any key task" that the navigation and the registry both ask. Never for
    counts, which change with every transition."""
    memo = getattr(user, "_lvzhi_memo", None)
    if memo is None:
        memo = {}
        user._lvzhi_memo = memo
    if key not in memo:
        memo[key] = compute()
    return memo[key]


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
    # What the due-date column says for that clock; by default the clock's own name, as every
    # light says it ("代表评价期限"), so one deadline has one name on every page.
    due_label: str = ""
    # The kind this declaration is for, when `q` is a condition within that kind: the lists of
    # one code whose `q` is the same function are then one condition over all their kinds
    # (kind IN (…)), compiled once however many kinds share the handling.
    kind: str = ""

    def applies_to(self, user: User) -> bool:
        if user.role not in self.roles:
            return False
        when = self.when
        return when is None or bool(user_memo(user, ("when", when), lambda: when(user)))


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


_DECLARED: tuple[tuple, list[TodoList]] = ((), [])


def declared_lists() -> list[TodoList]:
    """Every declaration: the shared handling's for each kind, then each kind's own. Built once
    per set of registered kinds (tests register toy kinds), not on every page."""
    global _DECLARED
    from lvzhi.cases.handling.todos import handling_todos
    from lvzhi.cases.kinds import all_kinds

    kinds = tuple(all_kinds())
    if len(kinds) != len(_DECLARED[0]) or any(a is not b for a, b in zip(kinds, _DECLARED[0], strict=True)):
        out: list[TodoList] = []
        for kind in kinds:
            out += handling_todos(kind)
            out += list(kind.todos)
        _DECLARED = (kinds, out)
    return list(_DECLARED[1])


def _candidates(user: User) -> dict[str, list[TodoList]]:
    """The declarations for the user's role that pass `when`, by code in declaration order."""
    by_code: dict[str, list[TodoList]] = {}
    if not user.is_authenticated or user.congress_id is None:
        return by_code
    for t in declared_lists():
        # a declaration shared by two kinds (suggestions and motions) counts once
        if t.applies_to(user) and t not in by_code.get(t.code, []):
            by_code.setdefault(t.code, []).append(t)
    return by_code


def _merge(user: User, by_code: dict[str, list[TodoList]]) -> list[UserTodo]:
    merged = []
    for code, decls in by_code.items():
        q = Q(pk__in=[])
        shared: dict[Callable, list[str]] = {}  # one condition, several kinds
        for d in decls:
            if d.kind:
                shared.setdefault(d.q, []).append(d.kind)
            else:
                q |= d.q(user)
        for fn, kinds in shared.items():
            q |= (Q(kind=kinds[0]) if len(kinds) == 1 else Q(kind__in=kinds)) & fn(user)
        first = decls[0]
        due_label = first.due_label or (f"{clock_label(first.clock)}期限" if first.clock else "")
        merged.append(UserTodo(code, first.label, first.hint, first.order, first.clock,
                               due_label, q))
    return sorted(merged, key=lambda t: (t.order, t.code))


def lists_for(user: User) -> list[UserTodo]:
    """The user's lists in their order, one per code."""
    return _merge(user, _candidates(user))


def get_list(user: User, code: str) -> UserTodo | None:
    return next((t for t in lists_for(user) if t.code == code), None)


# A list's count stops at CAP: the badge says "999+" beyond, and no list scans further (the
# clerk's 待公开 holds every closed, unpublished case of ten years).
CAP = 1000


class Tally(int):
    """A count that stopped at CAP reads "999+" wherever a template prints it."""

    def __str__(self) -> str:
        return f"{CAP - 1}+" if self >= CAP else int.__str__(self)


def may_repeat(query) -> bool:
    """Whether a row of the query's base table can come out twice: a join along a to-many
    relation (conditions written as EXISTS or forward foreign keys cannot repeat it)."""
    for join in query.alias_map.values():
        field = getattr(join, "join_field", None)  # None for the base table
        if field is not None and (field.one_to_many or field.many_to_many):
            return True
    return False


def counts(user: User, lists: list[UserTodo] | None = None) -> dict[str, Tally]:
    """Each list's count, up to CAP, in one query: a scalar subquery per list, so each condition
    uses its own index (state, the open-deadline partial index…). One conditional count per list
    over a single pass read every visible case: 2.2 s for a clerk at 100,000 cases."""
    from lvzhi.cases.permissions import visible_cases

    lists = lists_for(user) if lists is None else lists
    if not lists:
        return {}
    visible = visible_cases(user).order_by()
    parts, params = [], []
    for i, t in enumerate(lists):
        qs = visible.filter(t.q).values("pk")
        # DISTINCT only where a join may repeat a case: it makes PostgreSQL collect every match
        # before the LIMIT (the biggest unit's 待答复 read 8,000 assignments, 61 ms → 27 ms).
        if may_repeat(qs.query):
            qs = qs.distinct()
        try:
            sql, p = qs[:CAP].query.sql_with_params()
        except EmptyResultSet:  # nothing to see at all (a deputy account not linked to a deputy)
            parts.append("(SELECT 0)")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS list{i})")
        params.extend(p)
    # where an ORM read would go (the replica under config.db_router.on_replica)
    with connections[router.db_for_read(Case)].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {t.code: Tally(n) for t, n in zip(lists, row, strict=True)}


@dataclass(frozen=True)
class Summary:
    lists: list[tuple[UserTodo, int]]

    @property
    def total(self) -> Tally:
        return Tally(min(CAP, sum(n for _t, n in self.lists)))

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
