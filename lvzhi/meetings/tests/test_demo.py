"""The meetings' demo year on the small test world: meetings of both kinds, materials rendered,
late ones marked, about a hundred 任免 voted through the ballot core, the figures traced."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.utils import timezone

from lvzhi.cases.events import verify_chain
from lvzhi.meetings import demo, figures
from lvzhi.meetings.models import MaterialPage, MaterialVersion, Meeting, MeetingState, MeetingType, Nominee
from lvzhi.votes.models import BoxState

pytestmark = pytest.mark.django_db


def test_the_demo_year(world, members):
    out = io.StringIO()
    builder = SimpleNamespace(city=world.congress, today=timezone.localdate(), _log=lambda s: out.write(s))
    demo.build(builder)
    c = world.congress
    assert Meeting.objects.filter(congress=c, meeting_type=MeetingType.STANDING, state=MeetingState.CLOSED).count() == 6
    assert Meeting.objects.filter(congress=c, meeting_type=MeetingType.COUNCIL).count() == 16
    assert Meeting.objects.filter(congress=c, state=MeetingState.PREPARING).count() == 1
    kinds = set(MaterialVersion.objects.values_list("file_kind", flat=True))
    assert kinds == {"pdf", "docx"} and MaterialPage.objects.count() >= MaterialVersion.objects.count()
    assert MaterialVersion.objects.filter(late=True).exists() and MaterialVersion.objects.filter(late=False).exists()
    voted = Nominee.objects.filter(vote__state=BoxState.CLOSED)
    assert 78 <= voted.count() <= 108  # about a hundred a year, as the seeds' committees
    passed = voted.filter(vote__passed=True).count()
    assert 2 * passed > voted.count()  # nine members here: a few nominees miss 过半数 of all
    year_ago, today = timezone.localdate() - dt.timedelta(days=366), timezone.localdate()
    assert figures.appointments([c.pk], year_ago, today).count() == passed
    assert figures.held([c.pk], year_ago, today).count() == 22
    assert figures.deputies_attending([c.pk], year_ago, today).count() >= 6
    assert verify_chain(c.pk) == (True, None)
    assert "任免" in demo.summary(c)
