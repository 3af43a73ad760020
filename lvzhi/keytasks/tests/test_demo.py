"""The demo year (CaseKind.demo), on the small demo world: every state, through the engine."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from lvzhi.cases.deadlines import Light, light, rules_for
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Assignment, Case, Deadline, Event
from lvzhi.core.models import Congress
from lvzhi.demo import data as D
from lvzhi.demo.builder import SMALL, DemoBuilder
from lvzhi.keytasks import clocks
from lvzhi.keytasks.models import Dispatch, ProgressReport
from lvzhi.keytasks.states import STATES

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_year_of_key_tasks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    # How long the demo takes is printed by seed_demo itself (每部分的秒数), not asserted here:
    # a timed test fails on a loaded machine, not on a slower demo.
    DemoBuilder(SMALL, out=out).build()
    city = Congress.objects.get(name=D.CITY_NAME)
    tasks = Case.objects.filter(congress=city, kind="key_task")
    assert {s.code for s in STATES} <= set(tasks.values_list("state", flat=True))
    for case in tasks:
        events = list(case.events.order_by("seq"))
        assert events[-1].to_state == case.state, case.title
        times = [e.at for e in events]
        assert times == sorted(times), case.title
        assert times[-1] < timezone.now()
    assert verify_chain(city.pk) == (True, None)
    # The kind's steps ran in time order (they follow the suggestions' in the chain).
    events = Event.objects.filter(congress=city, case__kind="key_task").order_by("seq")
    times = list(events.values_list("at", flat=True))
    assert times == sorted(times)
    today = timezone.localdate()
    warn = rules_for(city.pk).warn_days
    open_reports = Deadline.objects.filter(case__in=tasks, kind=clocks.PROGRESS_REPORT, met_at=None, cancelled=False)
    assert any(light(d, today, warn) == Light.RED for d in open_reports)
    assert Dispatch.objects.filter(congress=city).count() >= 3
    assert ProgressReport.objects.filter(case__in=tasks, on_time=True).exists()
    closed = [c for c in tasks.filter(state="closed").select_related("key_task_detail")]
    assert {c.key_task_detail.closed_on_time for c in closed} == {True, False}
    # Each office signed for its task (签收) within days of the assignment, as a real one does.
    live = Assignment.objects.filter(case__in=tasks).exclude(state="withdrawn")
    assert live.exists() and not live.filter(received_at__isnull=True).exists()
    assert all((a.received_at.date() - a.assigned_on).days <= 4 for a in live)
    assert "年度重点任务" in out.getvalue()
