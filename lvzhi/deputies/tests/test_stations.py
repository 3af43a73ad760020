"""Liaison stations: the schedule, the reception log (each citizen received, the day's 进站接待
activity kept for the deputies' 履职档案), the month-by-month figures and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Role
from lvzhi.deputies.activity_models import Activity, ActivityKind
from lvzhi.deputies.models import LiaisonStation
from lvzhi.deputies.station_figures import FIGURES, months
from lvzhi.deputies.station_models import StationShift, Visit
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(world):
    s = LiaisonStation.objects.create(congress=world.congress, name="东风街道人大代表联络站", address="东风路118号")
    for d in world.deputies[:3]:
        d.station = s
        d.save()
    return s


def test_a_keeper_schedules_and_logs_receptions(client, world, station):
    keeper = make_user("keeper9", Role.CLERK, world.congress, None, "联络员小刘")
    station.keepers.add(keeper)
    client.force_login(keeper)
    today = timezone.localdate()
    url = reverse("deputies:station", args=[station.pk])
    res = client.post(reverse("deputies:station_shift", args=[station.pk]),
                      {"deputy": world.deputies[0].pk, "on": (today + dt.timedelta(days=3)).isoformat(),
                       "slot": "morning"})
    assert res.status_code == 302 and StationShift.objects.count() == 1
    res = client.post(reverse("deputies:station_shift", args=[station.pk]),
                      {"deputy": world.deputies[0].pk, "on": (today + dt.timedelta(days=3)).isoformat(),
                       "slot": "morning"})
    assert res.status_code == 400 and "当天该时段已安排值班" in res.content.decode()
    # A deputy of another station cannot be put on this one's schedule.
    res = client.post(reverse("deputies:station_shift", args=[station.pk]),
                      {"deputy": world.deputies[6].pk, "on": today.isoformat(), "slot": "morning"})
    assert res.status_code == 400 and StationShift.objects.count() == 1

    for matter, opinion in (("小区电梯老化频繁停运，希望纳入更新改造计划", True), ("咨询医保异地备案怎么办理", False)):
        res = client.post(reverse("deputies:station_visit", args=[station.pk]),
                          {"deputy": world.deputies[1].pk, "on": today.isoformat(), "name": "李阿姨",
                           "matter": matter, "is_opinion": "on" if opinion else "", "handling": "answered"})
        assert res.status_code == 302
    activity = Activity.objects.get(kind=ActivityKind.RECEPTION, station=station, held_on=today)
    assert activity.summary == "接待群众2人次，收集意见建议1条。"
    assert [p.deputy for p in activity.participations.all()] == [world.deputies[1]]
    res = client.post(reverse("deputies:station_visit", args=[station.pk]),
                      {"deputy": world.deputies[1].pk, "on": (today + dt.timedelta(days=1)).isoformat(),
                       "matter": "明天的接待", "handling": "answered"})
    assert res.status_code == 400 and "接待日期不能晚于今天" in res.content.decode() and Visit.objects.count() == 2

    year = today.year
    this = months(station, year)[today.month - 1]
    assert (this.visits, this.opinions) == (2, 1)
    counts = {f.code: f.cases([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31)).count()
              for f in FIGURES}
    assert counts == {"station_citizens_received": 2, "station_opinions_collected": 1}
    page = client.get(url).content.decode()
    assert "小区电梯老化" in page and "代表码上见海报" in page


def test_who_may_read_and_keep(client, world, station):
    client.force_login(world.deputies[0].user)  # a deputy of the station reads, does not keep
    assert client.get(reverse("deputies:station", args=[station.pk])).status_code == 200
    assert client.get(reverse("deputies:stations")).content.decode().count("东风街道人大代表联络站") == 1
    client.force_login(world.deputies[6].user)
    assert client.get(reverse("deputies:station", args=[station.pk])).status_code == 403
    client.force_login(world.office_clerk)  # another office's clerk
    res = client.post(reverse("deputies:station_visit", args=[station.pk]),
                      {"deputy": world.deputies[1].pk, "on": timezone.localdate().isoformat(),
                       "matter": "反映路灯损坏问题", "handling": "answered"})
    assert res.status_code == 403 and not Visit.objects.exists()
