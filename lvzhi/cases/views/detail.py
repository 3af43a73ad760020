"""A case's page with its actions, firing a transition from it, and its reply attachments.
Each kind contributes its own detail panel (CaseKind.detail_template); nothing here names a kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases import deadlines, policy, selectors
from lvzhi.cases.engine import Busy, build_form, fire
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, ReplyState
from lvzhi.cases.permissions import reply_visible, visible_cases
from lvzhi.cases.workflow import InvalidInput, NotAllowed, Transition, TransitionError, WrongState


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
    lights = deadlines.Lights(today)  # each clock's own warning window (Clock.warning)
    clocks = [(d, lights.of(d, case.congress_id))
              for d in case.deadlines.select_related("assignment__unit").order_by("due_on")]
    kind = get_kind(case.kind)
    replies = selectors.visible_replies(request.user, case)
    all_events = list(case.events.order_by("seq"))
    events = selectors.timeline(request.user, all_events)
    return {
        "case": case,
        "kind": kind,
        "detail": kind.detail_of(case),
        "cosigns": case.cosigns.select_related("deputy__delegation"),
        "assignments": case.assignments.select_related("unit", "replaced_by__unit", "received_by"),
        "clocks": clocks,
        "light_labels": deadlines.LIGHT_LABELS,
        "replies": replies,
        # The unit's latest returned reply, shown above its actions: what to change, and why.
        "returned_reply": next((r for r in reversed(replies) if r.state == ReplyState.RETURNED
                                and r.assignment.unit_id == request.user.organization_id), None),
        "evaluations": case.evaluations.all(),
        "contacts": case.contacts.select_related("assignment__unit"),
        "commitments": case.commitments.select_related("unit"),
        "supervisions": case.supervisions.select_related("leader", "committee"),
        "bundles": case.bundles.all(),
        "events": events,
        "entry_reason": selectors.entry_reason(case, all_events, events),
        "actions": _actions(request, case, bound),
        "action_error": error,
        # the names beside each merged case: one query for all, not one per case
        "merged_cases": case.merged_cases.select_related("lead_deputy"),
        "links": policy.case_links(request.user, case),
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _fire_and_redirect(request: HttpRequest, case: Case, name: str, data) -> HttpResponse:
    result = fire(case, name, request.user, data, request.FILES or None)
    t = get_kind(case.kind).workflow.get(name)
    # The state as the badge names it ("重新办理中（第2轮）"), not the bare state label.
    messages.success(request, f"已{t.label}。当前状态：{result.case.state_round_label}")
    # A transition that leads to another case (a motion converted) shows that case next.
    target = result.event.payload.get("suggestion_id") or case.pk
    url = reverse("cases:detail", args=[target])
    # The browser keeps an unsent edit in localStorage until the server has it (lvzhi.js).
    return redirect(f"{url}?saved=draft-{case.pk}" if t.page else url)


@login_required
def fire_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if request.method != "POST":  # reloaded or opened from the history: the case page, not a 405
        return redirect("cases:detail", pk)
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
