"""The due dates an assignment made today would get, shown before the office confirms."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.handling import assign
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.views.detail import _visible_case
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.params import id_param
from lvzhi.core.workdays import WorkCalendar

# ------------------------------------------------------------------------- assignment

@role_required(Role.CLERK)
def assign_preview(request: HttpRequest) -> HttpResponse:
    """The due dates an assignment made today would get, shown before the office confirms."""
    rules = deadlines.rules_for(request.user.congress_id)
    cal = WorkCalendar.for_congress(request.user.congress_id)
    today = timezone.localdate()
    pk = id_param(request.GET.get("case"))
    case = _visible_case(request, pk) if pk else None
    if case is None:
        raise Http404("请指定要交办的案件")
    if get_kind(case.kind).handling is None:
        raise Http404("该类事项没有交办环节")
    rows = assign.preview(case, today, rules, cal)
    return render(request, "cases/_assign_preview.html", {"rows": rows, "today": today})
