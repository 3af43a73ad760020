"""民生实事项目's pages. Thin: parse, ask permissions, call services, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.core.decorators import role_required
from lvzhi.projects import permissions
from lvzhi.projects.models import ProjectRound


@role_required(*permissions.PAGE_ROLES)
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(ProjectRound.objects.filter(congress_id=request.user.congress_id))
    return render(request, "projects/list.html", {"rounds": rounds})
