"""Pages for deputies, the clerk, units and leaders. Thin: parse, call a service or the
engine, render. Every refusal comes from the engine with its Chinese message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.cases import deadlines, selectors
from lvzhi.cases.engine import available, build_form, fire
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import (
    Bundle,
    Case,
    CaseState,
    DeadlineKind,
)
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import InvalidInput, NotAllowed, Transition, TransitionError, WrongState
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Organization, OrganizationKind, Role
from lvzhi.core.workdays import WorkCalendar
from lvzhi.suggestions.categories import CATEGORIES
from lvzhi.suggestions.forms import DraftForm
from lvzhi.suggestions.services import create_draft

# ----------------------------------------------------------------------------- deputy

@role_required(Role.DEPUTY)
def my_cases(request: HttpRequest) -> HttpResponse:
    led, cosigned, invites = selectors.deputy_cases(request.user)
    warn = deadlines.rules_for(request.user.congress_id).warn_days
    return render(request, "suggestions/my_cases.html", {
        "led": selectors.decorate(list(selectors.with_list_relations(led)), warn),
        "cosigned": selectors.decorate(list(selectors.with_list_relations(cosigned)), warn),
        "invites": invites,
    })


@role_required(Role.DEPUTY)
def case_new(request: HttpRequest) -> HttpResponse:
    deputy = getattr(request.user, "deputy", None)
    congress_id = deputy.congress_id if deputy else request.user.congress_id
    if request.method == "POST":
        try:
            case = create_draft(request.user, request.POST)
        except InvalidInput as exc:
            form = DraftForm(request.POST, case=None, actor=request.user, congress_id=congress_id)
            form.is_valid()
            messages.error(request, exc.message)
            return render(request, "suggestions/case_form.html", {"form": form}, status=400)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        saved = redirect(f"{reverse('case_detail', args=[case.pk])}?saved=draft-new")
        if request.POST.get("then") == "submit":
            try:
                fire(case, "submit", request.user)
                messages.success(request, "已提交。附议代表将收到邀请。")
            except TransitionError as exc:  # the draft is kept; say why it was not submitted
                messages.error(request, f"草稿已保存，但未能提交：{exc.message}")
            return saved
        messages.success(request, "草稿已保存。确认无误后请点击“提交”。")
        return saved
    form = DraftForm(case=None, actor=request.user, congress_id=congress_id,
                     initial={"kind": request.GET.get("kind", "suggestion")})
    return render(request, "suggestions/case_form.html", {"form": form})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    t = get_kind(case.kind).workflow.get("edit")
    if t not in available(case, request.user):
        raise PermissionDenied("该案件当前不能修改")
    if request.method == "POST":
        return fire_view(request, pk, "edit")
    initial = _draft_initial(case)
    form = build_form(case, t, request.user)
    form.initial = initial
    return render(request, "suggestions/case_form.html", {"form": form, "case": case})


def _draft_initial(case: Case) -> dict[str, Any]:
    initial: dict[str, Any] = {"kind": case.kind, "title": case.title, "body": case.body,
                               "category": case.category,
                               "cosigners": list(case.cosigns.values_list("deputy_id", flat=True))}
    detail = getattr(case, "motion_detail", None) if case.kind == "motion" else None
    if detail:
        initial.update(cause=detail.cause, basis=detail.basis, plan=detail.plan)
    sdetail = getattr(case, "suggestion_detail", None)
    if sdetail:
        initial["confidential"] = sdetail.confidential
    return initial


# ------------------------------------------------------------------------- case detail

def _visible_case(request: HttpRequest, pk: int) -> Case:
    case = visible_cases(request.user).filter(pk=pk).select_related(
        "congress", "lead_deputy__delegation", "session__term", "merged_into", "converted_to").first()
    if case is None:
        raise Http404("案件不存在或您无权查看")
    return case


@dataclass
class Action:
    transition: Transition
    form: Any
    open: bool = False


def _has_choices(form) -> bool:
    """A form whose required object choice has nothing to choose (no reassignment request to
    decide, no draft to sign) offers an action that cannot apply now: don't show it."""
    from django import forms as djforms

    return all(not (f.required and isinstance(f, djforms.ModelChoiceField) and not f.queryset.exists())
               for f in form.fields.values())


def _actions(request: HttpRequest, case: Case, bound: tuple[str, Any] | None = None) -> list[Action]:
    actions = []
    for t in available(case, request.user):
        if bound and bound[0] == t.name:
            actions.append(Action(t, bound[1], open=True))
            continue
        form = build_form(case, t, request.user)
        if _has_choices(form):
            actions.append(Action(t, form))
    return actions


def _detail_context(request: HttpRequest, case: Case, bound=None, error: str = "") -> dict[str, Any]:
    today = timezone.localdate()
    rules = deadlines.rules_for(case.congress_id)
    clocks = [(d, deadlines.light(d, today, rules.warn_days))
              for d in case.deadlines.select_related("assignment__unit").order_by("due_on")]
    return {
        "case": case,
        "detail": getattr(case, f"{case.kind}_detail", None),
        "cosigns": case.cosigns.select_related("deputy__delegation"),
        "assignments": case.assignments.select_related("unit", "replaced_by__unit"),
        "clocks": clocks,
        "light_labels": deadlines.LIGHT_LABELS,
        "replies": selectors.visible_replies(request.user, case),
        "evaluations": case.evaluations.all(),
        "contacts": case.contacts.select_related("assignment__unit"),
        "commitments": case.commitments.select_related("unit"),
        "supervisions": case.supervisions.select_related("leader", "committee"),
        "bundles": case.bundles.all(),
        "events": selectors.timeline(request.user, case.events.order_by("seq")),
        "actions": _actions(request, case, bound),
        "action_error": error,
        "merged_cases": case.merged_cases.all(),
        "can_download_notice": request.user.role in (Role.CLERK, Role.LEADER, Role.UNIT_HANDLER,
                                                     Role.UNIT_HEAD),
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return render(request, "suggestions/case_detail.html", _detail_context(request, case))


def _fire_and_redirect(request: HttpRequest, case: Case, name: str, data) -> HttpResponse:
    result = fire(case, name, request.user, data, request.FILES or None)
    t = get_kind(case.kind).workflow.get(name)
    messages.success(request, f"已{t.label}。当前状态：{result.case.get_state_display()}")
    target = result.case.converted_to_id if name == "convert" else case.pk
    url = reverse("case_detail", args=[target])
    # The browser keeps an unsent edit in localStorage until the server has it (lvzhi.js).
    return redirect(f"{url}?saved=draft-{case.pk}" if name == "edit" else url)


@require_POST
@login_required
def fire_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = _visible_case(request, pk)
    try:
        return _fire_and_redirect(request, case, name, request.POST)
    except InvalidInput as exc:
        case.refresh_from_db()
        t = get_kind(case.kind).workflow.get(name)
        form = build_form(case, t, request.user, request.POST, request.FILES)
        form.is_valid()
        template = "suggestions/case_form.html" if name == "edit" else "suggestions/case_detail.html"
        ctx = (_detail_context(request, case, (name, form), exc.message) if name != "edit"
               else {"form": form, "case": case})
        messages.error(request, exc.message)
        return render(request, template, ctx, status=400)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except WrongState as exc:
        messages.error(request, exc.message)
        return redirect("case_detail", case.pk)
    except TransitionError as exc:  # unknown transition
        raise Http404(exc.message) from exc


@login_required
def reply_attachment(request: HttpRequest, pk: int, reply_id: int) -> FileResponse:
    """Attachments are served only to those who may read the reply (never from /media/)."""
    case = _visible_case(request, pk)
    reply = get_object_or_404(case.replies.select_related("assignment"), pk=reply_id)
    if not reply.attachment or not selectors.reply_visible(request.user, reply):
        raise Http404("附件不存在或您无权查看")
    return FileResponse(reply.attachment.open("rb"), as_attachment=True,
                        filename=reply.attachment.name.rsplit("/", 1)[-1])


# ------------------------------------------------------------------------------- lists

@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in (Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF,
                                 Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.DEPUTY):
        raise PermissionDenied("您的角色无权查看案件")
    f = selectors.CaseFilters.from_querydict(request.GET)
    qs = selectors.with_list_relations(selectors.filtered_cases(request.user, f))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    warn = deadlines.rules_for(request.user.congress_id).warn_days
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "suggestions/case_list.html", {
        "rows": selectors.decorate(list(page.object_list), warn), "page": page, "filters": f,
        "states": CaseState.choices, "categories": CATEGORIES, "query": query.urlencode(),
        "units": Organization.objects.filter(congress_id=request.user.congress_id,
                                             kind=OrganizationKind.UNIT),
    })


@role_required(Role.CLERK)
def intake(request: HttpRequest) -> HttpResponse:
    warn = deadlines.rules_for(request.user.congress_id).warn_days
    qs = selectors.with_list_relations(
        visible_cases(request.user).filter(state=CaseState.SUBMITTED).order_by("submitted_at"))
    registered = selectors.with_list_relations(
        visible_cases(request.user).filter(state=CaseState.REGISTERED).order_by("registered_at"))
    return render(request, "suggestions/intake.html", {
        "submitted": selectors.decorate(list(qs), warn),
        "registered": selectors.decorate(list(registered[:100]), warn),
        "registered_count": registered.count(),
    })


@role_required(Role.UNIT_HANDLER, Role.UNIT_HEAD)
def unit_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "suggestions/unit_inbox.html", {"inbox": selectors.unit_inbox(request.user)})


@role_required(Role.CLERK, Role.LEADER)
def deadline_monitor(request: HttpRequest) -> HttpResponse:
    loads, overdue = selectors.deadline_monitor(request.user.congress_id)
    return render(request, "suggestions/deadline_monitor.html", {"loads": loads, "overdue": overdue})


@role_required(Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF)
def key_cases(request: HttpRequest) -> HttpResponse:
    warn = deadlines.rules_for(request.user.congress_id).warn_days
    qs = selectors.with_list_relations(visible_cases(request.user).filter(is_key=True)
                                       ).prefetch_related("supervisions__leader", "supervisions__committee")
    bundles = Bundle.objects.filter(congress_id=request.user.congress_id).select_related(
        "committee").prefetch_related("cases")
    return render(request, "suggestions/key_cases.html", {
        "rows": selectors.decorate(list(qs), warn), "bundles": bundles})


# ------------------------------------------------------------------------- assignment

@role_required(Role.CLERK)
def assign_preview(request: HttpRequest) -> HttpResponse:
    """The due dates an assignment made today would get, shown before the clerk confirms."""
    rules = deadlines.rules_for(request.user.congress_id)
    cal = WorkCalendar.for_congress(request.user.congress_id)
    today = timezone.localdate()
    rows = [
        ("答复期限", deadlines.compute_due(DeadlineKind.REPLY, today, rules, cal),
         f"交办之日起{rules.reply_months}个月"),
        ("延期后最迟", deadlines.max_reply_due(today, rules, cal), f"最长{rules.reply_max_months}个月"),
        ("会办意见", deadlines.compute_due(DeadlineKind.CO_OPINION, today, rules, cal),
         f"{rules.co_opinion_months}个月内送主办单位"),
        ("申请调整截止", deadlines.compute_due(DeadlineKind.REASSIGN_WINDOW, today, rules, cal),
         f"{rules.reassign_request_workdays}个工作日内"),
    ]
    return render(request, "suggestions/_assign_preview.html", {"rows": rows, "today": today})


@role_required(Role.CLERK)
def batch_assign(request: HttpRequest) -> HttpResponse:
    """After a session: assign many registered suggestions at once, each through the engine."""
    cases = list(selectors.with_list_relations(
        visible_cases(request.user).filter(state=CaseState.REGISTERED)).order_by("number")[:50])
    units = list(Organization.objects.filter(congress_id=request.user.congress_id,
                                             kind=OrganizationKind.UNIT, is_active=True))
    by_field: dict[str, Organization] = {}
    for u in units:
        by_field.setdefault(u.field, u)
    results: list[tuple[Case, str, bool]] = []
    if request.method == "POST":
        for case in cases:
            lead = request.POST.get(f"lead_{case.pk}")
            if not lead or not request.POST.get(f"pick_{case.pk}"):
                continue
            data = {"mode": "lead", "lead": lead, "co": request.POST.getlist(f"co_{case.pk}")}
            try:
                fire(case, "assign", request.user, data)
                results.append((case, "已交办", True))
            except TransitionError as exc:
                results.append((case, exc.message, False))
        ok = sum(1 for r in results if r[2])
        if ok:
            messages.success(request, f"已交办{ok}件。")
        if len(results) > ok:
            messages.error(request, f"{len(results) - ok}件未能交办，原因见下表。")
        if not results:
            messages.warning(request, "未选择任何案件。请勾选案件并选择主办单位。")
        if ok and len(results) == ok:
            return redirect("batch_assign")
        cases = [c for c in cases if not any(r[0].pk == c.pk and r[2] for r in results)]
    from lvzhi.assist.services import suggested_leads  # 智能交办; falls back to the field guess

    smart = suggested_leads(cases)
    rows = [(c, smart.get(c.pk) or by_field.get(c.category)) for c in cases]
    return render(request, "suggestions/batch_assign.html", {
        "rows": rows, "units": units, "results": results})
