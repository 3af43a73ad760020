"""The regulation registry's pages (法规库): the list, a regulation's page with its text, versions,
approval, publication, implementing rules, evaluations and timeline; the diff of two versions;
the implementing rules' list; the clean-ups; the import; and the public pages. Thin: parse, ask
registry_permissions, call the services, render."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.cases.kinds import NavEntry
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Congress, Role
from lvzhi.core.params import id_param
from lvzhi.core.validation import summary
from lvzhi.documents.uploads import UploadError, check_upload
from lvzhi.legislation import diff, importing, timeline
from lvzhi.legislation import registry_permissions as perms
from lvzhi.legislation import registry_services as svc
from lvzhi.legislation.choices import Action, Field, RegulationStatus
from lvzhi.legislation.models import Regulation, RegulationVersion
from lvzhi.legislation.registry_forms import (
    CleanupForm,
    DatesForm,
    DecideForm,
    EvaluationForm,
    FindingForm,
    RegulationForm,
    RuleDoneForm,
    RuleForm,
    VersionForm,
)
from lvzhi.legislation.registry_models import Cleanup, CleanupFinding, ImplementingRule, RuleState
from lvzhi.legislation.versions import record_dates, record_version
from lvzhi.portal.selectors import portal_name

ROLES = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)
NAV = tuple(NavEntry(role, "legislation:regulations", "法规库", when=perms.may_see_registry) for role in ROLES)
MAX_IMPORT_FILES = 30


def _need(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _see(request: HttpRequest) -> None:
    _need(perms.may_see_registry(request.user), "法规库只对主任会议、各委员会和工作机构开放")


def _write(request: HttpRequest) -> None:
    _need(perms.may_write_registry(request.user), "法规库由法制工作委员会维护")


def _regulation(request: HttpRequest, pk: int) -> Regulation:
    reg = get_object_or_404(Regulation.objects.select_related("lead_committee", "congress"), pk=pk)
    _need(perms.may_see_regulation(request.user, reg), "您无权查看该法规")
    return reg


def _form_page(request: HttpRequest, form: forms.Form, *, title: str, back: str, back_label: str,
               submit: str = "保存", status: int = 200, note: str = "") -> HttpResponse:
    return render(request, "legislation/registry_form.html", {
        "form": form, "title": title, "back": back, "back_label": back_label, "submit": submit, "note": note},
        status=status)


def _handle(request: HttpRequest, form: forms.Form, title: str, write: Callable[[dict], str],
            done_url: Callable[[], str], **page) -> HttpResponse:
    """POST: validate, call the service, redirect with its message; a refusal shows the form again (400)."""
    if request.method == "POST":
        if form.is_valid():
            try:
                message = write(form.cleaned_data)
            except InvalidInput as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, message)
                return redirect(done_url())
        messages.error(request, summary(form.errors, f"“{title}”"))
        return _form_page(request, form, title=title, status=400, **page)
    return _form_page(request, form, title=title, **page)


# ------------------------------------------------------------------ list and page

@role_required(*ROLES)
def regulations(request: HttpRequest) -> HttpResponse:
    _see(request)
    cid = request.user.congress_id
    status = request.GET.get("status", "")
    field = request.GET.get("field", "")
    q = (request.GET.get("q") or "").strip()[:50]
    rows = list(svc.search(cid, status=status, field=field, q=q).annotate(
        # distinct: the two joins multiply each other's rows
        n_versions=Count("versions", distinct=True), n_overdue=Count("implementing_rules", distinct=True, filter=Q(
            implementing_rules__done_on__isnull=True, implementing_rules__due_on__lt=timezone.localdate())))
        .order_by("status", "title"))
    return render(request, "legislation/registry_list.html", {
        "rows": rows, "counts": svc.status_counts(cid), "statuses": RegulationStatus.choices, "fields": Field.choices,
        "status": status, "field": field, "q": q, "may_write": perms.may_write_registry(request.user)})


@role_required(*ROLES)
def regulation(request: HttpRequest, pk: int) -> HttpResponse:
    reg = _regulation(request, pk)
    versions = list(reg.versions.select_related("bill").order_by("adopted_on", "pk"))
    current = reg.current
    today = timezone.localdate()
    rules = svc.rules_with_state(reg.implementing_rules.all(), today)
    return render(request, "legislation/registry_detail.html", {
        "reg": reg, "versions": versions, "current": current, "parsed": current.parsed() if current else None,
        "rules": rules, "overdue_rules": [r for r in rules if r.current_state == RuleState.OVERDUE],
        "evaluations": list(reg.evaluations.all()),
        "findings": list(reg.cleanup_findings.select_related("cleanup", "follow_up_version")),
        "timeline": timeline.entries(reg), "today": today,
        "with_text": [v for v in versions if v.text], "may_write": perms.may_write_registry(request.user)})


@role_required(*ROLES)
def regulation_new(request: HttpRequest) -> HttpResponse:
    _write(request)
    user = request.user
    form = RegulationForm(request.POST or None, congress_id=user.congress_id)
    created: list[Regulation] = []

    def write(d: dict) -> str:
        created.append(svc.create_regulation(user, user.congress, **d))
        return f"已登记《{created[0].title}》，请登记它的制定版本。"

    return _handle(request, form, "登记法规", write,
                   lambda: reverse("legislation:version_new", args=[created[0].pk]),
                   back=reverse("legislation:regulations"), back_label="法规库")


@role_required(*ROLES)
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    _write(request)
    reg = _regulation(request, pk)
    initial = {"action": Action.ENACT if not reg.versions.exists() else Action.AMEND_DECISION}
    if reg.current:
        initial["text"] = reg.current.text
    form = VersionForm(request.POST or None, initial=initial)

    def write(d: dict) -> str:
        v = record_version(reg, d.pop("action"), d.pop("adopted_on"), text=d.pop("text"), decision=d.pop("decision"),
                           actor=request.user, **d)
        return f"已登记《{reg.title}》{v.get_action_display()}版本（{v.adopted_on:%Y年%-m月%-d日}）。"

    return _handle(request, form, f"登记版本：{reg.title}", write, lambda: reverse("legislation:regulation", args=[pk]),
                   back=reg.get_absolute_url(), back_label=reg.title,
                   note="全文一段一行；登记后法规状态随版本变化（制定、修改后为现行有效，废止后为已废止）。")


@role_required(*ROLES)
def version_dates(request: HttpRequest, pk: int, vpk: int) -> HttpResponse:
    _write(request)
    reg = _regulation(request, pk)
    version = get_object_or_404(RegulationVersion, pk=vpk, regulation=reg)
    initial = {name: getattr(version, name) for name in DatesForm.base_fields}
    form = DatesForm(request.POST or None, initial=initial)

    def write(d: dict) -> str:
        changed = {k: v for k, v in d.items() if v not in (None, "") and v != initial.get(k)}
        record_dates(version, actor=request.user, **changed)
        return f"已登记{version}的批准、公布和施行信息。"

    return _handle(request, form, f"批准、公布和施行：{version}", write,
                   lambda: version.get_absolute_url(), back=reg.get_absolute_url(), back_label=reg.title,
                   note="立法法第八十一条：设区的市的法规报省、自治区人大常委会批准后施行，四个月内批准；"
                        "第八十八、八十九条：在常委会公报、中国人大网、本地人大网站和报纸上刊载，公报文本为标准文本。")


@role_required(*ROLES)
def regulation_diff(request: HttpRequest, pk: int) -> HttpResponse:
    reg = _regulation(request, pk)
    versions = [v for v in reg.versions.order_by("adopted_on", "pk") if v.text]
    by_id = {v.pk: v for v in versions}
    a, b = by_id.get(id_param(request.GET.get("a"))), by_id.get(id_param(request.GET.get("b")))
    if (a is None or b is None) and len(versions) >= 2:
        a, b = a or versions[-2], b or versions[-1]
    changes = diff.compare(a.text, b.text) if a and b else []
    show_all = request.GET.get("all") == "1"
    return render(request, "legislation/registry_diff.html", {
        "reg": reg, "versions": versions, "a": a, "b": b, "counts": diff.counts(changes) if changes else {},
        "changes": changes if show_all else [c for c in changes if c.kind != diff.UNCHANGED or c.renumbered],
        "show_all": show_all})


# ------------------------------------------------------------------ implementing rules, evaluations

@role_required(*ROLES)
def rule_new(request: HttpRequest, pk: int) -> HttpResponse:
    _write(request)
    reg = _regulation(request, pk)
    form = RuleForm(request.POST or None, congress_id=request.user.congress_id)

    def write(d: dict) -> str:
        rule = svc.add_implementing_rule(request.user, reg, **d)
        return f"已登记配套规定“{rule.title}”，应于{rule.due_on:%Y年%-m月%-d日}前出台。"

    return _handle(request, form, f"登记配套规定：{reg.title}", write,
                   lambda: reverse("legislation:regulation", args=[pk]) + "#rules", back=reg.get_absolute_url(),
                   back_label=reg.title, note="立法法第六十六条：法规要求对专门事项作出配套的具体规定的，"
                   "有关机关应当自法规施行之日起一年内作出规定；法规另有规定的，从其规定。")


@role_required(*ROLES)
def rule_done(request: HttpRequest, pk: int) -> HttpResponse:
    _write(request)
    rule = get_object_or_404(ImplementingRule.objects.select_related("regulation"), pk=pk)
    reg = _regulation(request, rule.regulation_id)
    form = RuleDoneForm(request.POST or None)

    def write(d: dict) -> str:
        svc.complete_implementing_rule(request.user, rule, **d)
        return f"已登记配套规定出台：{d['document_title']}。"

    return _handle(request, form, f"配套规定出台：{rule.title}", write, lambda: rule.get_absolute_url(),
                   back=reg.get_absolute_url(), back_label=reg.title)


@role_required(*ROLES)
def implementing_rules(request: HttpRequest) -> HttpResponse:
    _see(request)
    today = timezone.localdate()
    rows = svc.rules_with_state(ImplementingRule.objects.filter(regulation__congress_id=request.user.congress_id)
                                .order_by("done_on", "due_on"), today)
    state = request.GET.get("state", "")
    counts = svc.rule_counts(rows)
    if state in RuleState.values:
        rows = [r for r in rows if r.current_state == state]
    return render(request, "legislation/registry_rules.html", {
        "rows": rows, "counts": counts, "state": state, "states": RuleState.choices, "today": today})


@role_required(*ROLES)
def evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    _write(request)
    reg = _regulation(request, pk)
    form = EvaluationForm(request.POST or None, request.FILES or None,
                          initial={"year": timezone.localdate().year, "body": "市人大常委会法制工作委员会"})

    def write(d: dict) -> str:
        if d.get("report"):
            try:
                check_upload(d["report"], {"docx", "pdf"}, 20 * 1024 * 1024)
            except UploadError as exc:
                raise InvalidInput(exc.message) from None
        ev = svc.add_evaluation(request.user, reg, **d)
        return f"已登记{ev}：{ev.get_conclusion_display()}。"

    return _handle(request, form, f"立法后评估：{reg.title}", write,
                   lambda: reverse("legislation:regulation", args=[pk]) + "#evaluations", back=reg.get_absolute_url(),
                   back_label=reg.title, note="立法法第六十七条：可以组织对法规或者法规中有关规定进行立法后评估，"
                   "评估情况应当向常务委员会报告。")


# ------------------------------------------------------------------ clean-ups

@role_required(*ROLES)
def cleanups(request: HttpRequest) -> HttpResponse:
    _see(request)
    rows = list(Cleanup.objects.filter(congress_id=request.user.congress_id).annotate(
        n_regs=Count("regulations", distinct=True), n_findings=Count("findings", distinct=True)))
    return render(request, "legislation/registry_cleanups.html", {
        "rows": rows, "may_write": perms.may_write_registry(request.user)})


@role_required(*ROLES)
def cleanup_new(request: HttpRequest) -> HttpResponse:
    _write(request)
    user = request.user
    form = CleanupForm(request.POST or None, congress_id=user.congress_id,
                       initial={"year": timezone.localdate().year})
    created: list[Cleanup] = []

    def write(d: dict) -> str:
        d["regulations"] = list(d["regulations"])
        created.append(svc.create_cleanup(user, user.congress, **d))
        return f"已开展“{created[0].title}”，共{created[0].regulations.count()}件法规，请逐件提出清理意见。"

    return _handle(request, form, "开展法规清理", write, lambda: created[0].get_absolute_url(),
                   back=reverse("legislation:cleanups"), back_label="法规清理",
                   note="立法法第一百一十六条：制定机关根据维护法制统一的原则和改革发展的需要进行清理。")


@role_required(*ROLES)
def cleanup(request: HttpRequest, pk: int) -> HttpResponse:
    _see(request)
    obj = get_object_or_404(Cleanup, pk=pk, congress_id=request.user.congress_id)
    may_write = perms.may_write_registry(request.user)
    return render(request, "legislation/registry_cleanup.html", {
        "cleanup": obj, "rows": svc.cleanup_rows(obj), "counts": svc.finding_counts(obj), "may_write": may_write,
        "finding_form": FindingForm(cleanup=obj) if may_write else None,
        "decide_form": DecideForm() if may_write else None})


def _cleanup_post(request: HttpRequest, obj: Cleanup, form: forms.Form, title: str,
                  write: Callable[[dict], str], anchor: str = "") -> HttpResponse:
    if form.is_valid():
        try:
            messages.success(request, write(form.cleaned_data))
        except InvalidInput as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, summary(form.errors, f"“{title}”"))
    return redirect(obj.get_absolute_url() + anchor)


@role_required(*ROLES)
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    _write(request)
    obj = get_object_or_404(Cleanup, pk=pk, congress_id=request.user.congress_id)

    def write(d: dict) -> str:
        f = svc.add_finding(request.user, obj, d["regulation"], outcome=d["outcome"], reason=d["reason"])
        return f"已登记《{f.regulation.title}》的清理意见：{f.get_outcome_display()}。"

    return _cleanup_post(request, obj, FindingForm(request.POST, cleanup=obj), "清理意见", write, "#findings")


@role_required(*ROLES)
@require_POST
def finding_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    _write(request)
    finding = get_object_or_404(CleanupFinding.objects.select_related("cleanup", "regulation"), pk=pk,
                                cleanup__congress_id=request.user.congress_id)
    version = finding.regulation.versions.filter(pk=id_param(request.POST.get("version"))).first()
    try:
        svc.record_follow_up(request.user, finding, version=version)
        messages.success(request, f"已登记《{finding.regulation.title}》清理意见的落实情况。")
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect(finding.get_absolute_url())


@role_required(*ROLES)
@require_POST
def cleanup_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _write(request)
    obj = get_object_or_404(Cleanup, pk=pk, congress_id=request.user.congress_id)

    def write(d: dict) -> str:
        svc.decide_cleanup(request.user, obj, decided_on=d["decided_on"])
        return f"已登记常委会对“{obj.title}”的决定。"

    return _cleanup_post(request, obj, DecideForm(request.POST), "清理决定", write)


# ------------------------------------------------------------------ import

@role_required(*ROLES)
def regulation_import(request: HttpRequest) -> HttpResponse:
    _write(request)
    results: list[importing.FileResult] = []
    error = ""
    status = 200
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            error, status = "请选择要导入的法规文件（.docx、.txt或.md）", 400
        elif len(files) > MAX_IMPORT_FILES:
            error, status = f"一次最多导入{MAX_IMPORT_FILES}个文件，本次选择了{len(files)}个", 400
        else:
            results = importing.import_files(request.user, request.user.congress, files)
            status = 200 if any(r.ok for r in results) else 400
    return render(request, "legislation/registry_import.html", {
        "results": results, "error": error, "imported": sum(1 for r in results if r.ok),
        "refused": sum(1 for r in results if not r.ok)}, status=status)


# ------------------------------------------------------------------ public

def _public_congress(request: HttpRequest) -> Congress:
    wanted = id_param(request.GET.get("congress"))
    qs = Congress.objects.filter(regulations__status=RegulationStatus.IN_FORCE).distinct()
    congress = (qs.filter(pk=wanted) if wanted else qs).order_by("pk").first()
    if congress is None:
        raise Http404("暂无公开的地方性法规")
    return congress


def public_regulations(request: HttpRequest) -> HttpResponse:
    """立法法 第八十八、八十九条: the regulations in force, as published; no login."""
    congress = _public_congress(request)
    q = (request.GET.get("q") or "").strip()[:50]
    rows = svc.search(congress.pk, status=RegulationStatus.IN_FORCE, q=q).order_by("title")
    return render(request, "legislation/registry_public_list.html", {
        "congress": congress, "portal_name": portal_name(congress), "portal_section": "地方性法规",
        "rows": rows, "q": q, "fields": dict(Field.choices)})


def public_regulation(request: HttpRequest, pk: int) -> HttpResponse:
    reg = get_object_or_404(Regulation.objects.select_related("congress"), pk=pk)
    if reg.status == RegulationStatus.DRAFTING:
        raise Http404("该法规尚未公布")
    versions = list(reg.versions.order_by("adopted_on", "pk"))
    current = reg.current
    return render(request, "legislation/registry_public_detail.html", {
        "reg": reg, "congress": reg.congress, "portal_name": portal_name(reg.congress),
        "portal_section": "地方性法规", "versions": versions, "current": current,
        "parsed": current.parsed() if current and reg.status == RegulationStatus.IN_FORCE else None})
