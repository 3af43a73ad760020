"""The deadline monitor: open clocks per unit and the overdue list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.cases import monitor
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role


@role_required(Role.CLERK, Role.LEADER)
def deadline_monitor(request: HttpRequest) -> HttpResponse:
    loads, overdue = monitor.deadline_monitor(request.user.congress_id)
    return render(request, "cases/deadline_monitor.html", {"loads": loads, "overdue": overdue})
