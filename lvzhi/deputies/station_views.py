"""Liaison stations' pages: the list, and a station's page with its deputies, its QR poster,
the schedule, the reception log and the month-by-month figures."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.deputies import station_services as services
from lvzhi.deputies.activity_services import NotPermitted
from lvzhi.deputies.models import LiaisonStation
from lvzhi.deputies.station_figures import months
from lvzhi.deputies.station_forms import ShiftForm, VisitForm
from lvzhi.deputies.station_models import StationShift
from lvzhi.deputies.station_permissions import may_keep, may_read, stations_for

ROLES = (Role.DEPUTY, Role.CLERK, Role.LEADER)


@role_required(*ROLES)
def station_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    rows = (stations_for(request.user).annotate(
        n_deputies=Count("deputies", distinct=True),
        n_visits=Count("visits", filter=Q(visits__on__year=year), distinct=True),
        n_opinions=Count("visits", filter=Q(visits__on__year=year, visits__is_opinion=True), distinct=True))
        .order_by("id"))
    return render(request, "deputies/stations/list.html", {"rows": rows, "year": year})


def _station(request: HttpRequest, pk: int) -> LiaisonStation:
    station = get_object_or_404(LiaisonStation, pk=pk)
    if not may_read(request.user, station):
        raise PermissionDenied("只有该联络站的代表、联络员，代表工委和主任会议可以查看")
    return station


@role_required(*ROLES)
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    return _render(request, station, ShiftForm(station=station), VisitForm(
        station=station, initial={"on": timezone.localdate()}))


def _render(request, station, shift_form, visit_form, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    year = today.year
    return render(request, "deputies/stations/detail.html", {
        "station": station, "keep": may_keep(request.user, station),
        "deputies": station.deputies.filter(status="active").select_related("delegation"),
        "shifts": StationShift.objects.filter(station=station, on__gte=today,
                                              on__lte=today + dt.timedelta(days=28)).select_related("deputy"),
        "visits": station.visits.select_related("deputy")[:30], "months": months(station, year), "year": year,
        "shift_form": shift_form, "visit_form": visit_form}, status=status)


@require_POST
@role_required(Role.CLERK)
def add_shift(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    form = ShiftForm(request.POST, station=station)
    if form.is_valid():
        try:
            s = services.add_shift(request.user, station, form.cleaned_data["deputy"], form.cleaned_data["on"],
                                   form.cleaned_data["slot"])
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except forms.ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已安排{s.deputy.name}代表{s.on:%m月%d日}{s.get_slot_display()}进站值班")
            return redirect("deputies:station", station.pk)
    return _render(request, station, form, VisitForm(station=station), status=400)


@require_POST
@role_required(Role.CLERK)
def remove_shift(request: HttpRequest, pk: int, shift_pk: int) -> HttpResponse:
    station = _station(request, pk)
    shift = get_object_or_404(StationShift, pk=shift_pk, station=station)
    try:
        services.remove_shift(request.user, shift)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, "已取消该值班安排")
    return redirect("deputies:station", station.pk)


@require_POST
@role_required(Role.CLERK)
def log_visit(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    form = VisitForm(request.POST, station=station)
    if form.is_valid():
        try:
            v = services.log_visit(request.user, station, form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except forms.ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已登记：{v.deputy.name}代表接待{v.name or '群众'}")
            return redirect("deputies:station", station.pk)
    return _render(request, station, ShiftForm(station=station), form, status=400)
