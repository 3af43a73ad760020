"""Many people acting on one case at the same moment: no lost update, one event per success,
a gap-free chain, gap-free official numbers.

Real threads with their own database connections and real commits (transaction=True). On
SQLite the IMMEDIATE transaction mode serialises writers; on PostgreSQL fire()'s
select_for_update on the case row and the chain head does. Either way the outcome must be the
same as some serial order.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from lvzhi.cases.engine import fire
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import (
    Case,
    Contact,
    CosignState,
    Event,
)
from lvzhi.cases.tests.strategies import advance, build_cast, new_case
from lvzhi.cases.workflow import TransitionError, WrongState
from lvzhi.suggestions.services import create_draft
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import SUGGESTION_BODY

pytestmark = pytest.mark.django_db(transaction=True)
N = 8


def together(jobs: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run the jobs in threads released at once; each returns ("ok", result) or
    ("refused", TransitionError); anything else is a crash the test reports."""
    barrier = threading.Barrier(len(jobs))
    results: list[tuple[str, Any]] = [("missing", None)] * len(jobs)

    def worker(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", job())
        except TransitionError as e:
            results[i] = ("refused", e)
        except Exception as e:  # reported below with the job index
            results[i] = ("crash", repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    crashes = [(i, r) for i, r in enumerate(results) if r[0] in ("crash", "missing")]
    assert crashes == [], f"threads crashed: {crashes}"
    return results


def assert_chain_gap_free(congress_id: int) -> None:
    assert verify_chain(congress_id) == (True, None)
    seqs = list(Event.objects.filter(congress_id=congress_id).order_by("seq")
                .values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_all_cosigners_confirm_at_once():
    cast = build_cast()
    w = cast.world
    invited = w.deputies[1:1 + N]
    case = create_draft(w.deputies[0].user, {
        "kind": "suggestion", "title": "关于加快老旧小区加装电梯的建议", "body": SUGGESTION_BODY,
        "category": "城乡建设", "cosigners": [d.pk for d in invited]}, session=w.session)
    fire(case, "submit", w.deputies[0].user)
    before = Event.objects.filter(case=case).count()

    results = together([lambda d=d: fire(case.pk, "confirm_cosign", d.user) for d in invited])

    assert [r[0] for r in results] == ["ok"] * N
    states = dict(case.cosigns.values_list("deputy_id", "state"))
    assert states == {d.pk: CosignState.CONFIRMED for d in invited}
    assert Event.objects.filter(case=case).count() == before + N
    assert Event.objects.filter(case=case, name="confirm_cosign").count() == N
    assert_chain_gap_free(w.congress.pk)


def test_units_log_contacts_at_once():
    cast = build_cast()
    w = cast.world
    case = advance(cast, new_case(cast), "registered")
    fire(case, "assign", w.clerk, {"mode": "lead", "lead": w.units[0].pk,
                                   "co": [u.pk for u in w.units[1:4]]})
    actors = [(u, user) for u in w.units[:4] for user in (w.handler_of(u), w.head_of(u))]
    before = Event.objects.filter(case=case).count()

    def log(unit, user):
        a = case.assignments.get(unit=unit)
        return fire(case.pk, "log_contact", user, {
            "assignment": a.pk, "stage": "during", "method": "phone",
            "happened_on": a.assigned_on.isoformat(), "summary": f"{user.name}与代表电话沟通办理方案"})

    results = together([lambda u=u, user=user: log(u, user) for u, user in actors])

    assert [r[0] for r in results] == ["ok"] * N
    contacts = Contact.objects.filter(case=case)
    assert sorted(contacts.values_list("recorded_by_id", flat=True)) == sorted(u.pk for _, u in actors)
    assert Event.objects.filter(case=case).count() == before + N
    case.refresh_from_db()
    assert case.state == SuggestionState.HANDLING
    assert_chain_gap_free(w.congress.pk)


def test_register_races_return_exactly_one_wins():
    cast = build_cast()
    w = cast.world
    cases = [advance(cast, new_case(cast), "submitted") for _ in range(4)]
    for case in cases:
        before = Event.objects.filter(case=case).count()
        results = together([
            lambda c=case: fire(c.pk, "register", w.clerk, {"category": "城乡建设"}),
            lambda c=case: fire(c.pk, "return_for_revision", w.clerk, {"reason": "请补充具体措施"}),
        ])
        outcomes = [r[0] for r in results]
        assert sorted(outcomes) == ["ok", "refused"], outcomes
        loser = next(r[1] for r in results if r[0] == "refused")
        assert isinstance(loser, WrongState)
        case.refresh_from_db()
        if outcomes[0] == "ok":
            assert case.state == SuggestionState.REGISTERED and case.number
        else:
            assert case.state == SuggestionState.RETURNED and case.number == ""
        assert Event.objects.filter(case=case).count() == before + 1
    numbers = [c.number for c in Case.objects.filter(pk__in=[c.pk for c in cases]) if c.number]
    assert [int(re.search(r"(\d{4})号$", n).group(1)) for n in sorted(numbers)] == list(
        range(1, len(numbers) + 1))  # a returned race never burns a number
    assert_chain_gap_free(w.congress.pk)


def test_register_races_withdraw_like_some_serial_order():
    """withdraw is allowed from registered too: either withdraw first (register refused, no
    number) or register first then withdraw (both succeed, the number stays)."""
    cast = build_cast()
    w = cast.world
    for _ in range(3):
        case = advance(cast, new_case(cast), "submitted")
        before = Event.objects.filter(case=case).count()
        reg, wd = together([
            lambda c=case: fire(c.pk, "register", w.clerk, {"category": "城乡建设"}),
            lambda c=case: fire(c.pk, "withdraw", w.deputies[0].user, {"reason": "问题已经解决"}),
        ])
        case.refresh_from_db()
        assert wd[0] == "ok" and case.state == SuggestionState.WITHDRAWN
        if reg[0] == "ok":
            assert case.number and case.registered_at
            assert Event.objects.filter(case=case).count() == before + 2
        else:
            assert isinstance(reg[1], WrongState)
            assert case.number == "" and case.registered_at is None
            assert Event.objects.filter(case=case).count() == before + 1
        assert not case.deadlines.filter(met_at=None, cancelled=False).exists()
    assert_chain_gap_free(w.congress.pk)


def test_concurrent_registration_numbers_are_gap_free():
    cast = build_cast()
    w = cast.world
    cases = [advance(cast, new_case(cast), "submitted") for _ in range(N)]
    interim = [advance(cast, new_case(cast, interim=True), "submitted") for _ in range(3)]

    results = together([lambda c=c: fire(c.pk, "register", w.clerk, {"category": "城乡建设"})
                        for c in cases + interim])

    assert [r[0] for r in results] == ["ok"] * (N + 3)
    session_numbers = sorted(Case.objects.filter(pk__in=[c.pk for c in cases])
                             .values_list("number", flat=True))
    prefix = f"{w.session}第"
    assert session_numbers == [f"{prefix}{i:04d}号" for i in range(1, N + 1)]
    interim_numbers = sorted(Case.objects.filter(pk__in=[c.pk for c in interim])
                             .values_list("number", flat=True))
    assert [n[-6:] for n in interim_numbers] == ["第0001号", "第0002号", "第0003号"]
    assert Event.objects.filter(name="register", congress=w.congress).count() == N + 3
    assert_chain_gap_free(w.congress.pk)
