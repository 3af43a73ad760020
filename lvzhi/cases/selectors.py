"""Reads shared by pages, the API and reports. Every list runs a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.cases.clocks import shown_codes
from lvzhi.cases.deadlines import DeadlineLight, Light, Lights
from lvzhi.cases.handling.states import HANDLING, REPLIED
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import (
    ROLE_ORDER,
    Assignment,
    AssignmentState,
    Case,
    Commitment,
    CommitmentState,
    Deadline,
    Reply,
    ReplyState,
)
from lvzhi.cases.permissions import reply_visible, visible_cases
from lvzhi.core.models import Role, User

SEVERITY = {Light.DONE: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


def open_clocks_prefetch() -> Prefetch:
    """`case.open_clocks`: the running clocks a list shows, earliest first."""
    return Prefetch("deadlines", to_attr="open_clocks", queryset=Deadline.objects.filter(
        met_at__isnull=True, cancelled=False, kind__in=shown_codes()).order_by("due_on", "id"))


def with_list_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What a case row shows (pages and API): lead deputy, units, open clocks, in fixed queries."""
    return qs.select_related("lead_deputy", "session__term").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                 .exclude(state=AssignmentState.WITHDRAWN).order_by(ROLE_ORDER, "id")),
        open_clocks_prefetch(),
    ).annotate(cosigner_count=Count("cosigns", filter=Q(cosigns__state="confirmed"),
                                    distinct=True))


@dataclass
class CaseRow:
    case: Case
    light: Light
    light_label: str  # what the light says: "答复期限 剩12天", "已完成" for a finished case
    next_due: dt.date | None
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    # The clock the row shows (the worst light, the earliest among equals); None without one.
    deadline: DeadlineLight | None = None
    finished: bool = False


def decorate(cases: list[Case], today: dt.date | None = None,
             lights: Lights | None = None) -> list[CaseRow]:
    """Rows with their light. Each clock's warning window comes from its congress's rule set
    (Clock.warning); a page that decorates several lists passes one `Lights`, which reads each
    congress's rules and calendar once."""
    lights = lights or Lights(today)
    rows = []
    for c in cases:
        clocks = getattr(c, "open_clocks", [])
        shown = [lights.of(d, c.congress_id) for d in clocks]
        worst = max(shown, key=lambda s: SEVERITY[s.light], default=None)
        finished = c.kind_def.state(c.state).terminal
        label = worst.text if worst else ("已完成" if finished else "—")
        lead = [a.unit.name for a in c.assignments.all() if a.role != "co"]
        co = [a.unit.name for a in c.assignments.all() if a.role == "co"]
        rows.append(CaseRow(c, worst.light if worst else Light.DONE, label,
                            clocks[0].due_on if clocks else None, lead, co, worst, finished))
    return rows


@dataclass
class Inbox:
    to_reply: list[CaseRow]
    to_sign: list[Reply]
    returned: list[Reply]
    co_tasks: list[CaseRow]
    reassign_pending: list[Assignment]
    commitments: list[Commitment]
    replied: list[CaseRow]


def unit_inbox(user: User) -> Inbox:
    """One inbox for everything assigned to the user's unit, whatever the case kind."""
    org = user.organization_id
    lights = Lights(timezone.localdate())
    mine = Assignment.objects.filter(unit_id=org)
    base = with_list_relations(visible_cases(user))
    answering = list(base.filter(assignments__in=mine.filter(
        role__in=["lead", "split"], state=AssignmentState.HANDLING)).distinct())
    # A co-unit's task ends with the handling: a replied or closed case is no longer its to-do.
    co = list(base.filter(state=HANDLING, assignments__in=mine.filter(
        role="co", state=AssignmentState.HANDLING)).distinct())
    replied = list(base.filter(state=REPLIED).distinct()[:50])
    replies = Reply.objects.filter(assignment__unit_id=org).select_related("case", "assignment__unit")
    return Inbox(
        to_reply=decorate(answering, lights=lights),
        to_sign=list(replies.filter(state=ReplyState.DRAFT)),
        returned=list(replies.filter(state=ReplyState.RETURNED)),
        co_tasks=decorate(co, lights=lights),
        reassign_pending=list(mine.filter(state=AssignmentState.REASSIGN_REQUESTED)
                              .select_related("case")),
        commitments=list(Commitment.objects.filter(unit_id=org, state=CommitmentState.OPEN)
                         .select_related("case")),
        replied=decorate(replied, lights=lights),
    )


def visible_replies(user: User, case: Case) -> list[Reply]:
    return [r for r in case.replies.select_related("assignment__unit", "signed_by", "drafted_by",
                                                   "returned_by__organization")
            if reply_visible(user, r)]


# Back-office steps a deputy need not follow: a reply being drafted or signed, or sent back by
# the unit's head or by the clerk. The deputy sees the accepted reply and what concerns them.
BACK_OFFICE_EVENTS = {"draft_reply", "sign_reply", "return_draft", "return_reply"}


def event_visible(user: User, event) -> bool:
    if user.role != Role.DEPUTY:
        return True
    if event.name in BACK_OFFICE_EVENTS:
        return False
    # Events written before passing and returning were two transitions.
    return not (event.name == "review_reply" and not event.payload.get("accepted"))


def timeline(user: User, events) -> list:
    return [e for e in events if event_visible(user, e)]


@dataclass
class EntryReason:
    """Why the case is in its current state, when the step that put it there said so."""
    event: Any
    heading: str  # "退回理由" / "撤回理由" / "审定通过意见"
    text: str
    tone: str  # Bootstrap alert colour


def entry_reason(case: Case, all_events: list, events: list) -> EntryReason | None:
    """The reason carried by the event that entered the current state, if the user may see it.

    ``events`` is the user's timeline (already filtered by event_visible): a step hidden from
    the user is never explained to them, and a later step that kept the state (a reminder, a
    contact) does not hide the one that entered it.
    """
    entering = next((e for e in reversed(all_events)
                     if e.from_state != e.to_state and e.to_state), None)
    if entering is None or entering.to_state != case.state or entering not in events:
        return None
    p = entering.payload or {}
    text = str(p.get("reason") or p.get("note") or "").strip()
    if not text:
        return None
    t = get_kind(case.kind).workflow.transitions.get(entering.name)
    style = t.style if t else ""
    label = entering.label or (t.label if t else "")
    # A return reads "退回理由"; other steps name themselves ("撤回理由", "审定通过意见").
    verb = "退回" if label.startswith("退回") else label
    heading = f"{verb}{'理由' if p.get('reason') else '意见'}"
    tone = "warning" if "warning" in style else "danger" if "danger" in style else "info"
    return EntryReason(entering, heading, text, tone)
