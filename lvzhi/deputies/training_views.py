"""Trainings' pages: the list (with a deputy's own hours), a new training, a training's page
(enrolled deputies, sign-in by the clerk, the door's QR poster, materials), and the page the
door's code opens on a deputy's phone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.deputies import training_services as services
from lvzhi.deputies.activity_models import Attendance, Participation
from lvzhi.deputies.activity_permissions import deputy_of, is_deputy_office
from lvzhi.deputies.activity_services import NotPermitted
from lvzhi.deputies.models import Deputy
from lvzhi.deputies.training_forms import NewTrainingForm
from lvzhi.deputies.training_models import SignInMethod, Training
from lvzhi.documents import qr

ROLES = (Role.DEPUTY, Role.CLERK, Role.LEADER)


def _trainings(user):
    qs = (Training.objects.filter(activity__congress_id=user.congress_id).select_related("activity")
          .annotate(enrolled=Count("enrollments", distinct=True),
                    signed=Count("enrollments", filter=Q(enrollments__signed_in_at__isnull=False), distinct=True)))
    if user.role == Role.DEPUTY:
        qs = qs.filter(enrollments__deputy__user=user)
    return qs.order_by("-activity__held_on", "-pk")


@role_required(*ROLES)
def training_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    deputy = deputy_of(request.user)
    hours = None
    if deputy is not None:
        hours = (Participation.objects.filter(deputy=deputy, attendance=Attendance.PRESENT,
                                              activity__training__isnull=False, activity__held_on__year=year)
                 .aggregate(h=Sum("activity__hours"))["h"]) or 0
    return render(request, "deputies/trainings/list.html", {
        "rows": _trainings(request.user)[:200], "year": year, "hours": hours, "manage": is_deputy_office(request.user)})


@role_required(Role.CLERK)
def training_new(request: HttpRequest) -> HttpResponse:
    if not is_deputy_office(request.user):
        raise PermissionDenied("代表培训由代表工委组织登记")
    form = NewTrainingForm(request.POST or None, congress_id=request.user.congress_id)
    if request.method == "POST" and form.is_valid():
        t = services.create(request.user, form.cleaned_data, form.cleaned_data["deputies"])
        messages.success(request, f"已登记培训“{t.activity.title}”，参训代表{t.enrollments.count()}名")
        return redirect("deputies:training", t.pk)
    return render(request, "deputies/trainings/form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _training(request: HttpRequest, pk: int) -> Training:
    t = get_object_or_404(Training.objects.select_related("activity"), pk=pk,
                          activity__congress_id=request.user.congress_id)
    if request.user.role == Role.DEPUTY and not t.enrollments.filter(deputy__user=request.user).exists():
        raise PermissionDenied("您不在该培训的参训名单中")
    return t


@role_required(*ROLES)
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    t = _training(request, pk)
    rows = t.enrollments.select_related("deputy__delegation").order_by("signed_in_at", "id")
    if request.user.role == Role.DEPUTY:
        rows = rows.filter(deputy__user=request.user)
    return render(request, "deputies/trainings/detail.html", {
        "t": t, "rows": rows, "manage": is_deputy_office(request.user),
        "signed": t.enrollments.filter(signed_in_at__isnull=False).count(), "enrolled": t.enrollments.count()})


@require_POST
@role_required(Role.CLERK)
def clerk_sign_in(request: HttpRequest, pk: int, deputy_pk: int) -> HttpResponse:
    t = _training(request, pk)
    deputy = get_object_or_404(Deputy, pk=deputy_pk, congress_id=request.user.congress_id)
    try:
        services.sign_in(t, deputy, request.user, SignInMethod.CLERK)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, f"已为{deputy.name}代表签到")
    return redirect("deputies:training", t.pk)


@role_required(Role.CLERK)
def door_poster(request: HttpRequest, pk: int) -> HttpResponse:
    t = _training(request, pk)
    if not is_deputy_office(request.user):
        raise PermissionDenied("签到码由代表工委打印")
    url = request.build_absolute_uri(reverse("deputies:training_sign_in", args=[t.pk, services.sign_token(t)]))
    body = qr.poster("培训签到", [t.activity.title, f"{t.activity.held_on:%Y年%m月%d日} {t.activity.place}",
                                  "请用代表账号扫码签到"], url, "pdf")
    resp = HttpResponse(body, content_type="application/pdf")
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''training-sign-in.pdf"
    return resp


@role_required(Role.DEPUTY)
def door_sign_in(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    t = get_object_or_404(Training.objects.select_related("activity"), pk=pk)
    if token != services.sign_token(t) or t.activity.congress_id != request.user.congress_id:
        raise Http404("签到码无效")
    deputy = deputy_of(request.user)
    if deputy is None:
        raise PermissionDenied("您的账号尚未关联代表信息")
    error, enrollment = "", t.enrollments.filter(deputy=deputy).first()
    if request.method == "POST":
        try:
            enrollment = services.sign_in(t, deputy, request.user, SignInMethod.QR)
        except NotPermitted as exc:
            error = exc.message
    return render(request, "deputies/trainings/sign_in.html", {"t": t, "enrollment": enrollment, "error": error},
                  status=403 if error else 200)
