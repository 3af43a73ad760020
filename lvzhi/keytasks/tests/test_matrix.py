"""Who may fire each key task transition: every transition × every role account, against a
truth table written down from the rules (the relation level; forms then narrow the choices)."""

from __future__ import annotations

import pytest

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import may_fire
from lvzhi.core.models import Organization, OrganizationKind, Role
from lvzhi.keytasks.tests.helpers import open_task, to_handling
from lvzhi.keytasks.workflow import WORKFLOW
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db

TABLE: dict[str, set[str]] = {
    "open": {"office"}, "open_imported": {"office"}, "edit": {"office"},
    "submit_for_approval": {"office"}, "cancel": {"office"},
    "approve": {"leader"}, "return_draft": {"leader"},
    "assign": {"office"}, "dispatch": {"office"}, "propose_close_out": {"office"},
    "report_progress": {"lead_staff"}, "mark_milestone": {"lead_staff"},
    # Any assigned office's staff; the form offers only a co-office its own co-assignment.
    "give_co_opinion": {"lead_staff", "co_clerk"},
    "acknowledge": {"lead_staff", "co_clerk"},  # 签收: each assigned office its own assignment
    "close_out": {"leader"},
    "urge": {"office"},  # 催办 (shared): the office presses the offices that still owe something
}


def test_every_transition_is_in_the_table():
    assert set(WORKFLOW.transitions) == set(TABLE)


def test_who_may_fire_what(world):
    co = Organization.objects.get(congress=world.congress, name="代表工作委员会")
    other = Organization.objects.create(congress=world.congress, kind=OrganizationKind.COMMITTEE, name="法制委员会")
    other_staff = make_user(f"law{world.congress.pk}", Role.COMMITTEE_STAFF, world.congress, other, "孙专委")
    inactive = make_user(f"gone{world.congress.pk}", Role.CLERK, world.congress, world.general_office, "离职")
    inactive.is_active = False
    inactive.save()
    actors = {
        "office": world.office_clerk, "leader": world.leader, "lead_staff": world.committee_staff,
        "co_clerk": world.clerk, "other_staff": other_staff, "deputy": world.deputy_user,
        "handler": world.handlers[0], "head": world.heads[0], "sysadmin": world.sysadmin,
        "other_congress": world.other_congress_clerk, "inactive_office": inactive,
    }
    drafting = open_task(world)
    pending = open_task(world, title="听取审议市政府关于生态环境保护工作情况的报告")
    fire(pending, "submit_for_approval", world.office_clerk)
    registered = open_task(world, title="开展人大理论与实践课题研究")
    fire(registered, "submit_for_approval", world.office_clerk)
    fire(registered, "approve", world.leader)
    handling = to_handling(world, co=[co.pk], title="推进代表联络站标准化建设")
    replied = to_handling(world, title="举办市人大代表履职学习班")
    fire(replied, "propose_close_out", world.office_clerk, {"evidence": "学习班已举办，新任代表全部参训。"})
    probe = Case(congress_id=world.congress.pk, kind="key_task", state="")
    by_state = {"": probe}
    for c in (drafting, pending, registered, handling, replied):
        c.refresh_from_db()
        by_state[c.state] = c
    for name, t in WORKFLOW.transitions.items():
        for state in t.sources:
            case = by_state[state]
            allowed = {k for k, u in actors.items() if may_fire(u, case, t.actors)}
            assert allowed == TABLE[name], (name, state, allowed)


@pytest.mark.parametrize("stage", ["drafting", "pending_approval", "handling", "replied"])
def test_page_api_and_server_agree(world, stage):
    """Every account of the world, on a key task at each stage: page buttons, the API's
    available_transitions and fire()'s refusals agree, and refusals change nothing."""
    from lvzhi.cases.models import Event
    from lvzhi.keytasks.tests.helpers import EVIDENCE
    from lvzhi.testing import offers_disagree

    case = open_task(world)
    if stage != "drafting":
        fire(case, "submit_for_approval", world.office_clerk)
    if stage in ("handling", "replied"):
        fire(case, "approve", world.leader, {"note": "同意"})
        fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": world.committee.pk})
    if stage == "replied":
        fire(case, "propose_close_out", world.office_clerk, {"evidence": EVIDENCE})
    case.refresh_from_db()
    assert case.state == stage
    users = {"office": world.office_clerk, "suggestion_clerk": world.clerk, "leader": world.leader,
             "committee": world.committee_staff, "deputy": world.deputy_user,
             "handler": world.handlers[0], "head": world.heads[0], "sysadmin": world.sysadmin,
             "other_congress": world.other_congress_clerk}
    events = Event.objects.count()
    assert offers_disagree(case, users) == []
    assert Event.objects.count() == events
