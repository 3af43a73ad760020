"""The duty-activity API reads what the pages show each account, and refuses bad filters in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.api.tests.helpers import client_for
from lvzhi.deputies import activity_services as services
from lvzhi.deputies.activity_models import ActivityKind

pytestmark = pytest.mark.django_db


def _record(world, title="视察城市排水防涝设施建设"):
    day = timezone.localdate() - dt.timedelta(days=2)
    roll = services.Roll(present=world.deputies[:3], leave=[world.deputies[3]], leave_reason="因公出差")
    return services.record(world.clerk, {"kind": ActivityKind.INSPECTION, "title": title, "held_on": day,
                                         "place": "北湖区湖滨东路泵站"}, roll)


def test_the_office_reads_every_line_and_a_deputy_only_his_own(world):
    a = _record(world)
    _record(world, "代表小组季度活动")
    listed = client_for(world.clerk).get("/api/v1/deputies/activities/", {"q": "排水"}).json()
    assert [r["title"] for r in listed["results"]] == [a.title]
    lines = listed["results"][0]["participations"]
    assert [(p["deputy"], p["attendance_label"]) for p in lines] == [
        ("代表0", "出席"), ("代表1", "出席"), ("代表2", "出席"), ("代表3", "请假")]
    assert listed["results"][0]["kind_label"] == "视察" and listed["results"][0]["counts"] is True

    mine = client_for(world.deputies[1].user).get(f"/api/v1/deputies/activities/{a.pk}/").json()
    assert [p["deputy"] for p in mine["participations"]] == ["代表1"]
    assert mine["participations"][0]["confirmation_label"] == "待代表确认"
    assert client_for(world.deputies[8].user).get(f"/api/v1/deputies/activities/{a.pk}/").status_code == 404


def test_bad_filters_and_units_are_refused_in_chinese(world):
    _record(world)
    client = client_for(world.clerk)
    res = client.get("/api/v1/deputies/activities/", {"kind": "party"})
    assert res.status_code == 400 and "活动类型“party”不存在" in res.content.decode()
    res = client.get("/api/v1/deputies/activities/", {"year": "1999"})
    assert res.status_code == 400 and "年度不能早于2000年" in res.content.decode()
    res = client_for(world.handlers[0]).get("/api/v1/deputies/activities/")
    assert res.status_code == 403 and "履职活动只对" in res.content.decode()
