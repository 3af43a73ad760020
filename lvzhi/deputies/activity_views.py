"""Duty-activity pages: the office's list and bulk entry, an activity's page, and a deputy's
own list on the phone (确认, 异议, 自行填报). Thin: permission, form, service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.params import int_param
from lvzhi.deputies import activity_services as services
from lvzhi.deputies.activity_forms import ActivityForm, DisputeForm, SelfReportForm, SettleForm
from lvzhi.deputies.activity_models import (
    ROLL_ORDER,
    Activity,
    ActivityFile,
    ActivityKind,
    Confirmation,
    Participation,
)
from lvzhi.deputies.activity_permissions import (
    READERS,
    deputy_of,
    is_deputy_office,
    may_answer,
    may_check,
    may_edit,
    may_organise,
    may_settle,
    may_view,
    visible,
)

STAFF = (Role.CLERK, Role.COMMITTEE_STAFF, Role.LEADER)


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("organiser", "station", "group", "recorded_by"),
                                 pk=pk)
    if not may_view(request.user, activity):
        raise PermissionDenied("该履职活动不存在或您无权查看")
    return activity


def _participation(request: HttpRequest, pk: int) -> Participation:
    p = get_object_or_404(Participation.objects.select_related("deputy", "activity"), pk=pk)
    if not may_view(request.user, p.activity):
        raise PermissionDenied("该履职记录不存在或您无权查看")
    return p


@role_required(*STAFF)
def activity_list(request: HttpRequest) -> HttpResponse:
    qs = Activity.objects.filter(visible(request.user)).select_related("organiser").annotate(
        n_present=Count("participations", filter=Q(participations__attendance="present")),
        n_pending=Count("participations", filter=Q(participations__confirmation=Confirmation.PENDING)),
        n_disputed=Count("participations", filter=Q(participations__confirmation=Confirmation.DISPUTED)))
    year = int_param(request.GET.get("year"), 2000, 2100) or timezone.localdate().year
    qs = qs.filter(held_on__year=year)
    kind = request.GET.get("kind", "")
    if kind in ActivityKind.values:
        qs = qs.filter(kind=kind)
    show = request.GET.get("show", "")
    if show == "unchecked":
        qs = qs.filter(self_reported=True, checked_at__isnull=True)
    elif show == "disputed":
        qs = qs.filter(participations__confirmation=Confirmation.DISPUTED).distinct()
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q) | Q(participations__deputy__name=q)).distinct()
    page = Paginator(qs.order_by("-held_on", "-id"), 30).get_page(request.GET.get("page"))
    base = Activity.objects.filter(visible(request.user), held_on__year=year)
    return render(request, "deputies/activities/list.html", {
        "page": page, "year": year, "kind": kind, "show": show, "q": q, "kinds": ActivityKind.choices,
        "may_organise": may_organise(request.user),
        "n_unchecked": base.filter(self_reported=True, checked_at__isnull=True).count(),
        "n_disputed": base.filter(participations__confirmation=Confirmation.DISPUTED).distinct().count(),
    })


@role_required(Role.CLERK, Role.COMMITTEE_STAFF)
def activity_new(request: HttpRequest) -> HttpResponse:
    if not may_organise(request.user):
        raise PermissionDenied("只有代表工委、专门委员会和工作机构的工作人员可以登记履职活动")
    form = ActivityForm(request.POST or None, congress_id=request.user.congress_id)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.record(request.user, form.cleaned_data, form.cleaned_data["roll"])
        except forms.ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, f"已登记“{activity.title}”，出席代表{len(form.cleaned_data['roll'].present)}名，"
                                      "待代表确认")
            return redirect(activity)
    return render(request, "deputies/activities/form.html", {"form": form, "title": "登记履职活动"},
                  status=400 if form.errors else 200)


@role_required(Role.CLERK, Role.COMMITTEE_STAFF)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not may_edit(request.user, activity) or activity.self_reported:
        raise PermissionDenied("您无权修改该履职活动")
    form = ActivityForm(request.POST or None, instance=activity, congress_id=activity.congress_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.update(request.user, Activity.objects.get(pk=pk), form.cleaned_data, form.cleaned_data["roll"])
        except forms.ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, "已保存修改；出勤有变动的代表须重新确认")
            return redirect(activity)
    return render(request, "deputies/activities/form.html", {"form": form, "title": "修改履职活动",
                                                             "activity": activity},
                  status=400 if form.errors else 200)


@role_required(*READERS)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    rows = list(activity.participations.select_related("deputy__delegation").order_by(ROLL_ORDER, "id"))
    user = request.user
    for p in rows:
        p.activity = activity
        p.may_answer, p.may_settle = may_answer(user, p), may_settle(user, p)
    deputy = deputy_of(user)
    if deputy is not None:  # a deputy sees his or her own line, not the others' attendance
        rows = [p for p in rows if p.deputy_id == deputy.pk]
    return render(request, "deputies/activities/detail.html", {
        "activity": activity, "rows": rows, "files": activity.files.all(),
        "may_edit": may_edit(user, activity) and not activity.self_reported,
        "may_upload": may_edit(user, activity), "may_check": may_check(user, activity),
        "dispute_form": DisputeForm(), "settle_form": SettleForm(), "is_deputy": deputy is not None,
        "is_office": is_deputy_office(user),
    })


def _refused(request: HttpRequest, err: Exception, target) -> HttpResponse:
    text = err.message if isinstance(err, services.NotPermitted) else "；".join(err.messages)
    messages.error(request, text)
    return redirect(target)


@role_required(Role.DEPUTY)
@require_POST
def participation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    p = _participation(request, pk)
    try:
        services.confirm(request.user, p)
    except services.NotPermitted as err:
        return _refused(request, err, _back(request, p))
    messages.success(request, f"已确认：{p.activity.title}")
    return redirect(_back(request, p))


@role_required(Role.DEPUTY)
@require_POST
def participation_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    p = _participation(request, pk)
    form = DisputeForm(request.POST)
    try:
        if not form.is_valid():
            raise forms.ValidationError(form.errors["dispute"])
        services.dispute(request.user, p, form.cleaned_data["dispute"])
    except (services.NotPermitted, forms.ValidationError) as err:
        return _refused(request, err, _back(request, p))
    messages.success(request, "已提交异议，代表工委核实后调整")
    return redirect(_back(request, p))


def _back(request: HttpRequest, p: Participation) -> str:
    return "deputies:my_activities" if request.POST.get("back") == "mine" else p.activity.get_absolute_url()


@role_required(Role.CLERK, Role.COMMITTEE_STAFF)
@require_POST
def participation_settle(request: HttpRequest, pk: int) -> HttpResponse:
    p = _participation(request, pk)
    form = SettleForm(request.POST)
    try:
        if not form.is_valid():
            raise forms.ValidationError("请选择核实后的出勤情况")
        services.settle(request.user, p, form.cleaned_data["attendance"], form.cleaned_data["leave_reason"])
    except (services.NotPermitted, forms.ValidationError) as err:
        return _refused(request, err, p.activity)
    messages.success(request, f"已核实{p.deputy.name}代表的异议")
    return redirect(p.activity)


@role_required(Role.CLERK)
@require_POST
def activity_check(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    try:
        services.check(request.user, activity)
    except services.NotPermitted as err:
        return _refused(request, err, activity)
    messages.success(request, "已核实，该活动计入代表履职档案")
    return redirect(activity)


@role_required(*READERS)
@require_POST
def activity_files(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    uploads = request.FILES.getlist("files")
    try:
        if not uploads:
            raise forms.ValidationError("请选择要上传的照片或文件")
        saved = services.add_files(request.user, activity, uploads)
    except (services.NotPermitted, forms.ValidationError) as err:
        return _refused(request, err, activity)
    messages.success(request, f"已上传{len(saved)}个文件")
    return redirect(activity)


@role_required(*READERS)
def activity_file(request: HttpRequest, pk: int) -> HttpResponse:
    f = get_object_or_404(ActivityFile.objects.select_related("activity"), pk=pk)
    if not may_view(request.user, f.activity):
        raise Http404("附件不存在")
    return FileResponse(f.file.open("rb"), as_attachment=not f.is_photo, filename=f.name)


@role_required(Role.DEPUTY)
def my_activities(request: HttpRequest) -> HttpResponse:
    deputy = deputy_of(request.user)
    if deputy is None:
        raise PermissionDenied("您的账号未关联代表信息，请联系代表工委")
    rows = (Participation.objects.filter(deputy=deputy).select_related("activity", "activity__organiser")
            .order_by("-activity__held_on", "-id"))
    year = timezone.localdate().year
    return render(request, "deputies/activities/mine.html", {
        "deputy": deputy, "pending": [p for p in rows if p.confirmation == Confirmation.PENDING],
        "done": [p for p in rows if p.confirmation != Confirmation.PENDING][:60],
        "n_year": sum(1 for p in rows if p.activity.held_on.year == year and p.attendance == "present"
                      and p.activity.counts),
        "year": year, "dispute_form": DisputeForm(),
    })


@role_required(Role.DEPUTY)
def self_report(request: HttpRequest) -> HttpResponse:
    form = SelfReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.self_report(request.user, form.cleaned_data)
        except services.NotPermitted as err:
            raise PermissionDenied(err.message) from None
        except forms.ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, "已填报，代表工委核实后计入履职档案；可在活动页上传照片")
            return redirect(activity)
    return render(request, "deputies/activities/self_report.html", {"form": form},
                  status=400 if form.errors else 200)
