"""The dashboard's per-case summary (CaseFact) and its roll-up (FactCount) follow the records:
written by every event in the transition's own transaction, rebuilt and checked by
`manage.py rebuild_case_facts`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Event
from lvzhi.reports import facts
from lvzhi.reports.models import CaseFact, FactCount
from lvzhi.reports.selectors import state_counts
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def fact(case) -> dict:
    return CaseFact.objects.filter(pk=case.pk).values(*[c for c in facts.COLUMNS if c != "case_id"]).get()


def log_contact(world, case) -> None:
    lead = case.assignments.get(unit=world.units[0])
    fire(case, "log_contact", world.handler_of(world.units[0]), {
        "assignment": lead.pk, "stage": "before", "method": "visit",
        "happened_on": timezone.localdate().isoformat(), "summary": "上门听取代表意见，商定办理方案"})


def test_facts_follow_a_lifecycle_and_agree_with_the_records(world):
    closed = to_state(world, draft(world), "closed")
    handling = to_state(world, draft(world, deputy_index=3), "handling")
    log_contact(world, handling)
    fire(handling, "mark_key", world.leader, {"kind": "leader", "leader": world.leader.pk,
                                              "note": "列为主任会议重点督办"})
    drafted = draft(world, deputy_index=6)

    assert fact(closed) == {
        "congress_id": world.congress.pk, "kind": "suggestion", "state": "closed", "session_id": closed.session_id,
        "year": timezone.localdate().year, "category": "城乡建设", "is_key": False, "solved": True,
        "first_verdict": "satisfied", "last_verdict": "satisfied", "contacted": False,
        # closed, but the reply's promise is a duty still running
        "next_due": closed.deadlines.get(kind="commitment").due_on,
        "replies_a": 0, "replies_b": 1, "replies_c": 0, "replies_d": 0}
    h = fact(handling)
    assert (h["state"], h["contacted"], h["is_key"], h["solved"], h["first_verdict"]) == (
        "handling", True, True, False, None)
    assert fact(drafted)["state"] == "draft"
    # The records and the summary agree, and the counts are the facts' sums.
    assert facts.check() == [] and facts.check_counts() == []
    counts = state_counts(world.congress.pk, "suggestion")
    assert counts[("suggestion", "closed")] == 1 and counts[("suggestion", "handling")] == 1
    assert counts[("suggestion", "draft")] == 1


def test_each_event_refreshes_its_case_in_a_few_statements(world):
    case = to_state(world, draft(world), "handling")
    with CaptureQueriesContext(connection) as ctx:
        log_contact(world, case)
    fact_sql = [q["sql"] for q in ctx.captured_queries if "reports_" in q["sql"]]
    # read the old fact, upsert the new one, move its counts, compare the units: four
    # statements for an event that changes no unit (a contact); more only when units move
    assert len(fact_sql) == 4, fact_sql
    assert fact(case)["contacted"] is True


def test_a_tampered_fact_is_reported_by_check_and_fixed_by_rebuild(world):
    case = to_state(world, draft(world), "closed")
    other = to_state(world, draft(world, deputy_index=3), "handling")
    CaseFact.objects.filter(pk=case.pk).update(state="handling", last_verdict=None)
    FactCount.objects.filter(state="closed").update(n=7)

    out = io.StringIO()
    with pytest.raises(CommandError, match="统计摘要不一致"):
        call_command("rebuild_case_facts", "--check", stdout=out)
    text = out.getvalue()
    assert f"不一致的案件共1件（案件编号）：{case.pk}\n" in text and other.pk != case.pk
    assert "统计汇总与统计摘要不一致的分组" in text

    call_command("rebuild_case_facts", stdout=io.StringIO())
    assert fact(case)["state"] == "closed" and fact(case)["last_verdict"] == "satisfied"
    out = io.StringIO()
    call_command("rebuild_case_facts", "--check", stdout=out)
    assert "统计摘要与办理记录一致" in out.getvalue()
    assert state_counts(world.congress.pk, "suggestion")[("suggestion", "closed")] == 1


def test_rebuild_of_one_congress_leaves_the_others_alone(world):
    from lvzhi.testing import build_world

    other_world = build_world(name="南岭市人民代表大会")
    mine = to_state(world, draft(world), "registered")
    theirs = to_state(other_world, draft(other_world), "registered")
    CaseFact.objects.update(category="篡改")
    assert set(facts.check()) == {mine.pk, theirs.pk}
    assert facts.check(world.congress.pk) == [mine.pk]
    call_command("rebuild_case_facts", "--congress", str(world.congress.pk), stdout=io.StringIO())
    assert facts.check() == [theirs.pk]


def test_a_rolled_back_transition_leaves_the_fact_as_it_was(world):
    case = to_state(world, draft(world), "registered")
    before, counts_before = fact(case), state_counts(world.congress.pk, "suggestion")
    events = Event.objects.count()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        fire(case, "assign", world.clerk, {"mode": "lead", "lead": world.units[0].pk})
        # written in the transition's own transaction, not on commit: visible before it ends
        assert fact(case)["state"] == "handling"
        raise Abort
    assert Event.objects.count() == events
    assert fact(case) == before and state_counts(world.congress.pk, "suggestion") == counts_before
    assert facts.check() == [] and facts.check_counts() == []


def test_a_case_moved_between_groups_is_counted_once(world):
    """Counts move with the case: registered → handling → replied keeps one case in total."""
    case = to_state(world, draft(world), "registered")
    for state in ("handling", "replied"):
        to_state_from = {"handling": "assign", "replied": None}[state]
        if to_state_from:
            fire(case, "assign", world.clerk, {"mode": "lead", "lead": world.units[0].pk})
        else:
            lead = case.assignments.get()
            fire(case, "draft_reply", world.handler_of(world.units[0]), {
                "assignment": lead.pk, "reply_class": "A",
                "text": "经研究，我局已完成老旧小区加装电梯的审批流程简化，并落实补贴资金。"})
            reply = case.replies.get()
            fire(case, "sign_reply", world.head_of(world.units[0]), {"reply": reply.pk, "confirm": True})
            fire(case, "accept_reply", world.clerk, {"reply": reply.pk})
        counts = {s: n for (_, s), n in state_counts(world.congress.pk, "suggestion").items()}
        assert counts == {state: 1}, counts
    assert FactCount.objects.filter(state="replied").get().replies_a == 1


def test_year_is_the_local_year_of_submission(world):
    # 31 Dec 20:00 in Beijing is 12:00 UTC: the case belongs to that year, not the next.
    when = dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    case = draft(world)
    fire(case, "submit", case.lead_deputy.user, now=when)
    assert fact(case)["year"] == 2025
    late = draft(world, deputy_index=3)
    fire(late, "submit", late.lead_deputy.user,
         now=dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert fact(late)["year"] == 2026
    assert facts.check() == []


def test_units_and_their_clocks_follow_and_a_stale_unit_is_caught(world):
    from lvzhi.reports.models import CaseUnit, UnitCount

    case = to_state(world, draft(world), "handling")  # lead units[0], co units[1]
    rows = {u: due for u, due in CaseUnit.objects.filter(fact_id=case.pk).values_list("unit_id", "next_due")}
    lead = case.deadlines.get(kind="reply", assignment__unit=world.units[0]).due_on
    assert rows[world.units[0].pk] == lead and set(rows) == {world.units[0].pk, world.units[1].pk}
    assert UnitCount.objects.get(unit_id=world.units[1].pk).n == 1
    CaseUnit.objects.create(fact_id=case.pk, unit_id=world.units[2].pk)  # a unit it never had
    assert facts.check() == [case.pk]
    assert any(g[0] == "承办单位" for g in facts.check_counts())  # and the roll-up no longer adds up
    call_command("rebuild_case_facts", stdout=io.StringIO())
    assert facts.check() == [] and not CaseUnit.objects.filter(unit_id=world.units[2].pk).exists()


def test_a_day_off_that_moves_a_due_date_moves_the_fact(world, django_capture_on_commit_callbacks):
    from lvzhi.core.models import DayOverride

    case = to_state(world, draft(world), "handling")
    reply = case.deadlines.get(kind="reply", assignment__unit=world.units[0])
    old_due = reply.due_on
    with django_capture_on_commit_callbacks(execute=True):  # the due day becomes a local day off
        DayOverride.objects.create(congress=world.congress, day=old_due, is_workday=False, note="防汛")
    reply.refresh_from_db()
    assert reply.due_on > old_due  # rolled to the next working day, without an event
    assert facts.check() == [], "the recomputed clocks left the summary behind"
