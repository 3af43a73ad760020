"""The annual report's comment figures count the records a reader can open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.comment_figures import FIGURES
from lvzhi.legislation.comment_models import Outcome
from lvzhi.legislation.comment_testing import build_comment_world
from lvzhi.legislation.models import ContactPoint
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


def test_figures_by_channel_outcome_and_contact_point():
    cw = build_comment_world(build_world())
    ContactPoint.objects.create(congress=cw.world.congress, name="青石镇基层立法联系点", kind="乡镇")  # sends nothing
    web = svc.submit_public(cw.period, text="物业费调整应公示收支。", article_key="8", ip="1.1.1.1",
                            session=SessionStore())
    _m, (op,) = svc.enter_meeting(cw.point_clerk, cw.point, cw.period, held_on=timezone.localdate(), place="议事厅",
                                  participants=8, opinions=[svc.Opinion("9", "车位应先租后售。")])
    svc.decide(cw.law.law_clerk, op, Outcome.PARTLY, "吸收先租后售，价格另行规定")
    svc.decide(cw.law.law_clerk, web, Outcome.NOT_ADOPTED, "上位法已有规定")
    year = timezone.localdate().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = [cw.world.congress.pk]
    by = {f.code: f.cases(ids, start, end) for f in FIGURES}
    assert list(by["comment_periods"]) == [cw.period]
    assert by["comments_total"].count() == 2
    assert list(by["comments_portal"]) == [web] and list(by["comments_contact_point"]) == [op]
    assert list(by["comments_not_adopted"]) == [web] and list(by["comments_partly"]) == [op]
    assert list(by["contact_points_active"]) == [cw.point]
    assert list(by["contact_point_adopted"]) == [op]
    for qs in by.values():
        for record in qs:
            assert str(record) and record.get_absolute_url().startswith("/legislation/")
    last_year = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    assert FIGURES[1].cases(ids, *last_year).count() == 0
