"""Who may fire what, and who sees which case: every transition × every role account, in and
out of scope, against a truth table written down here from the rules — not from the code.

The cast (lvzhi.cases.tests.strategies.Cast): deputy 0 leads; deputy 1 is invited and never
answers; deputy 2 confirmed; deputy 11 was never invited. Unit 0 leads; unit 1 was co-unit and
got reassigned away (withdrawn) to unit 3, the co-unit now; unit 2 was never assigned. The
relation is "an assigned unit": which of its assignments a unit may act on is the forms' job.
`staff` belongs to the committee the motion is referred to; `other_staff` to another committee.
"""

from __future__ import annotations

import pytest

from lvzhi.cases.engine import available, fire
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import may_fire, visible_cases
from lvzhi.cases.tests.strategies import ACTOR_KEYS, advance, build_cast, diff, new_case, snapshot
from lvzhi.cases.workflow import NotAllowed
from lvzhi.suggestions.workflow import MOTION_WORKFLOW, SUGGESTION_WORKFLOW
from lvzhi.testing import offers_disagree

pytestmark = pytest.mark.django_db

HANDLERS = {"lead_handler", "co_handler"}
HEADS = {"lead_head", "co_head"}
UNIT = HANDLERS | HEADS

# transition → the only actors (ACTOR_KEYS) that may fire it. Everyone else — other deputies,
# other congresses, inactive accounts, unassigned or reassigned-away units, the three admin
# roles — must be refused.
DEPUTIES = {"lead_deputy", "cosigner", "confirmed_cosigner", "uninvited_deputy"}
SUGGESTION_TABLE: dict[str, set[str]] = {
    "open": DEPUTIES,
    "open_imported": {"clerk"},
    "open_converted": {"clerk"},
    "edit": {"lead_deputy"},
    "submit": {"lead_deputy"},
    "withdraw": {"lead_deputy"},
    "confirm_cosign": {"cosigner"},
    "decline_cosign": {"cosigner"},
    "return_for_revision": {"clerk"},
    "register": {"clerk"},
    "merge": {"clerk"},
    "assign": {"clerk"},
    "request_reassignment": HANDLERS,
    "decide_reassignment": {"clerk"},
    "extend": {"clerk"},
    "urge": {"clerk"},  # 催办
    "log_contact": UNIT,
    "give_co_opinion": HANDLERS,
    "draft_reply": HANDLERS,
    "sign_reply": HEADS,
    "return_draft": HEADS,
    "accept_reply": {"clerk"},
    "return_reply": {"clerk"},
    "acknowledge": HANDLERS,
    "evaluate": {"lead_deputy"},
    "close_expired": {"system"},
    "keep_commitment": UNIT,
    "mark_key": {"leader"},
    "add_to_bundle": {"clerk"},
    "publish": {"clerk"},
    "unpublish": {"clerk"},
}
MOTION_TABLE: dict[str, set[str]] = {
    **{k: SUGGESTION_TABLE[k] for k in (
        "open", "open_imported", "edit", "submit", "withdraw", "confirm_cosign", "decline_cosign",
        "return_for_revision", "register", "publish", "unpublish")},
    "refer_to_committee": {"clerk"},
    "committee_report": {"staff"},
    "convert": {"clerk"},
}
WORKFLOWS = {"suggestion": (SUGGESTION_WORKFLOW, SUGGESTION_TABLE),
             "motion": (MOTION_WORKFLOW, MOTION_TABLE)}


def test_tables_cover_every_transition():
    for workflow, table in WORKFLOWS.values():
        assert set(workflow.transitions) == set(table)


def _params():
    for kind, (workflow, _table) in WORKFLOWS.items():
        for t in workflow.transitions.values():
            for state in sorted(t.sources - {""}):
                yield pytest.param(kind, t.name, state, id=f"{kind}-{t.name}-{state}")


def _openings():
    for kind, (workflow, _table) in WORKFLOWS.items():
        for t in workflow.transitions.values():
            if "" in t.sources:
                yield pytest.param(kind, t.name, id=f"{kind}-{t.name}")


@pytest.mark.parametrize("kind, name", list(_openings()))
def test_who_may_open(kind, name):
    """Creation is a transition: who may raise a case of each kind, in this congress only."""
    cast = build_cast()
    workflow, table = WORKFLOWS[kind]
    t = workflow.get(name)
    probe = Case(congress=cast.world.congress, kind=kind, state="")
    wrong = {key: key not in table[name] for key in ACTOR_KEYS
             if may_fire(cast[key], probe, t.actors) != (key in table[name])}
    assert wrong == {}, f"{kind}.{name}: may_fire disagrees with the table for {wrong}"


@pytest.mark.parametrize("kind, name, state", list(_params()))
def test_may_fire_matrix(kind, name, state):
    cast = build_cast()
    case = advance(cast, new_case(cast, kind), state)
    assert case.state == state
    workflow, table = WORKFLOWS[kind]
    t = workflow.get(name)
    fresh = Case.objects.get(pk=case.pk)
    wrong = {key: may_fire(cast[key], fresh, t.actors) for key in ACTOR_KEYS
             if may_fire(cast[key], fresh, t.actors) != (key in table[name])}
    assert wrong == {}, f"{name} in {state}: may_fire disagrees with the table for {wrong}"

    before = snapshot(cast.world.congress.pk)
    for key in ACTOR_KEYS:
        user = cast[key]
        if user is not None:
            offered = t in available(fresh, user)
            assert offered == (key in table[name]), f"available() for {key}: {offered}"
        if key in table[name]:
            continue
        with pytest.raises(NotAllowed) as err:
            fire(case.pk, name, user, {})
        assert err.value.status == 403 and err.value.message.startswith("您无权")
    assert diff(before, snapshot(cast.world.congress.pk)) == [], "a refused actor changed something"


# ---------------------------------------------------------------------------- visibility

SUBMITTED_OR_LATER = {"s_submitted", "s_returned", "s_registered", "s_handling", "s_replied",
                      "s_closed", "s_withdrawn", "s_merged", "m_submitted", "m_referred",
                      "m_converted"}
DRAFTS = {"s_draft", "m_draft"}
VISIBLE: dict[str, set[str]] = {
    "lead_deputy": SUBMITTED_OR_LATER | DRAFTS,
    # Invitations go out on submit: an unsent draft is the lead deputy's own business.
    "cosigner": SUBMITTED_OR_LATER,
    "confirmed_cosigner": SUBMITTED_OR_LATER,
    "uninvited_deputy": set(),
    # The office receives a case when it is submitted, not while the deputy is still writing.
    "clerk": SUBMITTED_OR_LATER,
    "leader": SUBMITTED_OR_LATER,
    "inactive_clerk": set(),
    "other_clerk": set(),
    "staff": {"m_referred", "s_replied"},  # referred to it; key suggestion it supervises
    "other_staff": set(),
    "lead_handler": {"s_handling", "s_replied", "s_closed"},
    "lead_head": {"s_handling", "s_replied", "s_closed"},
    "co_handler": {"s_handling", "s_replied", "s_closed"},
    "co_head": {"s_handling", "s_replied", "s_closed"},
    "away_handler": set(),
    "away_head": set(),
    "free_handler": set(),
    "free_head": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
    "general_office": set(),
}


@pytest.fixture
def labelled():
    cast = build_cast()
    w = cast.world
    cases = {f"s_{s}": advance(cast, new_case(cast), s) for s in (
        "draft", "submitted", "returned", "registered", "handling", "replied", "closed",
        "withdrawn", "merged")}
    cases.update({f"m_{s}": advance(cast, new_case(cast, "motion"), s) for s in (
        "draft", "submitted", "referred", "converted")})
    fire(cases["s_replied"], "mark_key", w.leader, {"kind": "committee", "committee": w.committee.pk})
    return cast, {label: c.pk for label, c in cases.items()}


def _seen(cast, ids, key) -> set[str]:
    by_pk = {pk: label for label, pk in ids.items()}
    return {by_pk[pk] for pk in visible_cases(cast[key]).values_list("pk", flat=True) if pk in by_pk}


def test_visible_cases(labelled):
    """One world, every role account: who sees which case."""
    cast, ids = labelled
    wrong = {}
    for key in VISIBLE:
        seen = _seen(cast, ids, key)
        if seen != VISIBLE[key]:
            wrong[key] = {"extra": sorted(seen - VISIBLE[key]), "missing": sorted(VISIBLE[key] - seen)}
    assert wrong == {}


def test_invited_cosigner_does_not_see_unsent_draft():
    cast = build_cast()
    case = new_case(cast)
    assert not visible_cases(cast["cosigner"]).filter(pk=case.pk).exists()


def test_declined_cosigner_loses_sight():
    cast = build_cast()
    case = new_case(cast)
    fire(case, "submit", cast["lead_deputy"])
    assert visible_cases(cast["cosigner"]).filter(pk=case.pk).exists()
    fire(case, "decline_cosign", cast["cosigner"])
    assert not visible_cases(cast["cosigner"]).filter(pk=case.pk).exists()
    with pytest.raises(NotAllowed):
        fire(case, "confirm_cosign", cast["cosigner"])


# ------------------------------------------------------------ page, API and server agree

@pytest.mark.parametrize("state", ["submitted", "handling", "replied", "closed"])
def test_page_api_and_server_agree(state):
    """For every role account: the buttons on the page, the API's available_transitions and
    the server's refusals name the same transitions, and a refusal changes nothing."""
    cast = build_cast()
    case = advance(cast, new_case(cast), state)
    before = snapshot(cast.world.congress.pk)
    assert offers_disagree(case, {key: cast[key] for key in ACTOR_KEYS}) == []
    assert diff(before, snapshot(cast.world.congress.pk)) == [], "a refusal changed something"
