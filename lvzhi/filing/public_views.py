"""The public's pages of filing review (no login): filed documents, the year's 备案目录, published
outcomes and published annual reports. Only what is public: title, 文号, body, dates, a published
result; never findings, opinions, plans, attachments or anyone's contact details."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lvzhi.core.models import Congress
from lvzhi.core.params import id_param
from lvzhi.filing import report, states
from lvzhi.filing.models import AnnualReport, FilingDetail
from lvzhi.portal.selectors import portal_name


def _congress(request: HttpRequest) -> Congress:
    wanted = id_param(request.GET.get("congress"))
    qs = Congress.objects.filter(filing_bodies__isnull=False).distinct()
    congress = (qs.filter(pk=wanted) if wanted else qs).order_by("pk").first()
    if congress is None:
        raise Http404("暂无备案审查公开信息")
    return congress


def _ctx(congress: Congress, **more) -> dict:
    return {"congress": congress, "portal_name": portal_name(congress), "portal_section": "备案审查",
            "dir_year": timezone.localdate().year - 1, **more}


def documents(request: HttpRequest) -> HttpResponse:
    congress = _congress(request)
    q = (request.GET.get("q") or "").strip()[:50]
    rows = (FilingDetail.objects.filter(case__congress=congress, case__registered_at__isnull=False)
            .select_related("case", "body").order_by("-published_on", "-id"))
    if q:
        rows = rows.filter(case__title__icontains=q) | rows.filter(doc_number__icontains=q)
    return render(request, "filing/public_documents.html", _ctx(
        congress, rows=rows[:300], q=q))


def directory(request: HttpRequest, year: int) -> HttpResponse:
    congress = _congress(request)
    return render(request, "filing/public_directory.html", _ctx(
        congress, year=year, rows=report.directory_rows(congress, year)))


def outcomes(request: HttpRequest) -> HttpResponse:
    congress = _congress(request)
    rows = (FilingDetail.objects.filter(case__congress=congress, outcome_public=True)
            .exclude(outcome="").select_related("case", "body").order_by("-outcome_at", "-id"))
    revoked = (FilingDetail.objects.filter(case__congress=congress, case__state=states.REVOKED)
               .select_related("case", "body").order_by("-outcome_at"))
    return render(request, "filing/public_outcomes.html", _ctx(congress, rows=rows, revoked=revoked))


def reports(request: HttpRequest) -> HttpResponse:
    congress = _congress(request)
    rows = AnnualReport.objects.filter(congress=congress, published_at__isnull=False).order_by("-year")
    return render(request, "filing/public_reports.html", _ctx(congress, rows=rows))


def report_page(request: HttpRequest, year: int) -> HttpResponse:
    congress = _congress(request)
    obj = get_object_or_404(AnnualReport, congress=congress, year=year, published_at__isnull=False)
    paras = [p for p in obj.text.splitlines() if p.strip()]
    return render(request, "filing/public_report.html", _ctx(congress, report=obj, paras=paras))
