"""信访代办 and 诉前调解 pages: one list each, with its form to record one and to close it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.deputies.activity_permissions import deputy_of, is_deputy_office
from lvzhi.deputies.activity_services import NotPermitted
from lvzhi.requests import petition_services as svc
from lvzhi.requests.petition_forms import MediationForm, MediationSettleForm, PetitionCloseForm, PetitionForm
from lvzhi.requests.petition_models import Mediation, MediationResult, Petition, PetitionOutcome

ROLES = (Role.DEPUTY, Role.CLERK, Role.LEADER)


def _may_record(request: HttpRequest) -> bool:
    return is_deputy_office(request.user) or deputy_of(request.user) is not None


def _deputy(request: HttpRequest, form):
    return form.cleaned_data.get("deputy") or deputy_of(request.user)


@role_required(*ROLES)
def petitions(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PetitionForm(request.POST or None, congress_id=user.congress_id, pick_deputy=is_deputy_office(user))
    status = 200
    if request.method == "POST":
        if not _may_record(request):
            raise PermissionDenied("信访代办由代表本人或代表工委登记")
        if form.is_valid():
            try:
                svc.record_petition(user, _deputy(request, form), form.cleaned_data)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            messages.success(request, "已登记信访代办事项")
            return redirect("requests:petitions")
        status = 400
    rows = svc.readable(user, Petition)[:300]
    return render(request, "requests/petitions/petitions.html", {
        "form": form, "rows": rows, "may_record": _may_record(request), "close_form": PetitionCloseForm(),
        "open_code": PetitionOutcome.OPEN}, status=status)


@require_POST
@role_required(Role.DEPUTY, Role.CLERK)
def close_petition(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(svc.readable(request.user, Petition), pk=pk)
    form = PetitionCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("requests:petitions")
    try:
        d = form.cleaned_data
        svc.close_petition(request.user, p, d["outcome"], d["outcome_text"], d["closed_on"])
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, f"信访代办已办结：{p.get_outcome_display()}")
    return redirect("requests:petitions")


@role_required(*ROLES)
def mediations(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = MediationForm(request.POST or None, congress_id=user.congress_id, pick_deputy=is_deputy_office(user))
    status = 200
    if request.method == "POST":
        if not _may_record(request):
            raise PermissionDenied("诉前调解由代表本人或代表工委登记")
        if form.is_valid():
            try:
                svc.record_mediation(user, _deputy(request, form), form.cleaned_data)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            messages.success(request, "已登记诉前调解")
            return redirect("requests:mediations")
        status = 400
    rows = svc.readable(user, Mediation)[:300]
    return render(request, "requests/petitions/mediations.html", {
        "form": form, "rows": rows, "may_record": _may_record(request), "settle_form": MediationSettleForm(),
        "pending_code": MediationResult.PENDING}, status=status)


@require_POST
@role_required(Role.DEPUTY, Role.CLERK)
def settle_mediation(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(svc.readable(request.user, Mediation), pk=pk)
    form = MediationSettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("requests:mediations")
    try:
        svc.settle_mediation(request.user, m, form.cleaned_data["result"], form.cleaned_data["result_text"])
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, f"已记录调解结果：{m.get_result_display()}")
    return redirect("requests:mediations")
