from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from lvzhi.cases.selectors import bounded_page
from lvzhi.core.params import id_param
from lvzhi.portal.selectors import portal_name, public_congresses, published, published_replies, redact


def index(request: HttpRequest) -> HttpResponse:
    """One congress's published cases (?congress=, else the one that published most)."""
    q = request.GET.get("q", "").strip()
    congresses = public_congresses()
    wanted = id_param(request.GET.get("congress"))
    congress = next((c for c in congresses if c.pk == wanted), congresses[0] if congresses else None)
    page = bounded_page(published(q, congress.pk if congress else None), request.GET, decorated=False)
    return render(request, "portal/index.html", {
        "page": page, "q": q, "congress": congress, "congresses": congresses,
        "portal_name": portal_name(congress)})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(published().select_related("congress"), pk=pk)
    return render(request, "portal/detail.html", {
        "case": case, "body": redact(case.body), "replies": published_replies(case),
        "congress": case.congress, "portal_name": portal_name(case.congress)})
