"""The deadline monitor: open clocks per unit, the overdue list with 催办, and its Excel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from config.db_router import on_replica
from lvzhi.cases import monitor
from lvzhi.cases.engine import available, fire
from lvzhi.cases.handling.urge import NOTE_MAX
from lvzhi.cases.models import Case
from lvzhi.cases.workflow import TransitionError, fits_id
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESULTS_KEY = "monitor_urge_results"
BATCH_MAX = 200


def may_urge(user: User, case: Case) -> bool:
    """The engine's own answer (who may fire 催办 from this state); no query per row."""
    return any(t.name == "urge" for t in available(case, user))


@role_required(Role.CLERK, Role.LEADER)
@require_GET
def deadline_monitor(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    loads, overdue = monitor.deadline_monitor(request.user.congress_id, today)
    for row in overdue:
        # The office's own clock (交办) has no unit to press.
        row.may_urge = bool(row.deadline.assignment_id) and may_urge(request.user, row.case)
    # the page lists the earliest OVERDUE_LIMIT; the heading says how many there are
    total = len(overdue) if len(overdue) < monitor.OVERDUE_LIMIT else monitor.overdue_count(
        request.user.congress_id, today, loads)
    context: dict[str, Any] = {
        "loads": loads, "overdue": overdue, "overdue_total": total,
        "any_urge": any(r.may_urge for r in overdue),
        "results": request.session.pop(RESULTS_KEY, None), "note_max": NOTE_MAX,
    }
    return render(request, "cases/deadline_monitor.html", context)


def _case_ids(request: HttpRequest) -> list[int]:
    """The cases to urge: the row's own button, else every ticked row (each case once)."""
    raw = [request.POST["one"]] if request.POST.get("one") else request.POST.getlist("case")
    ids: list[int] = []
    for value in raw:
        value = value.strip()
        if value.isdigit() and fits_id(value) and int(value) not in ids:
            ids.append(int(value))
    return ids


@role_required(Role.CLERK, Role.LEADER)
@require_POST
def urge_batch(request: HttpRequest) -> HttpResponse:
    """催办 each chosen case through the engine (which decides who may), then back to the
    monitor with one line per case."""
    ids = _case_ids(request)
    note = request.POST.get("note", "").strip()
    error = ""
    if not ids:
        error = "请先勾选要催办的事项"
    elif len(ids) > BATCH_MAX:
        error = f"一次最多催办{BATCH_MAX}件，当前选择了{len(ids)}件"
    elif len(note) > NOTE_MAX:
        error = f"催办意见最多{NOTE_MAX}字，当前{len(note)}字"
    if error:  # nothing is fired
        request.session[RESULTS_KEY] = {"error": error, "note": note[:NOTE_MAX * 2], "items": []}
        return redirect("cases:monitor")
    cases = Case.objects.filter(pk__in=ids, congress_id=request.user.congress_id).in_bulk()
    items = []
    for pk in ids:
        case = cases.get(pk)
        if case is None:
            items.append({"case_id": None, "name": f"编号{pk}", "ok": False, "text": "未找到该案件"})
            continue
        name = case.number or case.title
        try:
            result = fire(case, "urge", request.user, {"note": note})
        except TransitionError as exc:
            items.append({"case_id": pk, "name": name, "ok": False, "text": exc.message})
            continue
        units = "、".join(result.event.payload.get("units", []))
        items.append({"case_id": pk, "name": name, "ok": True, "text": f"已催办{units}"})
    done = sum(i["ok"] for i in items)
    summary = f"已催办{done}件" + (f"，{len(items) - done}件未催办" if done < len(items) else "")
    request.session[RESULTS_KEY] = {"error": "", "note": "", "items": items, "summary": summary}
    return redirect("cases:monitor")


@role_required(Role.CLERK, Role.LEADER)
@require_GET
@on_replica  # an export: reads only (config/db_router.py)
def overdue_xlsx(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    congress = request.user.congress
    name = f"{congress.short_name}常委会" if congress else "人大常委会"
    # every overdue clock, not only the page's first OVERDUE_LIMIT
    data = monitor.overdue_workbook(name, monitor.all_overdue(request.user.congress_id, today), today)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, monitor.overdue_filename(today))
    return response
