"""The demo year and the figures that trace to its votes."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.testing import make_user
from lvzhi.votes import demo, figures
from lvzhi.votes.models import BoxState, SatisfactionVote, StandingMember

pytestmark = pytest.mark.django_db


def test_demo_year_has_members_votes_and_one_failed_report_re_reported(world):
    for i in range(25):
        make_user(f"demo_deputy{i}", "deputy", world.congress, name=f"代表乙{i}")
    stats = demo.build(world.congress, year=2025)
    assert stats == {"members": 35, "votes": 6, "failed": 1}
    assert StandingMember.objects.filter(congress=world.congress, title="chair").count() == 1
    failed = SatisfactionVote.objects.get(passed=False)
    assert "城市内涝治理" in failed.title and failed.re_report_due_on == dt.date(2025, 12, 27)
    again = failed.re_reports.get()
    assert again.passed is True and again.closed_at.date() == dt.date(2025, 12, 23)
    assert all(v.state == BoxState.CLOSED and v.topic_id for v in SatisfactionVote.objects.all())

    ids, year = [world.congress.pk], (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    held, passed, failed_qs = (f.cases(ids, *year) for f in figures.FIGURES)
    assert (held.count(), passed.count(), failed_qs.count()) == (6, 5, 1)
    assert list(failed_qs) == [failed]
    assert figures.held(ids, dt.date(2025, 7, 1), dt.date(2025, 12, 31)).count() == 3
    assert figures.held([world.other_congress_clerk.congress_id], *year).count() == 0
