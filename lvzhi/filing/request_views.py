"""Review requests' pages: the portal's form (no login), its receipt, the receipt-code lookup
(with the proposer's completion), the published results; the 法工委's list and 启动审查.
Nothing personal is shown on a public page: no name, no contact."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.cases import deadlines, selectors
from lvzhi.cases.engine import fire
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.params import id_param
from lvzhi.core.throttle import client_ip
from lvzhi.filing import request_services as svc
from lvzhi.filing.request_forms import PortalForm, filings_open_to_requests
from lvzhi.filing.request_permissions import KIND, may_see_requests
from lvzhi.filing.request_states import COMPLETING
from lvzhi.portal.selectors import portal_name

SECTION = "规范性文件审查建议"
RECEIPT_SESSION = "lvzhi_review_request_receipts"


def _ctx(congress, **extra) -> dict:
    return {"congress": congress, "portal_name": portal_name(congress), "portal_section": SECTION, **extra}


@never_cache
def portal_new(request: HttpRequest) -> HttpResponse:
    congress = svc.portal_congress(id_param(request.GET.get("congress")))
    if congress is None:
        raise Http404("没有接受备案的人大常委会")
    filings = list(filings_open_to_requests(congress.pk)[:300])
    data = request.POST if request.method == "POST" else None
    form = PortalForm(data, initial={"filing": request.GET.get("filing", "")})
    status = 400 if data is not None and not form.is_valid() else 200
    if data is not None and form.is_valid():
        d = dict(form.cleaned_data)
        answer = d.pop("answer", "")
        d["filing"] = id_param(d.get("filing")) or ""
        try:
            case = svc.submit_public(congress, d, ip=client_ip(request), session=request.session, answer=answer)
        except TransitionError as exc:
            form.add_error(None, exc.message)
            for name, msgs in exc.errors.items():
                if name in form.fields:
                    form.add_error(name, msgs)
            status = exc.status
        else:
            receipt = case.review_request_detail.receipt
            request.session[RECEIPT_SESSION] = [*request.session.get(RECEIPT_SESSION, [])[-9:], receipt]
            return redirect(reverse("filing:request_done", args=[receipt]))
    return render(request, "filing/request_portal_form.html", _ctx(
        congress, form=form, filings=filings, chosen=str(form["filing"].value() or ""),
        question=svc.new_challenge(request.session)), status=status)


@never_cache
def portal_done(request: HttpRequest, receipt: str) -> HttpResponse:
    """The receipt code, shown once to the browser that submitted the request."""
    if receipt not in request.session.get(RECEIPT_SESSION, []):
        return redirect(reverse("filing:request_lookup"))
    case = svc.lookup_receipt(receipt)
    if case is None:
        raise Http404("查询码不存在")
    return render(request, "filing/request_portal_done.html", _ctx(case.congress, case=case,
                                                                  detail=case.review_request_detail))


@never_cache
def portal_lookup(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()[:20]
    case = svc.lookup_receipt(code) if code else None
    error = ""
    status = 404 if code and case is None else 200
    if case is not None and request.method == "POST" and case.state == COMPLETING:
        try:
            fire(case, "complete", None, {"text": request.POST.get("text", ""),
                                          "provisions": request.POST.get("provisions", "")})
        except TransitionError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect(f"{reverse('filing:request_lookup')}?code={case.review_request_detail.receipt}")
    return render(request, "filing/request_portal_lookup.html", _ctx(
        case.congress if case else None, code=code, case=case, detail=case.review_request_detail if case else None,
        told=svc.told(case) if case else [], error=error, completing=case is not None and case.state == COMPLETING,
        text=request.POST.get("text", "")), status=status)


def portal_results(request: HttpRequest) -> HttpResponse:
    congress = svc.portal_congress(id_param(request.GET.get("congress")))
    rows = list(svc.published_results(congress.pk if congress else None)[:200])
    return render(request, "filing/request_portal_results.html", _ctx(congress, rows=rows))


@role_required(Role.LEADER, Role.CLERK)
def office_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_see_requests(user):
        raise PermissionDenied("审查建议只对法制工作委员会和主任会议开放")
    qs = (selectors.with_list_relations(visible_cases(user).filter(kind=KIND))
          .select_related("review_request_detail__filing__filing_detail").order_by("-submitted_at", "-id"))
    rows = selectors.decorate(list(qs[:500]), lights=deadlines.Lights(timezone.localdate()))
    kind = get_kind(KIND)
    groups = [(s, [r for r in rows if r.case.state == s.code]) for s in kind.states]
    return render(request, "filing/request_list.html", {
        "groups": [(s, g) for s, g in groups if g], "total": len(rows),
        "overdue": [r for r in rows if r.light == deadlines.Light.RED]})


@require_POST
@role_required(Role.CLERK)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user).filter(kind=KIND), pk=pk)
    try:
        svc.start_review(case, request.user, {"note": request.POST.get("note", "")})
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已启动审查，并受理到备案文件的审查中")
    return redirect("cases:detail", case.pk)
