"""履职档案 pages: a deputy's own record, the 代表工委's list of all deputies with the rules'
flags, one deputy's record, the 履职报告 as Word, and the public page of a deputy."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.params import int_param
from lvzhi.deputies import performance
from lvzhi.deputies.activity_permissions import deputy_of
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.deputies.performance_permissions import may_read, may_read_all
from lvzhi.deputies.performance_report import report_docx
from lvzhi.portal.selectors import portal_name

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request: HttpRequest) -> int:
    this = timezone.localdate().year
    return int_param(request.GET.get("year"), 2000, this) or this


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


def _page(request: HttpRequest, deputy: Deputy, mine: bool) -> HttpResponse:
    year = _year(request)
    r = performance.record(deputy, year)
    return render(request, "deputies/performance/record.html", {
        "r": r, "year": year, "years": _years(), "mine": mine, "deputy": deputy})


@role_required(Role.DEPUTY)
def my_record(request: HttpRequest) -> HttpResponse:
    deputy = deputy_of(request.user)
    if deputy is None:
        raise Http404("您的账号尚未关联代表信息，请联系代表工委")
    return _page(request, deputy, True)


@role_required(Role.DEPUTY, Role.CLERK, Role.LEADER)
def deputy_record(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_object_or_404(Deputy.objects.select_related("delegation", "station"), pk=pk)
    if not may_read(request.user, deputy):
        raise PermissionDenied("只有代表本人、代表工委和主任会议可以查看代表履职档案")
    return _page(request, deputy, deputy.user_id == request.user.pk)


@role_required(Role.CLERK, Role.LEADER)
def records(request: HttpRequest) -> HttpResponse:
    if not may_read_all(request.user):
        raise PermissionDenied("代表履职档案由代表工委管理，主任会议可以查阅")
    year = _year(request)
    flagged_only = request.GET.get("flagged") == "1"
    q = (request.GET.get("q") or "").strip()[:20]
    qs = (Deputy.objects.filter(congress_id=request.user.congress_id, status=DeputyStatus.ACTIVE)
          .select_related("delegation", "station").order_by("delegation_id", "id"))
    if q:
        qs = qs.filter(name__contains=q)
    rows = performance.records(qs, year)
    flagged = [r for r in rows if r.flags]
    return render(request, "deputies/performance/records.html", {
        "rows": flagged if flagged_only else rows, "flagged": flagged, "total": len(rows), "year": year,
        "years": _years(), "flagged_only": flagged_only, "q": q,
        "columns": [s.source for s in (rows[0].sections if rows else [])]})


@role_required(Role.DEPUTY, Role.CLERK, Role.LEADER)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_object_or_404(Deputy.objects.select_related("delegation", "congress"), pk=pk)
    if not may_read(request.user, deputy):
        raise PermissionDenied("只有代表本人、代表工委和主任会议可以生成履职报告")
    year = _year(request)
    body = report_docx(performance.record(deputy, year))
    resp = HttpResponse(body, content_type=DOCX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{deputy.name}{year}年度履职情况报告')}.docx"
    return resp


def public(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page (no login): basic information and the public sections as counts."""
    deputy = get_object_or_404(Deputy.objects.select_related("delegation", "station", "congress"), pk=pk,
                               status=DeputyStatus.ACTIVE)
    year = _year(request)
    r = performance.record(deputy, year, public=True)
    return render(request, "deputies/performance/public.html", {
        "r": r, "deputy": deputy, "year": year, "years": _years(), "congress": deputy.congress,
        "portal_name": portal_name(deputy.congress), "portal_section": "代表履职公示"})
