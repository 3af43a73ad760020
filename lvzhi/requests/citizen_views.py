"""代表码上见's pages.

The citizen's (no login, phone first): the page a QR code opens and its form, the receipt shown
once, the receipt-code lookup with the rating and the reopening. Nothing personal is shown on a
public page but the citizen's own request, with the contact masked.
The deputy's, the station's and the 代表工委's: the list of requests, and the QR posters. Acting
on a request happens on the generic case page (the engine's transitions).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lvzhi.cases import deadlines
from lvzhi.cases.engine import fire
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.selectors import decorate
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.throttle import client_ip
from lvzhi.deputies.models import Deputy, LiaisonStation
from lvzhi.documents import qr
from lvzhi.portal.selectors import portal_name
from lvzhi.requests import citizen_services as svc
from lvzhi.requests.citizen_forms import RateForm
from lvzhi.requests.citizen_permissions import KIND, may_hold_poster
from lvzhi.requests.citizen_states import ANSWERED
from lvzhi.requests.citizen_workflow import reopen_refusal

SECTION = "代表码上见"
RECEIPT_SESSION = "lvzhi_citizen_request_receipts"


def _ctx(congress, **extra) -> dict:
    return {"congress": congress, "portal_name": portal_name(congress) if congress else "",
            "portal_section": SECTION, **extra}


def _target(token: str) -> svc.Target:
    target = svc.target_of(token)
    if target is None:
        raise Http404("二维码无效或已失效，请扫描代表或联络站张贴的最新二维码")
    return target


@never_cache
def new(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    congress = (target.deputy or target.station).congress
    errors, error, status = {}, "", 200
    data = request.POST if request.method == "POST" else None
    if data is not None:
        try:
            case = svc.submit(target, data, request.FILES.getlist("photos"), ip=client_ip(request))
        except TransitionError as exc:
            error, status, errors = exc.message, exc.status, exc.errors
        else:
            receipt = case.citizen_request_detail.receipt
            request.session[RECEIPT_SESSION] = [*request.session.get(RECEIPT_SESSION, [])[-9:], receipt]
            return redirect(reverse("requests:citizen_done", args=[receipt]))
    return render(request, "requests/citizen/new.html", _ctx(
        congress, target=target, error=error, errors=errors, data=data or {},
        max_photos=svc.MAX_PHOTOS, max_photo_mb=svc.MAX_PHOTO // (1024 * 1024)), status=status)


@never_cache
def done(request: HttpRequest, receipt: str) -> HttpResponse:
    """The receipt code, shown to the browser that sent the request."""
    if receipt not in request.session.get(RECEIPT_SESSION, []):
        return redirect(reverse("requests:citizen_lookup"))
    case = svc.lookup_receipt(receipt)
    if case is None:
        raise Http404("查询码不存在")
    return render(request, "requests/citizen/done.html", _ctx(
        case.congress, case=case, detail=case.citizen_request_detail, told=svc.told(case)))


@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()[:20]
    case = svc.lookup_receipt(code) if code else None
    status = 404 if code and case is None else 200
    action, errors, error = request.POST.get("action", ""), {}, ""
    if case is not None and request.method == "POST" and action in ("rate", "reopen"):
        data = {k: request.POST.get(k, "") for k in ("rating", "comment", "reason")}
        try:
            fire(case, action, None, data)
        except TransitionError as exc:
            error, errors, status = exc.message, exc.errors, exc.status
        else:
            return redirect(f"{reverse('requests:citizen_lookup')}?code={case.citizen_request_detail.receipt}")
    detail = case.citizen_request_detail if case else None
    may_reopen = case is not None and not reopen_refusal(case, timezone.now())
    return render(request, "requests/citizen/lookup.html", _ctx(
        case.congress if case else None, code=code, case=case, detail=detail,
        told=svc.told(case) if case else [], photos=list(case.request_photos.all()) if case else [],
        rate_form=RateForm(case=case, actor=None) if case is not None and case.state == ANSWERED else None,
        may_reopen=may_reopen, error=error, errors=errors, post=request.POST, action=action), status=status)


@role_required(Role.DEPUTY, Role.CLERK, Role.LEADER)
def office_list(request: HttpRequest) -> HttpResponse:
    """Every request the user may read, grouped by state, with the clocks' lights."""
    rows = decorate(list(svc.requests_of(request.user)[:500]), lights=deadlines.Lights(timezone.localdate()))
    kind = get_kind(KIND)
    groups = [(s, [r for r in rows if r.case.state == s.code]) for s in kind.states]
    mine = getattr(request.user, "deputy", None) if request.user.role == Role.DEPUTY else None
    stations = list(request.user.kept_stations.all()) if request.user.role != Role.DEPUTY else []
    return render(request, "requests/citizen/list.html", {
        "groups": [(s, g) for s, g in groups if g], "total": len(rows), "deputy": mine, "stations": stations,
        "overdue": [r for r in rows if r.light == deadlines.Light.RED],
        "poster_deputy": mine and mine.user_id == request.user.pk})


@role_required(Role.DEPUTY)
def mine(request: HttpRequest) -> HttpResponse:
    return office_list(request)


def _poster(request: HttpRequest, title: str, lines: list[str], token: str, fmt: str, name: str) -> HttpResponse:
    if fmt not in ("png", "pdf"):
        raise Http404("海报只有PNG和PDF两种格式")
    url = request.build_absolute_uri(reverse("requests:citizen_new", args=[token]))
    try:
        body = qr.poster(title, lines, url, fmt, footer="您的联系方式仅代表和联络站可见 · 凭查询码查看办理进展")
    except qr.FontMissing as exc:
        raise Http404(str(exc)) from None
    resp = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else "image/png")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.{fmt}"
    return resp


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@role_required(Role.DEPUTY, Role.CLERK, Role.LEADER)
def deputy_poster(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    deputy = get_object_or_404(Deputy.objects.select_related("delegation", "station"), pk=pk)
    if not may_hold_poster(request.user, deputy=deputy):
        raise PermissionDenied("只有代表本人、所在联络站联络员和代表工委可以下载该二维码")
    lines = [f"{deputy.name}代表", deputy.occupation or "", "扫码向代表反映问题、提出意见建议"]
    return _poster(request, "代表码上见", [x for x in lines if x], svc.qr_token("d", deputy.pk), fmt,
                   f"代表码上见-{deputy.name}")


@role_required(Role.DEPUTY, Role.CLERK, Role.LEADER)
def station_poster(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    station = get_object_or_404(LiaisonStation, pk=pk)
    if not may_hold_poster(request.user, station=station):
        raise PermissionDenied("只有联络站的代表、联络员和代表工委可以下载该二维码")
    lines = [station.name, station.address, "扫码向进站代表反映问题、提出意见建议"]
    return _poster(request, "代表码上见", [x for x in lines if x], svc.qr_token("s", station.pk), fmt,
                   f"代表码上见-{station.name}")


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A request's photo: to whoever may read the request, or to the citizen holding its code."""
    from django.http import FileResponse

    from lvzhi.cases.permissions import visible_cases
    from lvzhi.requests.citizen_models import RequestPhoto

    p = get_object_or_404(RequestPhoto.objects.select_related("case__citizen_request_detail"), pk=pk)
    code = (request.GET.get("code") or "").strip().upper()
    holder = code and code == p.case.citizen_request_detail.receipt
    if not holder and not visible_cases(request.user).filter(pk=p.case_id).exists():
        raise Http404("照片不存在")
    resp = FileResponse(p.file.open("rb"), content_type="image/png" if p.file.name.endswith(".png") else "image/jpeg")
    resp["Cache-Control"] = "private, no-store"
    return resp


__all__ = ["deputy_poster", "done", "lookup", "mine", "new", "office_list", "photo",
           "station_poster"]
