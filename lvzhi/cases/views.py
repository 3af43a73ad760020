"""The generic case pages every kind shares: detail with its actions, the list, the unit inbox,
the deadline monitor, batch assignment. Thin: parse, call the engine or a selector, render.
Each kind contributes its own detail panel (CaseKind.detail_template); nothing here names a kind."""

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

from lvzhi.cases import deadlines, policy, selectors
from lvzhi.cases.engine import Busy, build_form, fire
from lvzhi.cases.handling import assign
from lvzhi.cases.handling.states import REGISTERED
from lvzhi.cases.kinds import all_kinds, all_state_choices, get_kind, kind_choices
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import reply_visible, visible_cases
from lvzhi.cases.workflow import InvalidInput, NotAllowed, Transition, TransitionError, WrongState
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Organization, OrganizationKind, Role
from lvzhi.core.params import id_param
from lvzhi.core.workdays import WorkCalendar


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


def _actions(request: HttpRequest, case: Case, bound: tuple[str, Any] | None = None) -> list[Action]:
    actions = []
    for t, form in policy.offered_forms(case, request.user):
        if bound and bound[0] == t.name:
            actions.append(Action(t, bound[1], open=True))
        else:
            actions.append(Action(t, form))
    return actions


def _detail_context(request: HttpRequest, case: Case, bound=None, error: str = "") -> dict[str, Any]:
    today = timezone.localdate()
    rules = deadlines.rules_for(case.congress_id)
    clocks = [(d, deadlines.light(d, today, rules.warn_days))
              for d in case.deadlines.select_related("assignment__unit").order_by("due_on")]
    kind = get_kind(case.kind)
    return {
        "case": case,
        "kind": kind,
        "detail": kind.detail_of(case),
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
        "links": policy.case_links(request.user, case),
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _fire_and_redirect(request: HttpRequest, case: Case, name: str, data) -> HttpResponse:
    result = fire(case, name, request.user, data, request.FILES or None)
    t = get_kind(case.kind).workflow.get(name)
    messages.success(request, f"已{t.label}。当前状态：{result.case.state_label}")
    # A transition that leads to another case (a motion converted) shows that case next.
    target = result.event.payload.get("suggestion_id") or case.pk
    url = reverse("cases:detail", args=[target])
    # The browser keeps an unsent edit in localStorage until the server has it (lvzhi.js).
    return redirect(f"{url}?saved=draft-{case.pk}" if t.page else url)


@require_POST
@login_required
def fire_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = _visible_case(request, pk)
    try:
        return _fire_and_redirect(request, case, name, request.POST)
    except (InvalidInput, Busy) as exc:  # Busy (503): lost lock races; the input is kept
        case.refresh_from_db()
        t = get_kind(case.kind).workflow.get(name)
        form = build_form(case, t, request.user, request.POST, request.FILES)
        form.is_valid()
        messages.error(request, exc.message)
        if t.page:  # a transition with its own page shows its errors there
            return render(request, t.page_template, {"form": form, "case": case}, status=exc.status)
        return render(request, "cases/case_detail.html",
                      _detail_context(request, case, (name, form), exc.message), status=exc.status)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except WrongState as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", case.pk)
    except TransitionError as exc:  # unknown transition
        raise Http404(exc.message) from exc


@login_required
def reply_attachment(request: HttpRequest, pk: int, reply_id: int) -> FileResponse:
    """Attachments are served only to those who may read the reply (never from /media/)."""
    case = _visible_case(request, pk)
    reply = get_object_or_404(case.replies.select_related("assignment", "case"), pk=reply_id)
    if not reply.attachment or not reply_visible(request.user, reply):
        raise Http404("附件不存在或您无权查看")
    return FileResponse(reply.attachment.open("rb"), as_attachment=True,
                        filename=reply.attachment.name.rsplit("/", 1)[-1])


# ------------------------------------------------------------------------------- lists

@role_required(Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF, Role.UNIT_HANDLER, Role.UNIT_HEAD,
               Role.DEPUTY)
def case_list(request: HttpRequest) -> HttpResponse:
    f = selectors.CaseFilters.from_querydict(request.GET)
    for note in f.ignored:  # say which filter was dropped rather than silently ignore it
        messages.warning(request, note)
    qs = selectors.with_list_relations(selectors.filtered_cases(request.user, f))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    warn = deadlines.rules_for(request.user.congress_id).warn_days
    query = request.GET.copy()
    query.pop("page", None)
    from lvzhi.suggestions.categories import CATEGORIES

    return render(request, "cases/case_list.html", {
        "rows": selectors.decorate(list(page.object_list), warn), "page": page, "filters": f,
        "kinds": kind_choices(), "states": all_state_choices(), "categories": CATEGORIES,
        "query": query.urlencode(),
        "units": Organization.objects.filter(congress_id=request.user.congress_id,
                                             kind=OrganizationKind.UNIT),
    })


@role_required(Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.COMMITTEE_STAFF, Role.CLERK)
def unit_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/unit_inbox.html", {"inbox": selectors.unit_inbox(request.user)})


@role_required(Role.CLERK, Role.LEADER)
def deadline_monitor(request: HttpRequest) -> HttpResponse:
    loads, overdue = selectors.deadline_monitor(request.user.congress_id)
    return render(request, "cases/deadline_monitor.html", {"loads": loads, "overdue": overdue})


# ------------------------------------------------------------------------- assignment

@role_required(Role.CLERK)
def assign_preview(request: HttpRequest) -> HttpResponse:
    """The due dates an assignment made today would get, shown before the office confirms."""
    rules = deadlines.rules_for(request.user.congress_id)
    cal = WorkCalendar.for_congress(request.user.congress_id)
    today = timezone.localdate()
    pk = id_param(request.GET.get("case"))
    case = _visible_case(request, pk) if pk else None
    if case is None:
        raise Http404("请指定要交办的案件")
    if get_kind(case.kind).handling is None:
        raise Http404("该类事项没有交办环节")
    rows = assign.preview(case, today, rules, cal)
    return render(request, "cases/_assign_preview.html", {"rows": rows, "today": today})


@role_required(Role.CLERK)
def batch_assign(request: HttpRequest) -> HttpResponse:
    """After a session: assign many registered cases at once, each through the engine."""
    # Kinds this user is the office of whose cases go to handling units (the page offers units).
    office_kinds = [k.code for k in all_kinds() if policy.is_office_of(request.user, k.code)
                    and "assign" in k.workflow.transitions and k.handling is not None
                    and tuple(k.handling.unit_kinds) == (OrganizationKind.UNIT,)]
    cases = list(selectors.with_list_relations(
        visible_cases(request.user).filter(kind__in=office_kinds, state=REGISTERED)).order_by("number")[:50])
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
            return redirect("cases:batch_assign")
        cases = [c for c in cases if not any(r[0].pk == c.pk and r[2] for r in results)]
    from lvzhi.assist.services import suggested_leads  # 智能交办; falls back to the field guess

    smart = suggested_leads(cases)
    rows = [(c, smart.get(c.pk) or by_field.get(c.category)) for c in cases]
    return render(request, "cases/batch_assign.html", {
        "rows": rows, "units": units, "results": results})



