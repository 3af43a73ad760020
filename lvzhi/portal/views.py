from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from lvzhi.portal.selectors import published, published_replies, redact


def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = Paginator(published(q), 20).get_page(request.GET.get("page"))
    return render(request, "portal/index.html", {"page": page, "q": q})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(published(), pk=pk)
    return render(request, "portal/detail.html", {
        "case": case, "body": redact(case.body), "replies": published_replies(case)})
