"""The budget imports' pages (预算工委): upload → preview (totals, first rows, errors or the
difference to the current revision) → confirm; the history of every period's revisions; the
templates. Thin: the checking and writing are lvzhi/budget/importing.py's."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from lvzhi.budget import importing
from lvzhi.budget.forms_imports import ConfirmForm, UploadForm
from lvzhi.budget.models import BudgetImport, Dataset
from lvzhi.budget.permissions import may_import
from lvzhi.cases.models import Event
from lvzhi.core.params import int_param


def _officer(request: HttpRequest) -> None:
    if not may_import(request.user):
        raise PermissionDenied("预算数据由预算工委导入")


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _officer(request)
    dataset = request.GET.get("dataset", "")
    dataset = dataset if dataset in Dataset.values else ""
    year = request.GET.get("year", "")
    periods = importing.history(request.user.congress, dataset=dataset, year=int_param(year, 2000, 2100))
    return render(request, "budget/imports/list.html", {
        "periods": periods, "datasets": Dataset.choices, "dataset": dataset, "year": year})


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _officer(request)
    form = UploadForm(request.POST or None, request.FILES or None,
                      initial={"year": request.GET.get("year") or "", "dataset": request.GET.get("dataset") or
                               Dataset.EXECUTION})
    preview, error, status = None, "", 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                preview = importing.preview(request.user, request.user.congress, d["dataset"], year=d["year"],
                                            month=d["month"], source=d["source"], file=d["file"],
                                            filename=d["file"].name, declared_total=d["declared_total"])
            except importing.ImportRefused as exc:
                error, status = exc.message, 400
            else:
                if preview.ok:
                    return redirect("budget:import_preview", preview.id)
                status = 400 if preview.error_count else 200
        else:
            status = 400
    return render(request, "budget/imports/upload.html", {
        "form": form, "preview": preview, "error": error, "datasets": Dataset.choices}, status=status)


@login_required
def preview_page(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    try:
        preview = importing.load_preview(request.user, pk)
    except importing.ImportRefused as exc:
        messages.warning(request, exc.message)
        return redirect("budget:import_upload")
    form = ConfirmForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            done = importing.confirm_import(request.user, pk, note=form.cleaned_data["note"])
        except importing.ImportRefused as exc:
            error, status = exc.message, 400
        else:
            if not done.created:
                messages.info(request, f"数据与已导入的第{done.imp.revision}版相同，未重复导入。")
            else:
                r = done.result
                ran = (f"预警规则已运行：新增预警{r.raised}条，仍在预警{r.kept}条，自动解除{r.lifted}条。" if r else
                       "预警规则运行失败，数据已导入，请稍后重新运行预警规则。" if done.run_failed else "")
                messages.success(request, f"已导入{done.imp}，共{done.imp.rows}行。{ran}")
            return redirect("budget:import_detail", done.imp.pk)
    return render(request, "budget/imports/preview.html", {"p": preview, "form": form, "error": error},
                  status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    imp = get_object_or_404(BudgetImport.objects.select_related("by"), pk=pk, congress=request.user.congress)
    revisions = BudgetImport.objects.filter(congress=imp.congress, dataset=imp.dataset, year=imp.year,
                                            month=imp.month, source=imp.source).select_related("by")
    events = Event.objects.filter(congress=imp.congress, subject_type=importing.SUBJECT,
                                  subject_id__in=[r.pk for r in revisions]).order_by("seq")
    return render(request, "budget/imports/detail.html", {
        "imp": imp, "revisions": revisions.order_by("-revision"), "events": events})


@login_required
def template(request: HttpRequest, dataset: str) -> HttpResponse:
    _officer(request)
    if dataset not in Dataset.values:
        raise Http404("没有这类数据")
    resp = HttpResponse(importing.template_xlsx(dataset), content_type=importing.XLSX)
    name = quote(f"{Dataset(dataset).label}导入模板.xlsx")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return resp
