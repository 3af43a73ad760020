"""The daily sweep: a one-time became-overdue event, reminders, and expired evaluation windows."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases.events import verify_chain
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Event
from lvzhi.cases.sweep import sweep
from lvzhi.core.models import Notification
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def test_overdue_event_is_emitted_once(world):
    case = to_state(world, draft(world), "handling")
    reply_clock = case.deadlines.get(kind=DeadlineKind.REPLY)
    later = reply_clock.due_on + dt.timedelta(days=1)
    first = sweep(later)
    assert first.overdue >= 1
    events = Event.objects.filter(case=case, name="became_overdue")
    assert events.filter(payload__kind="reply").count() == 1
    handler = world.handlers[0]
    assert Notification.objects.filter(user=handler, text__startswith="已超期").exists()
    again = sweep(later + dt.timedelta(days=3))
    assert again.overdue == 0
    assert events.filter(payload__kind="reply").count() == 1
    assert verify_chain(world.congress.pk) == (True, None)


def test_reminder_before_due(world):
    case = to_state(world, draft(world), "handling")
    clock = case.deadlines.get(kind=DeadlineKind.REPLY)
    sweep(clock.due_on - dt.timedelta(days=3))
    clock.refresh_from_db()
    assert clock.reminded
    assert Notification.objects.filter(user=world.handlers[0], text__startswith="临期提醒").exists()


def test_expired_evaluation_window_closes_case(world):
    case = to_state(world, draft(world), "replied")
    clock = case.deadlines.get(kind=DeadlineKind.EVALUATION)
    assert sweep(clock.due_on).closed == 0  # the last day still belongs to the deputy
    assert sweep(clock.due_on + dt.timedelta(days=1)).closed == 1
    case.refresh_from_db()
    assert case.state == SuggestionState.CLOSED
    assert case.evaluations.get().expired
    assert case.closed_at is not None
