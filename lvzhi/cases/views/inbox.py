"""The unit's inbox: everything assigned to the user's organisation, whatever the kind; each
case list paged on its own (selectors.bounded_page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.cases import selectors
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role


@role_required(Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.COMMITTEE_STAFF, Role.CLERK)
def unit_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/unit_inbox.html", {"inbox": selectors.unit_inbox(request.user, request.GET)})
