"""The pages only motions and suggestions have: the deputy's own list and writing form, the
代表工委's intake and key suggestions. The generic case pages are in lvzhi.cases.views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases import deadlines, policy, selectors
from lvzhi.cases.engine import Busy, build_form, fire
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Bundle, Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.views import _visible_case, fire_view
from lvzhi.cases.workflow import InvalidInput, NotAllowed, TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.suggestions.forms import DraftForm
from lvzhi.suggestions.selectors import deputy_cases
from lvzhi.suggestions.services import create_draft
from lvzhi.suggestions.states import SuggestionState as S

KINDS = ("suggestion", "motion")

# ----------------------------------------------------------------------------- deputy

@role_required(Role.DEPUTY)
def my_cases(request: HttpRequest) -> HttpResponse:
    led, cosigned, invites = deputy_cases(request.user)
    lights = deadlines.Lights(timezone.localdate())
    return render(request, "suggestions/my_cases.html", {
        "led": selectors.bounded_page(led, request.GET, param="led", lights=lights),
        "cosigned": selectors.bounded_page(cosigned, request.GET, param="cosigned", lights=lights),
        "invites": invites,
        "to_evaluate": _to_evaluate(request.user),
    })


def _to_evaluate(user) -> list[tuple[Case, Any]]:
    """待我评价 with each case's evaluation deadline (the to-do list's own clock)."""
    from django.db.models import Prefetch

    from lvzhi.cases import todo
    from lvzhi.cases.models import Deadline

    t = todo.get_list(user, "to_evaluate")
    if t is None:
        return []
    qs = t.cases(user).order_by("id").prefetch_related(Prefetch(
        "deadlines", to_attr="evaluation_clocks", queryset=Deadline.objects.filter(
            kind=t.clock, met_at__isnull=True, cancelled=False).order_by("due_on")))
    return [(c, c.evaluation_clocks[0].due_on if c.evaluation_clocks else None) for c in qs[:50]]


@role_required(Role.DEPUTY)
def case_new(request: HttpRequest) -> HttpResponse:
    deputy = getattr(request.user, "deputy", None)
    congress_id = deputy.congress_id if deputy else request.user.congress_id
    if request.method == "POST":
        try:
            case = create_draft(request.user, request.POST)
        except (InvalidInput, Busy) as exc:  # the draft is not saved: show the form as typed
            form = DraftForm(request.POST, case=None, actor=request.user, congress_id=congress_id)
            form.is_valid()
            messages.error(request, exc.message)
            return render(request, "suggestions/case_form.html", {"form": form}, status=exc.status)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        saved = redirect(f"{reverse('cases:detail', args=[case.pk])}?saved=draft-new")
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
    if not policy.may_offer(case, request.user, "edit"):
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
    detail = case.detail
    for name in ("cause", "basis", "plan", "confidential"):  # the detail's fields the form edits
        if detail is not None and hasattr(detail, name):
            initial[name] = getattr(detail, name)
    return initial


# ------------------------------------------------------------------------- merge target

MERGE_SUGGESTIONS = 20  # candidates the 并案 box lists for the words typed


@login_required
def merge_targets(request: HttpRequest, pk: int) -> JsonResponse:
    """The 并案 box's suggestions: cases the user may merge this one into (the merge form's own
    choices, within what the user sees) matching the words typed — number or title words
    through the search index — newest first, at most MERGE_SUGGESTIONS."""
    from lvzhi.search.query import search_condition

    case = _visible_case(request, pk)
    if not policy.may_offer(case, request.user, "merge"):
        return JsonResponse({"error": "该案件当前不能并案，或您无权办理并案"}, status=403)
    q = request.GET.get("q", "").strip()[:100]
    if not q:
        return JsonResponse({"results": []})
    form = build_form(case, get_kind(case.kind).workflow.get("merge"), request.user)
    qs = form.fields["target"].queryset.filter(pk__in=visible_cases(request.user).values("pk"))
    rows = (qs.filter(search_condition(q)).order_by("-id")
            .values_list("pk", "number", "title", "state")[:MERGE_SUGGESTIONS])
    kind = get_kind(case.kind)
    return JsonResponse({"results": [
        {"id": i, "number": number, "title": title, "state": kind.state(state).label}
        for i, number, title, state in rows]})


# ------------------------------------------------------------------------------- lists

@role_required(Role.CLERK)
def intake(request: HttpRequest) -> HttpResponse:
    lights = deadlines.Lights(timezone.localdate())
    mine = visible_cases(request.user).filter(kind__in=KINDS)
    return render(request, "suggestions/intake.html", {
        "submitted": selectors.bounded_page(mine.filter(state=S.SUBMITTED).order_by("submitted_at", "id"),
                                            request.GET, param="submitted", lights=lights),
        "registered": selectors.bounded_page(mine.filter(state=S.REGISTERED).order_by("registered_at", "id"),
                                             request.GET, param="registered", lights=lights),
    })


@role_required(Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF)
def key_cases(request: HttpRequest) -> HttpResponse:
    page = selectors.bounded_page(
        visible_cases(request.user).filter(kind__in=KINDS, is_key=True).order_by("-id"),
        request.GET, lights=deadlines.Lights(timezone.localdate()))
    bundles = Bundle.objects.filter(congress_id=request.user.congress_id).select_related(
        "committee").prefetch_related("cases")
    return render(request, "suggestions/key_cases.html", {"page": page, "rows": page.rows,
                                                          "bundles": bundles})
