"""待办: the user's to-do lists as cards with counts, and one list in the shared case rows."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from lvzhi.cases import selectors, todo
from lvzhi.cases.models import Case, Deadline
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role

CASE_ROLES = (Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF, Role.UNIT_HANDLER, Role.UNIT_HEAD,
              Role.DEPUTY)
PREVIEW = 3  # the first few titles on each card, so the day's work shows on the home page


def _ordered(qs):
    # Oldest first: what has waited longest comes first on every list.
    return qs.order_by("id")


@role_required(*CASE_ROLES)
def todo_index(request: HttpRequest) -> HttpResponse:
    summary = todo.request_summary(request)
    cards = []
    for t, n in summary.lists:
        preview: list[Case] = []
        if n:
            qs = _ordered(t.cases(request.user)).only("pk", "title", "number")
            if t.clock:  # 待我评价 shows each case's 评价期限
                qs = qs.prefetch_related(Prefetch("deadlines", to_attr="todo_clocks",
                                                  queryset=Deadline.objects.filter(
                                                      kind=t.clock, met_at__isnull=True,
                                                      cancelled=False).order_by("due_on")))
            preview = list(qs[:PREVIEW])
        cards.append({"list": t, "count": n, "preview": preview})
    return render(request, "cases/todo.html", {
        "cards": [c for c in cards if c["count"]], "empty": [c for c in cards if not c["count"]],
        "has_lists": bool(cards), "total": summary.total})


class _Counted(Paginator):
    """A list's paginator with the count the request's summary already has (the navigation
    shows the same number): no second COUNT over the same condition, unless the summary's
    count stopped at todo.CAP ("999+"): then the list counts itself."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known if self._known < todo.CAP else super().count


def _only_clock(cases: list[Case], clock: str) -> None:
    """A list about one deadline (待我评价 → 评价期限) shows that clock, not the earliest."""
    for c in cases:
        c.open_clocks = [d for d in getattr(c, "open_clocks", []) if d.kind == clock]


@role_required(*CASE_ROLES)
def todo_list(request: HttpRequest, code: str) -> HttpResponse:
    # The summary the navigation shows: which lists are the user's, and this one's count.
    found = next(((t, n) for t, n in todo.request_summary(request).lists if t.code == code), None)
    if found is None:
        raise Http404("没有这个待办事项，或它不属于您的角色")
    t, n = found
    qs = selectors.with_list_relations(_ordered(t.cases(request.user)))
    page = _Counted(qs, 30, n).get_page(request.GET.get("page"))
    cases = list(page.object_list)
    if t.clock:
        _only_clock(cases, t.clock)
    # each clock's light from its congress's rule set (deadlines.Lights): no warn_days here
    return render(request, "cases/todo_list.html", {
        "list": t, "page": page, "rows": selectors.decorate(cases)})
