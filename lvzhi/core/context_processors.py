"""The navigation each role sees: 待办 first (with the number of things to do), the shared
pages, then each case kind's own entries (CaseKind.nav), so a new kind adds its pages by
declaring them.

Every value is lazy: a page pays for the counts (one query for all to-do lists, one for the
unread notifications) when its template shows them, an HTMX fragment rendered with the same
context processors pays nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from lvzhi.core.models import Role

# Pages every kind shares, by role; kinds' entries are inserted after the first one.
SHARED_NAV: dict[str, list[tuple[str, str]]] = {
    Role.CLERK: [("cases:list", "全部案件"), ("cases:monitor", "期限监控"), ("dashboard", "统计"),
                 ("annual_figures", "年度数字")],
    Role.COMMITTEE_STAFF: [("cases:inbox", "办理任务"), ("cases:list", "督办案件")],
    Role.LEADER: [("dashboard", "统计分析"), ("annual_figures", "年度数字"), ("cases:list", "全部案件"),
                  ("assist_hot_topics", "热点分析")],
    Role.UNIT_HANDLER: [("cases:inbox", "办理收件箱"), ("cases:list", "全部承办")],
    Role.UNIT_HEAD: [("cases:inbox", "待签发与办理"), ("cases:list", "全部承办")],
}
TODO = ("cases:todo", "待办")
# Roles whose day starts from their to-do lists; a leader's starts from the dashboard and
# shows 待办 only when something waits (key tasks to approve, close-outs to decide).
TODO_ALWAYS = {Role.CLERK, Role.COMMITTEE_STAFF, Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.DEPUTY}


def _when(user, entry) -> bool:
    from lvzhi.cases.todo import user_memo

    when = entry.when
    # memoised like the to-do registry's `when`: key tasks' "does this office lead one" is
    # asked by the 重点任务 entry and by 待报进展, once
    return when is None or bool(user_memo(user, ("when", when), lambda: when(user)))


def nav_entries(user, todo_total: int | Callable[[], int] = 0) -> list[tuple[str, str]]:
    """`todo_total` may be a function: only a leader's 待办 depends on it (shown when something
    waits), so the other roles' entries never compute it."""
    from lvzhi.cases.kinds import all_kinds

    shared = SHARED_NAV.get(user.role, [])
    own: list[tuple[str, str]] = []
    from lvzhi.core.sections import all_sections

    for owner in (*all_kinds(), *all_sections()):
        for entry in owner.nav:
            if entry.role == user.role and _when(user, entry) and (entry.url_name, entry.label) not in own:
                own.append((entry.url_name, entry.label))
    if user.role in TODO_ALWAYS:
        first = [TODO]
    else:
        first = [TODO] if (todo_total() if callable(todo_total) else todo_total) else []
    return first + own + shared


def _items(request: HttpRequest, summary) -> list[tuple[str, str, str]]:
    items = []
    for name, label in nav_entries(request.user, lambda: summary.total):
        try:
            items.append((reverse(name), label, name))
        except NoReverseMatch:  # a page of an app not installed in this deployment
            continue
    return items


def navigation(request: HttpRequest) -> dict:
    from lvzhi.cases.todo import request_summary

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    summary = SimpleLazyObject(lambda: request_summary(request))  # one query for every list
    return {"nav_items": SimpleLazyObject(lambda: _items(request, summary)),
            "unread_count": SimpleLazyObject(
                lambda: user.notifications.filter(read_at__isnull=True).count()),
            "todo_summary": summary,
            "todo_total": SimpleLazyObject(lambda: summary.total)}
