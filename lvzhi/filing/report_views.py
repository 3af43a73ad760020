"""Pages of the 发文目录, special reviews and the annual report. Thin: the services decide."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import UNIT_ROLES, Role
from lvzhi.filing import catalogue, report, special
from lvzhi.filing.choices import Criterion
from lvzhi.filing.models import (
    AnnualReport,
    Catalogue,
    CatalogueEntry,
    Handling,
    ItemConclusion,
    SpecialReview,
)
from lvzhi.filing.permissions import filing_body_of, is_filing_office, may_see_review
from lvzhi.filing.report_forms import CatalogueForm, DateForm, SpecialForm, SpecialReportForm

STAFF = (Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF)


def _see(request: HttpRequest) -> None:
    if not may_see_review(request.user):
        raise PermissionDenied("只有法工委、专门委员会和主任会议成员可以查看备案审查报告")


def _office(request: HttpRequest) -> None:
    if not is_filing_office(request.user):
        raise PermissionDenied("只有法工委备案审查工作人员可以办理")


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        return timezone.localdate().year - 1


def _done(request: HttpRequest, fn, ok: str) -> bool:
    try:
        fn()
    except TransitionError as err:
        messages.error(request, str(err))
        return False
    messages.success(request, ok)
    return True


# ------------------------------------------------------------------ the office's home

@role_required(*STAFF)
def home(request: HttpRequest) -> HttpResponse:
    _see(request)
    cid = request.user.congress_id
    year = _year(request)
    return render(request, "filing/report_home.html", {
        "year": year, "years": range(timezone.localdate().year - 1, timezone.localdate().year - 5, -1),
        "catalogues": Catalogue.objects.filter(congress_id=cid, year=year).count(),
        "not_submitted": catalogue.not_submitted(cid, year),
        "missing": catalogue.missing_entries(cid, year).count(),
        "specials": SpecialReview.objects.filter(congress_id=cid).count(),
        "report": AnnualReport.objects.filter(congress_id=cid, year=year).first(),
        "is_office": is_filing_office(request.user)})


# ------------------------------------------------------------------ 发文目录

@role_required(*STAFF)
def catalogues(request: HttpRequest) -> HttpResponse:
    _see(request)
    cid, year = request.user.congress_id, _year(request)
    rows = (Catalogue.objects.filter(congress_id=cid, year=year).select_related("body")
            .annotate(n=Count("entries"), n_missing=Count("entries", filter=Q(entries__missing=True)))
            .order_by("body__name"))
    return render(request, "filing/report_catalogues.html", {
        "year": year, "rows": rows, "not_submitted": catalogue.not_submitted(cid, year),
        "missing": catalogue.missing_entries(cid, year), "is_office": is_filing_office(request.user),
        "due_on": catalogue.due_on(cid, year)})


@require_POST
@role_required(Role.CLERK)
def catalogue_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    entry = get_object_or_404(CatalogueEntry, pk=pk, catalogue__congress_id=request.user.congress_id)
    _done(request, lambda: catalogue.resolve(entry, request.user), f"已确认{entry.doc_number}补报备案。")
    return redirect(f"{_url('filing:catalogues')}?year={entry.catalogue.year}")


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@role_required(*UNIT_ROLES)
def catalogue_submit(request: HttpRequest) -> HttpResponse:
    body = filing_body_of(request.user)
    if body is None:
        raise PermissionDenied("只有报送备案的制定机关可以报送发文目录")
    last_year = timezone.localdate().year - 1
    form = CatalogueForm(request.POST or None, request.FILES or None, initial={"year": last_year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        cat = []

        def write() -> None:
            rows = catalogue.read_upload(d["upload"]) if d.get("upload") else catalogue.parse_lines(d["lines"])
            cat.append(catalogue.submit(body, d["year"], rows, request.user))

        if _done(request, write, "发文目录已报送。"):
            n = cat[0].entries.filter(missing=True).count()
            if n:
                messages.warning(request, f"目录中有{n}件文件未报送备案（漏报），请尽快补报。")
            return redirect("filing:catalogue_submit")
    mine = (Catalogue.objects.filter(body=body).prefetch_related("entries__filing__case").order_by("-year"))
    return render(request, "filing/report_catalogue_submit.html", {
        "form": form, "body": body, "mine": mine, "due_on": catalogue.due_on(body.congress_id, last_year),
        "last_year": last_year})


@role_required(*UNIT_ROLES, *STAFF)
def catalogue_template(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    resp = HttpResponse(catalogue.template_bytes(year), content_type=report.XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''catalogue-{year}.xlsx"
    return resp


# ------------------------------------------------------------------ special reviews

@role_required(*STAFF)
def specials(request: HttpRequest) -> HttpResponse:
    _see(request)
    cid = request.user.congress_id
    office = is_filing_office(request.user)
    form = SpecialForm(request.POST or None, congress_id=cid) if office else None
    if request.method == "POST":
        _office(request)
        if form.is_valid():
            d = form.cleaned_data
            made = []

            def write() -> None:
                made.append(special.create(request.user.congress, request.user, title=d["title"],
                                           trigger=d["trigger"], subject=d["subject"], criterion=d["criterion"],
                                           doc_kind=d["doc_kind"], body_id=d["body"].pk if d["body"] else None,
                                           year=d["year"], cleanup=d["cleanup"]))

            if _done(request, write, "已启动专项审查，请逐件作出审查结论。"):
                return redirect(made[0].get_absolute_url())
    rows = (SpecialReview.objects.filter(congress_id=cid)
            .annotate(n=Count("items"), n_problem=Count("items", filter=Q(items__conclusion="problem"))))
    return render(request, "filing/report_specials.html", {"rows": rows, "form": form})


@role_required(*STAFF)
def special_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _see(request)
    review = get_object_or_404(SpecialReview, pk=pk, congress_id=request.user.congress_id)
    if request.method == "POST":
        _office(request)
        action = request.POST.get("action")
        if action == "record":
            batch = {}
            for item in review.items.all():
                batch[item.pk] = {k: request.POST.get(f"{k}_{item.pk}", "")
                                  for k in ("conclusion", "criterion", "reason", "handling")}
            _done(request, lambda: special.record(review, request.user, batch), "审查结论已保存。")
        elif action == "report":
            form = SpecialReportForm(request.POST)
            if form.is_valid():
                _done(request, lambda: special.report(review, request.user, **form.cleaned_data),
                      "已记录向主任会议报告的情况。")
            else:
                messages.error(request, "请填写主任会议听取日期和报告情况。")
        elif action == "close":
            _done(request, lambda: special.close(review, request.user), "专项审查已结束。")
        return redirect(review.get_absolute_url())
    items = list(review.items.select_related("filing__case", "filing__body"))
    return render(request, "filing/report_special.html", {
        "review": review, "items": items, "is_office": is_filing_office(request.user),
        "conclusions": ItemConclusion.choices, "criteria": Criterion.choices, "handlings": Handling.choices,
        "report_form": SpecialReportForm(), "summary": special.summary_line(review)})


# ------------------------------------------------------------------ the annual report

@role_required(*STAFF)
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    _see(request)
    congress = request.user.congress
    obj = AnnualReport.objects.filter(congress=congress, year=year).first()
    if request.method == "POST":
        _office(request)
        action = request.POST.get("action")
        form = DateForm(request.POST)
        day: dt.date | None = form.cleaned_data["day"] if form.is_valid() else None
        if action == "create":
            _done(request, lambda: report.create(congress, year, request.user), "已生成年度报告稿。")
        elif obj is None:
            messages.error(request, "请先生成年度报告稿。")
        elif action == "refresh":
            _done(request, lambda: report.refresh_text(obj), "已按最新数据重新生成报告正文。")
        elif action == "publish":
            _done(request, lambda: report.publish(obj, request.user), "报告已在门户网站公开。")
        elif action in ("heard", "sent") and day is None:
            messages.error(request, "请填写日期，如 2026-03-20。")
        elif action == "heard":
            _done(request, lambda: report.record_hearing(obj, day, request.user), "已记录常委会听取日期。")
        elif action == "sent":
            _done(request, lambda: report.send_up(obj, day, request.user), "已记录报送上一级人大常委会。")
        return redirect("filing:report_detail", year)
    rows = report.figures(congress, year)
    return render(request, "filing/report_detail.html", {
        "year": year, "report": obj, "rows": list(rows.values()), "sections": report.sentences(congress, year),
        "directory": report.directory_rows(congress, year), "is_office": is_filing_office(request.user),
        "light": report.send_up_light(obj) if obj else ""})


@role_required(*STAFF)
def report_docx(request: HttpRequest, year: int) -> HttpResponse:
    _see(request)
    resp = HttpResponse(report.draft_docx(request.user.congress, year), content_type=report.DOCX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''filing-report-{year}.docx"
    return resp


@role_required(*STAFF)
def directory_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    _see(request)
    resp = HttpResponse(report.directory_xlsx(request.user.congress, year), content_type=report.XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''filing-directory-{year}.xlsx"
    return resp
