from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role, Session
from lvzhi.reports.selectors import figures


@role_required(Role.LEADER, Role.CLERK)
def dashboard(request: HttpRequest) -> HttpResponse:
    session_id = request.GET.get("session")
    session_id = int(session_id) if session_id and session_id.isdigit() else None
    f = figures(request.user.congress_id, session_id=session_id)
    charts = {
        "states": [{"name": label, "value": n} for _, label, n in f.by_state],
        "categories": {"names": [c for c, _ in f.by_category], "values": [n for _, n in f.by_category]},
        "overdue": {"names": [u for u, _, _ in f.overdue_by_unit][::-1],
                    "values": [n for _, n, _ in f.overdue_by_unit][::-1]},
        "classes": [{"name": f"{c}类", "value": n} for c, n in f.by_class],
    }
    sessions = Session.objects.filter(term__congress_id=request.user.congress_id).select_related("term")
    return render(request, "reports/dashboard.html", {"f": f, "charts": charts, "sessions": sessions,
                                                      "session_id": session_id})
