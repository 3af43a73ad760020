"""12345 hotline orders' pages: the list (the 代表工委 and the 主任会议: all; a deputy: his or her
own), the import with its row-by-row report, the template, 按区域分派. Acting on an order
happens on the generic case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lvzhi.cases.kinds import get_kind
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.requests import hotline_import, hotline_services
from lvzhi.requests.hotline_permissions import KIND, may_manage


@role_required(Role.DEPUTY, Role.CLERK, Role.LEADER)
def order_list(request: HttpRequest) -> HttpResponse:
    rows = list(hotline_services.orders_of(request.user)[:1000])
    kind = get_kind(KIND)
    groups = [(s, [c for c in rows if c.state == s.code]) for s in kind.states]
    return render(request, "requests/hotline/list.html", {
        "groups": [(s, g) for s, g in groups if g], "total": len(rows), "manage": may_manage(request.user)})


@role_required(Role.CLERK)
def import_page(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        raise PermissionDenied("12345工单由代表工委导入")
    report, error, status = None, "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = "请选择要导入的 Excel 或 CSV 文件", 400
        else:
            try:
                report = hotline_import.import_file(request.user.congress, request.user, upload, upload.name)
            except hotline_import.ImportRefused as exc:
                error, status = exc.message, 400
            else:
                status = 400 if report.bad else 200
    return render(request, "requests/hotline/import.html", {"report": report, "error": error}, status=status)


@role_required(Role.CLERK)
def template(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        raise PermissionDenied("12345工单由代表工委导入")
    resp = HttpResponse(hotline_import.template_xlsx(), content_type=hotline_import.XLSX)
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''12345%E5%B7%A5%E5%8D%95%E5%AF%BC%E5%85%A5%E8%A1%A8.xlsx"
    return resp


@require_POST
@role_required(Role.CLERK)
def assign_by_area(request: HttpRequest) -> HttpResponse:
    try:
        done, left = hotline_services.assign_by_area(request.user)
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已按区域分派{done}件工单" + (f"，{left}件未写明区域，请逐件分派" if left else ""))
    return redirect("requests:hotline_list")
