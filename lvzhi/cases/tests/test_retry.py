"""A transaction that loses a lock race is retried whole, a bounded number of times.

The race is forced: a function called inside fire()'s atomic block raises, on its first calls,
the error the database would raise (PostgreSQL's deadlock 40P01 / serialization failure 40001,
SQLite's "database is locked"). Real commits (transaction=True), so on_commit notifications
really run, once, after the attempt that committed.
"""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from lvzhi.cases import engine
from lvzhi.cases.engine import ATTEMPTS, BUSY_MESSAGE, Busy, fire, in_transaction, is_transient, retry_counts
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Case, CaseNumberCounter, Event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Notification
from lvzhi.suggestions.services import create_draft
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import SUGGESTION_BODY, build_world, draft, to_state


def _wrapped(cause: BaseException, text: str) -> OperationalError:
    """What Django raises for a driver error: its own OperationalError, the driver's as cause."""
    err = OperationalError(text)
    err.__cause__ = cause
    return err


LOCK_RACES = {
    "pg-deadlock": lambda: _wrapped(psycopg.errors.DeadlockDetected("deadlock detected"),
                                    "deadlock detected"),
    "pg-serialization": lambda: _wrapped(
        psycopg.errors.SerializationFailure("could not serialize access due to concurrent update"),
        "could not serialize access due to concurrent update"),
    "psycopg-raw": lambda: psycopg.errors.DeadlockDetected("deadlock detected"),
    "sqlite-locked": lambda: _wrapped(sqlite3.OperationalError("database is locked"),
                                      "database is locked"),
}


def fail_first(monkeypatch, name: str, times: int, race: str = "pg-deadlock") -> list[int]:
    """engine.<name> raises the lock race on its first `times` calls; returns the call log."""
    real = getattr(engine, name)
    calls: list[int] = []

    def patched(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise LOCK_RACES[race]()
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, name, patched)
    monkeypatch.setattr(engine, "BACKOFF_SECONDS", 0.001)
    return calls


@pytest.fixture
def submitted(db):
    world = build_world()
    return world, to_state(world, draft(world), "submitted")


# ------------------------------------------------------------------------ classification

@pytest.mark.parametrize("race", sorted(LOCK_RACES))
def test_lock_races_are_transient(race):
    assert is_transient(LOCK_RACES[race]())


@pytest.mark.parametrize("exc", [
    IntegrityError("duplicate key value violates unique constraint"),
    OperationalError("no such table: cases_case"),
    OperationalError("connection to server was lost"),
    InvalidInput("“立案”填写有误"),
    ValueError("deadlock detected"),
])
def test_other_errors_are_not(exc):
    assert not is_transient(exc)


def test_a_refusal_raised_while_handling_a_race_is_not_retried():
    try:
        try:
            raise LOCK_RACES["pg-deadlock"]()
        except OperationalError:
            raise InvalidInput("填写有误") from None
    except InvalidInput as exc:
        assert not is_transient(exc)


# ------------------------------------------------------------------------------ retried

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("race", ["pg-deadlock", "pg-serialization", "sqlite-locked"])
def test_a_transition_that_loses_a_race_once_succeeds_on_retry(submitted, monkeypatch, race):
    world, case = submitted
    raiser = case.submitter
    before = retry_counts()
    events_before = Event.objects.filter(case=case).count()
    # Result() is built after the event is appended and the notification registered on commit:
    # the failed attempt had done all of it, and all of it must vanish with the rollback.
    calls = fail_first(monkeypatch, "Result", 1, race)

    result = fire(case.pk, "register", world.clerk, {"category": "城乡建设"})

    assert len(calls) == 2
    case.refresh_from_db()
    assert case.state == SuggestionState.REGISTERED and case.number.endswith("第0001号")
    assert result.case.number == case.number
    assert Event.objects.filter(case=case).count() == events_before + 1
    assert Event.objects.filter(case=case, name="register").count() == 1
    # the failed attempt's number was given back: gap-free
    assert CaseNumberCounter.objects.get(congress=world.congress).last == 1
    # the notification of the failed attempt never went out; the committed one did, once
    notes = Notification.objects.filter(user=raiser, case=case, text__contains="已立案")
    assert notes.count() == 1
    after = retry_counts()
    assert (after.retried - before.retried, after.refused - before.refused) == (1, 0)
    assert verify_chain(world.congress.pk) == (True, None)


@pytest.mark.django_db(transaction=True)
def test_an_opening_is_retried_and_creates_one_case(monkeypatch):
    world = build_world()
    deputy = world.deputies[0]
    calls = fail_first(monkeypatch, "append_event", 2)
    cases_before = Case.objects.count()

    case = create_draft(deputy.user, {
        "kind": "suggestion", "title": "关于加快老旧小区加装电梯的建议", "body": SUGGESTION_BODY,
        "category": "城乡建设", "cosigners": [d.pk for d in world.deputies[1:3]]},
        session=world.session)

    assert len(calls) == 3  # two lost races, then the one that committed
    assert Case.objects.count() == cases_before + 1
    assert case.cosigns.count() == 2
    assert list(Event.objects.filter(case=case).values_list("name", flat=True)) == ["open"]
    assert verify_chain(world.congress.pk) == (True, None)


# ------------------------------------------------------------------------------ refused

@pytest.mark.django_db(transaction=True)
def test_after_three_lost_races_the_caller_gets_503_and_nothing_changed(submitted, monkeypatch):
    world, case = submitted
    events_before = Event.objects.count()
    notes_before = Notification.objects.count()
    before = retry_counts()
    calls = fail_first(monkeypatch, "Result", 99)

    with pytest.raises(Busy) as refused:
        fire(case.pk, "register", world.clerk, {"category": "城乡建设"})

    assert len(calls) == ATTEMPTS == 3
    assert refused.value.status == 503
    assert refused.value.message == BUSY_MESSAGE == "系统繁忙，请稍后重试；您的操作未生效"
    case.refresh_from_db()
    assert case.state == SuggestionState.SUBMITTED and case.number == "" and case.registered_at is None
    assert Event.objects.count() == events_before
    assert Notification.objects.count() == notes_before
    assert not CaseNumberCounter.objects.filter(congress=world.congress, last__gt=0).exists()
    after = retry_counts()
    assert (after.retried - before.retried, after.refused - before.refused) == (ATTEMPTS - 1, 1)
    assert verify_chain(world.congress.pk) == (True, None)


@pytest.mark.django_db(transaction=True)
def test_the_page_and_the_api_answer_503_in_chinese(submitted, monkeypatch):
    world, case = submitted
    fail_first(monkeypatch, "Result", 99)
    client = APIClient()
    client.force_login(world.clerk)
    page = client.post(reverse("cases:fire", args=[case.pk, "register"]), {"category": "城乡建设"})
    assert page.status_code == 503
    assert BUSY_MESSAGE in page.content.decode()

    api = APIClient()
    api.force_authenticate(world.clerk)
    answer = api.post(reverse("api:case-transition", args=[case.pk, "register"]),
                      {"category": "城乡建设"}, format="json")
    assert answer.status_code == 503
    assert answer.json() == {"detail": BUSY_MESSAGE, "errors": {}}
    case.refresh_from_db()
    assert case.state == SuggestionState.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_a_race_after_the_commit_is_never_retried(submitted, monkeypatch):
    """A callback that fails after the commit must not fire the transition a second time.
    (Notifications are written inside the transaction; an effect's on_commit callbacks, such as
    deleting a replaced attachment, still run after it.)"""
    world, case = submitted
    before = retry_counts()
    calls: list[int] = []
    real_run = engine._run

    def run_then_fail_on_commit(*args, **kwargs):
        def fail() -> None:
            calls.append(1)
            raise LOCK_RACES["sqlite-locked"]()

        result = real_run(*args, **kwargs)
        transaction.on_commit(fail)
        return result

    monkeypatch.setattr(engine, "_run", run_then_fail_on_commit)
    with pytest.raises(OperationalError):
        fire(case.pk, "register", world.clerk, {"category": "城乡建设"})
    assert len(calls) == 1
    case.refresh_from_db()
    assert case.state == SuggestionState.REGISTERED
    assert Event.objects.filter(case=case, name="register").count() == 1
    assert retry_counts().retried == before.retried


# ------------------------------------------------------------------------------ nesting

@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_the_race_goes_up_to_the_outermost_block():
    """A savepoint cannot undo the locks its transaction already holds: only the caller's
    outermost block is retried, so the inner one lets the error through untouched."""
    attempts: list[int] = []

    def inner():
        attempts.append(1)
        raise LOCK_RACES["pg-deadlock"]()

    with pytest.raises(OperationalError), transaction.atomic():
        in_transaction(inner)
    assert attempts == [1]

    outer: list[int] = []

    def block():
        outer.append(1)
        if len(outer) == 1:
            in_transaction(inner)
        return "ok"

    assert in_transaction(block) == "ok" and len(outer) == 2
