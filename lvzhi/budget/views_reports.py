"""The 专项监督报告 pages: the list of drafts, a new draft for a period, the Word download.
Thin: permissions, report.create, render."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from lvzhi.budget import permissions, report
from lvzhi.budget.forms_reports import ReportForm
from lvzhi.budget.models import SupervisionReport
from lvzhi.core.models import Congress
from lvzhi.core.validation import summary


def _initial() -> dict[str, dt.date]:
    """This year to the end of last month (the last complete month of execution)."""
    today = timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    return {"start": dt.date(end.year, 1, 1), "end": end}


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.may_read_reports(user):
        raise PermissionDenied("只有预算工委、财经委和主任会议可以查看专项监督报告")
    writer = permissions.may_write_report(user)
    form = ReportForm(request.POST or None, initial=_initial())
    if request.method == "POST":
        if not writer:
            raise PermissionDenied("只有预算工委的工作人员可以起草专项监督报告")
        if form.is_valid():
            try:
                made = report.create(user, Congress.objects.get(pk=user.congress_id), form.cleaned_data["start"],
                                     form.cleaned_data["end"])
            except report.ReportRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已起草《{made.title}》，可下载Word稿修改。")
                return redirect("budget:reports")
        else:
            messages.error(request, summary(form.errors, "报告期间填写有误"))
    reports = SupervisionReport.objects.filter(congress_id=user.congress_id).select_related("by")
    return render(request, "budget/reports/list.html", {"reports": reports, "form": form, "writer": writer})


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not permissions.may_read_reports(user):
        raise PermissionDenied("只有预算工委、财经委和主任会议可以查看专项监督报告")
    r = get_object_or_404(SupervisionReport.objects.select_related("congress"), pk=pk, congress_id=user.congress_id)
    response = HttpResponse(report.docx(r), content_type=report.DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.filename(r))}"
    return response
