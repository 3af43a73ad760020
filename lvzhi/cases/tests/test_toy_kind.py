"""A kind that exists only in this test: registered, driven through open/fire, the sweep, the
inbox and the API, then removed. It differs from a suggestion in every slot: a committee raises
it, the 办公室 (not the 代表工委) assigns and reviews it, a 主任会议 member evaluates it, and its
clocks count working days of their own. Nothing under lvzhi/cases names it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from lvzhi.api.tests.helpers import client_for
from lvzhi.cases import selectors
from lvzhi.cases.clocks import Clock, register_clock, unregister_clock
from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.handling import (
    CLOSED,
    HANDLING,
    HANDLING_STATES,
    REGISTERED,
    REPLIED,
    HandlingSpec,
    handling_transitions,
)
from lvzhi.cases.kinds import CaseKind, Relations, State, get_kind, register_kind, unregister_kind
from lvzhi.cases.models import Event
from lvzhi.cases.permissions import Relation, assigned_q, same_congress
from lvzhi.cases.policy import offered
from lvzhi.cases.sweep import sweep
from lvzhi.cases.workflow import NotAllowed, TransitionForm, Workflow, transition
from lvzhi.core.models import Notification, Role
from lvzhi.core.workdays import WorkCalendar

pytestmark = pytest.mark.django_db

CODE = "toy_inquiry"
REPLY, EVAL = "toy_reply", "toy_evaluation"


class OpenForm(TransitionForm):
    from django import forms

    title = forms.CharField(min_length=5)
    body = forms.CharField(min_length=10)


def open_effect(ctx):
    ctx.case.title, ctx.case.body, ctx.case.submitter = ctx.data["title"], ctx.data["body"], ctx.actor
    return REGISTERED


def is_committee_staff(user, case) -> bool:
    return user.role == Role.COMMITTEE_STAFF and same_congress(user, case)


def visibility(user) -> Q:
    if user.role in (Role.LEADER, Role.COMMITTEE_STAFF) or (
            user.role == Role.CLERK and user.organization and user.organization.function == "general_office"):
        return Q()
    if user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD):
        return assigned_q(user)
    return Q(pk__in=[])


SPEC = HandlingSpec(evaluator="leader", evaluation_clock=EVAL, reply_clock=REPLY, rehandle_clock=REPLY,
                    reassign_window="", co_opinion_clock="", evaluated_label="已答复，请主任会议评价",
                    revisit=True)


@pytest.fixture
def toy():
    register_clock(Clock(REPLY, "询问答复", "workdays", default=2))
    register_clock(Clock(EVAL, "主任评价", "workdays", default=3, duty=False, on_lapse="close_expired",
                         notify="evaluator"))
    kind = CaseKind(
        CODE, "专题询问事项", Workflow([
            transition("open", "提出询问", [""], REGISTERED, ["committee_staff"], form=OpenForm,
                       effect=open_effect),
            *handling_transitions(SPEC, without=("supervision", "publication", "commitments")),
        ]),
        (State("registered", "待交办", "info"), *HANDLING_STATES[1:]),
        Relations(raised_by="committee", office="general_office", raiser="committee_staff",
                  evaluator="leader", own={"committee_staff": Relation("提出询问的专委", is_committee_staff)}),
        clocks=(REPLY, EVAL), visibility=visibility, handling=SPEC,
    )
    register_kind(kind)
    yield kind
    unregister_kind(CODE)
    unregister_clock(REPLY)
    unregister_clock(EVAL)


def raise_one(world, now=None):
    return open_case(CODE, "open", world.committee_staff,
                     {"title": "关于全市河道治理的专题询问", "body": "请说明河道治理资金使用和进度情况。"},
                     congress_id=world.congress.pk, now=now).case


def test_the_toy_kind_runs_on_every_shared_part(world, toy, django_capture_on_commit_callbacks):
    unit = world.units[0]
    # Raised by a committee, not by a deputy.
    with pytest.raises(NotAllowed):
        open_case(CODE, "open", world.deputy_user, {"title": "关于河道的询问", "body": "请说明河道治理进度。"},
                  congress_id=world.congress.pk)
    case = raise_one(world)
    assert case.state == REGISTERED and case.state_label == "待交办"
    assert Event.objects.get(case=case).name == "open"

    # The 办公室 assigns it; the 代表工委 clerk, office of suggestions, may not.
    assert "assign" not in {t.name for t in offered(case, world.clerk)}
    with pytest.raises(NotAllowed):
        fire(case, "assign", world.clerk, {"mode": "lead", "lead": unit.pk})
    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": unit.pk})
    case.refresh_from_db()
    assert case.state == HANDLING
    clock = case.deadlines.get(kind=REPLY)
    assert clock.due_on == WorkCalendar.for_congress(world.congress.pk).add_workdays(clock.start_on, 2)
    assert not case.deadlines.filter(kind__in=["reassign_window", "co_opinion"]).exists()

    # The unit's one inbox lists it beside suggestions.
    inbox = selectors.unit_inbox(world.handler_of(unit))
    assert case.pk in {r.case.pk for r in inbox.to_reply}

    lead = case.assignments.get()
    fire(case, "draft_reply", world.handler_of(unit), {
        "assignment": lead.pk, "reply_class": "A",
        "text": "经核查，河道治理资金已全部拨付到位，主体工程完成百分之八十，年底前全部完工并组织验收。"})
    reply = case.replies.get()
    fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
    # Reviewed by the 办公室, and then the 主任会议 member evaluates — not a deputy.
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "accept_reply", world.office_clerk, {"reply": reply.pk})
    case.refresh_from_db()
    assert case.state == REPLIED
    assert "evaluate" in {t.name for t in offered(case, world.leader)}
    assert "evaluate" not in {t.name for t in offered(case, world.deputy_user)}
    assert Notification.objects.filter(user=world.leader, case=case).exists()

    # Nobody evaluates: the sweep closes it when the toy's own 3-working-day window has lapsed.
    due = case.deadlines.get(kind=EVAL).due_on
    assert sweep(today=due + dt.timedelta(days=1)).closed == 1
    case.refresh_from_db()
    assert case.state == CLOSED and case.evaluations.get().expired

    # 回头看: closing started the revisit clock; the 办公室 finds the problem back and reopens it.
    assert case.deadlines.get(kind="revisit").is_open
    with pytest.raises(NotAllowed):
        fire(case, "revisit", world.clerk, {"finding": "整改后河道又出现黑臭，群众反映强烈。", "reopen": "1"})
    fire(case, "revisit", world.office_clerk, {"finding": "整改后河道又出现黑臭，群众反映强烈。", "reopen": "1"})
    case.refresh_from_db()
    assert case.state == HANDLING and case.round == 2 and case.closed_at is None
    assert case.deadlines.filter(kind=REPLY, met_at__isnull=True, cancelled=False).count() == 1


def test_the_sweep_marks_a_late_toy_reply_once_and_tells_the_unit(world, toy):
    case = raise_one(world)
    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": world.units[0].pk})
    due = case.deadlines.get(kind=REPLY).due_on
    later = due + dt.timedelta(days=3)
    assert sweep(today=later).overdue == 1
    assert sweep(today=later).overdue == 0
    event = case.events.get(name="became_overdue")
    assert event.payload["kind"] == REPLY and event.label == "询问答复超期"
    assert Notification.objects.filter(user=world.handler_of(world.units[0]), case=case,
                                       text__contains="询问答复").exists()


def test_the_toy_kind_over_the_api_and_gone_after_removal(world, toy):
    staff = client_for(world.committee_staff)
    r = staff.post("/api/v1/cases/", {"kind": CODE, "title": "关于全市河道治理的专题询问",
                                      "body": "请说明河道治理资金使用和进度情况。"}, format="json")
    assert r.status_code == 201, r.content.decode()
    body = r.json()
    assert body["kind_label"] == "专题询问事项" and body["state_label"] == "待交办"
    office = client_for(world.office_clerk)
    detail = office.get(f"/api/v1/cases/{body['id']}/").json()
    assert "assign" in {t["name"] for t in detail["available_transitions"]}
    # A deputy neither sees it nor may raise it.
    deputy = client_for(world.deputy_user)
    assert deputy.get(f"/api/v1/cases/{body['id']}/").status_code == 404
    assert deputy.post("/api/v1/cases/", {"kind": CODE, "title": "关于河道的询问",
                                          "body": "请说明河道治理进度情况。"}, format="json").status_code == 403
    kinds = {k["code"]: k for k in office.get("/api/v1/kinds/").json()}
    assert kinds[CODE]["states"][0] == {"code": "registered", "label": "待交办", "terminal": False}

    unregister_kind(CODE)
    assert CODE not in {k["code"] for k in office.get("/api/v1/kinds/").json()}
    with pytest.raises(LookupError):
        get_kind(CODE)
    register_kind(toy)  # the fixture removes it again


def test_the_assignment_preview_follows_the_kinds_own_clocks(world, toy):
    from django.test import Client

    from lvzhi.testing import draft, to_state

    toy_case = raise_one(world)
    office = Client()
    office.force_login(world.office_clerk)
    html = office.get("/office/assign-preview/", {"case": toy_case.pk}).content.decode()
    assert "交办之日起2个工作日" in html and "延期后最迟" not in html and "申请调整" not in html

    suggestion = to_state(world, draft(world), "registered")
    clerk = Client()
    clerk.force_login(world.clerk)
    html = clerk.get("/office/assign-preview/", {"case": suggestion.pk}).content.decode()
    assert "交办之日起3个月" in html and "最长6个月" in html and "5个工作日内" in html
