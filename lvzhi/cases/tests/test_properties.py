"""Property-based: random transition sequences by random actors — every role account in the
world, in and out of scope — with payloads drawn from each transition's own form (and now and
then deliberately broken). After every step the engine's invariants must hold.

The world is built once per test; each hypothesis example runs inside a savepoint that is
rolled back, so every example starts from the same fresh congress.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from lvzhi.cases.deadlines import compute_due, max_due, rules_for
from lvzhi.cases.engine import fire
from lvzhi.cases.events import verify_chain
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import (
    AssignmentState,
    Case,
    Deadline,
    Event,
)
from lvzhi.cases.permissions import may_fire
from lvzhi.cases.tests.strategies import (
    ACTOR_KEYS,
    Cast,
    advance,
    broken,
    build_cast,
    new_case,
    payloads,
    snapshot,
)
from lvzhi.cases.workflow import InvalidInput, NotAllowed, TransitionError
from lvzhi.core.workdays import WorkCalendar
from lvzhi.suggestions.states import SuggestionState

pytestmark = pytest.mark.django_db
S = SuggestionState
K = DeadlineKind
CJK = re.compile(r"[\u4e00-\u9fff]")

# The states each kind may ever be in — written from the workflow description, not derived.
STATES = {
    "suggestion": {S.DRAFT, S.SUBMITTED, S.RETURNED, S.REGISTERED, S.HANDLING, S.REPLIED,
                   S.CLOSED, S.MERGED, S.WITHDRAWN},
    "motion": {S.DRAFT, S.SUBMITTED, S.RETURNED, S.REGISTERED, S.REFERRED, S.CLOSED,
               S.WITHDRAWN, S.CONVERTED},
}
# Where a transition that names no fixed target may leave the case.
FREE_TARGETS = {"evaluate": {S.CLOSED, S.HANDLING}, "accept_reply": {S.HANDLING, S.REPLIED}}
AFTER_CLOSE = {"keep_commitment", "publish", "unpublish"}
NO_RUNNING_CLOCKS = {S.CLOSED, S.MERGED, S.WITHDRAWN, S.CONVERTED}
PROFILE = settings(max_examples=35, stateful_step_count=20, deadline=None, derandomize=False,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture
def cast() -> Cast:
    return build_cast()


# ------------------------------------------------------------------------------ invariants

def case_rows(snap: dict[str, Any], table: str, case_id: int) -> list[dict[str, Any]]:
    return [r for r in snap[table] if r["case_id"] == case_id]


def check_deadlines(congress_id: int) -> None:
    rules, cal = rules_for(congress_id), WorkCalendar.for_congress(congress_id)
    open_clocks = Deadline.objects.filter(case__congress_id=congress_id, met_at=None,
                                          cancelled=False).select_related("case", "assignment")
    for d in open_clocks:
        label = f"open {d.kind} clock #{d.pk} of case {d.case_id} ({d.case.state})"
        assert d.due_on == compute_due(d.kind, d.start_on, rules, cal,
                                       extension_months=d.extension_months,
                                       fixed_due_on=d.fixed_due_on), f"{label}: stale due_on"
        if d.kind == K.REPLY:
            assert d.due_on <= max_due("reply", d.start_on, rules.reply_max_months, cal), f"{label}: past 6 months"
        if d.assignment is not None:
            assert d.assignment.state != AssignmentState.WITHDRAWN, f"{label}: withdrawn unit"
        if d.case.state in NO_RUNNING_CLOCKS:
            assert d.kind == K.COMMITMENT, f"{label}: only promises run on after the end"
        if d.case.state == S.REPLIED:
            assert d.kind not in (K.REPLY, K.REHANDLE), f"{label}: replied case still waiting"
        if d.kind == K.INTERIM_ASSIGN:
            assert d.case.state in (S.SUBMITTED, S.REGISTERED), label
    for case in Case.objects.filter(congress_id=congress_id):
        evaluation = open_clocks.filter(case=case, kind=K.EVALUATION).count()
        assert evaluation == (1 if case.state == S.REPLIED else 0), (
            f"case {case.pk} in {case.state} has {evaluation} open evaluation clocks")


class Run:
    """One example: the cases, what we have seen of them, and a readable log."""

    def __init__(self, cast: Cast, cases: list[Case]) -> None:
        self.cast = cast
        self.congress_id = cast.world.congress.pk
        self.cases = cases
        self.numbers: dict[int, str] = {}
        self.rounds: dict[int, int] = {}
        self.closed: dict[int, dict[str, Any]] = {}
        self.observe(snapshot(self.congress_id))

    def observe(self, snap: dict[str, Any]) -> None:
        """Record numbers, rounds and the frozen content of closed cases; check they hold."""
        for row in snap["cases"]:
            pk = row["id"]
            assert row["state"] in STATES[row["kind"]], f"case {pk}: unknown state {row['state']}"
            if pk in self.numbers:
                assert row["number"] == self.numbers[pk], f"case {pk}: number changed"
            if row["number"]:
                self.numbers[pk] = row["number"]
            assert row["round"] >= self.rounds.get(pk, 1), f"case {pk}: round went down"
            self.rounds[pk] = row["round"]
            frozen = {"title": row["title"], "body": row["body"], "number": row["number"],
                      "replies": case_rows(snap, "replies", pk),
                      "evaluations": case_rows(snap, "evaluations", pk)}
            if pk in self.closed:
                assert row["state"] == S.CLOSED, f"closed case {pk} left closed"
                assert frozen == self.closed[pk], f"closed case {pk} changed"
            elif row["state"] == S.CLOSED:
                self.closed[pk] = frozen

    def step(self, data: st.DataObject, i: int) -> None:
        cast = self.cast
        case = Case.objects.get(pk=data.draw(st.sampled_from(self.cases)).pk)
        workflow = get_kind(case.kind).workflow
        here = workflow.from_state(case.state)
        pool = here if here and data.draw(st.integers(0, 9)) < 8 else list(
            workflow.transitions.values())
        t = data.draw(st.sampled_from(sorted(pool, key=lambda t: t.name)), label="transition")
        keys = ACTOR_KEYS
        allowed = [k for k in keys if may_fire(cast[k], case, t.actors)]
        key = data.draw(st.sampled_from(allowed if allowed and data.draw(st.integers(0, 9)) < 7
                                        else keys), label="actor")
        actor = cast[key]
        payload = data.draw(payloads(t, case, actor), label="payload")
        if data.draw(st.integers(0, 9)) == 0:
            payload = data.draw(broken(payload), label="broken payload")
        now = None
        if t.name == "close_expired" and data.draw(st.booleans()):
            now = timezone.now() + dt.timedelta(days=40)  # the evaluation window has run out

        expected = may_fire(actor, case, t.actors)
        before = snapshot(self.congress_id)
        case_events = Event.objects.filter(case=case).count()
        try:
            fire(case.pk, t.name, actor, payload, now=now)
            outcome: TransitionError | None = None
        except TransitionError as e:
            outcome = e
        after = snapshot(self.congress_id)
        result = "ok" if outcome is None else f"{type(outcome).__name__}: {outcome.message}"
        event(f"{t.name}: {'ok' if outcome is None else type(outcome).__name__}")
        note(f"{i}: case {case.pk} [{case.kind} {case.state}] {t.name} by {key} "
             f"with {payload} → {result}")

        if outcome is not None:
            assert expected or isinstance(outcome, NotAllowed), "forbidden actor not refused"
            assert not isinstance(outcome, NotAllowed) or not expected, "permitted actor refused"
            changed = [k for k in before if before[k] != after[k]]
            assert changed == [], f"a refused {t.name} changed {changed}"
            assert CJK.search(outcome.message), f"refusal without a Chinese message: {outcome!r}"
        else:
            assert expected, f"{key} fired {t.name} without permission"
            assert Event.objects.filter(case=case).count() == case_events + 1
            new_cases = len(after["cases"]) - len(before["cases"])
            assert new_cases == (1 if t.name == "convert" else 0)
            assert after["events"] == before["events"] + 1 + new_cases
            if t.name == "convert":
                new = Case.objects.get(pk=max(r["id"] for r in after["cases"]))
                assert Event.objects.filter(case=new).count() == 1
                self.cases.append(new)
            case.refresh_from_db()
            if t.target is not None:
                assert case.state == t.target
            else:
                assert case.state in FREE_TARGETS.get(t.name, {before_state(before, case.pk)})
            if before_state(before, case.pk) == S.CLOSED:
                assert t.name in AFTER_CLOSE, f"{t.name} succeeded on a closed case"
        self.observe(after)
        assert verify_chain(self.congress_id) == (True, None)
        check_deadlines(self.congress_id)


def before_state(snap: dict[str, Any], pk: int) -> str:
    return next(r["state"] for r in snap["cases"] if r["id"] == pk)


def run_example(cast: Cast, data: st.DataObject, cases: list[Case]) -> None:
    run = Run(cast, cases)
    check_deadlines(run.congress_id)
    for i in range(data.draw(st.integers(1, 18), label="steps")):
        run.step(data, i)


# ---------------------------------------------------------------------------------- tests

@PROFILE
@given(data=st.data())
def test_random_suggestion_sequences_keep_the_invariants(cast, data):
    start = data.draw(st.sampled_from(["draft", "submitted", "registered", "handling",
                                       "handling", "replied", "replied", "closed"]),
                      label="start")
    with transaction.atomic():
        cases = [advance(cast, new_case(cast), start)]
        if data.draw(st.booleans(), label="second case"):
            second = data.draw(st.sampled_from(["draft", "submitted", "registered"]))
            cases.append(advance(cast, new_case(cast, interim=True), second))
        run_example(cast, data, cases)
        transaction.set_rollback(True)


@settings(PROFILE, max_examples=12)
@given(data=st.data())
def test_random_motion_sequences_keep_the_invariants(cast, data):
    start = data.draw(st.sampled_from(["draft", "submitted", "registered", "referred", "closed"]),
                      label="start")
    with transaction.atomic():
        cases = [advance(cast, new_case(cast, "motion"), start)]
        if data.draw(st.booleans(), label="a registered suggestion too"):
            cases.append(advance(cast, new_case(cast), "registered"))
        run_example(cast, data, cases)
        transaction.set_rollback(True)


def test_a_number_in_a_date_field_is_invalid_input(cast):
    """Regression: Django's DateField called .strip() on a JSON number → 500 (found above)."""
    case = advance(cast, new_case(cast), "handling")
    lead = case.assignments.get(unit=cast.world.units[0])
    before = snapshot(cast.world.congress.pk)
    with pytest.raises(InvalidInput):
        fire(case, "log_contact", cast["lead_handler"], {
            "assignment": lead.pk, "stage": "before", "method": "meeting",
            "happened_on": 987654321, "summary": "与代表当面沟通办理方案"})
    assert snapshot(cast.world.congress.pk) == before
