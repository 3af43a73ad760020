"""Trainings: the 代表工委 registers one with its enrolled deputies; deputies sign in by the door's
code on their phones (or the clerk signs them in); a sign-in is a present line of the training
activity, so the 履职档案, the hours and the figures count it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.deputies import performance
from lvzhi.deputies import training_services as services
from lvzhi.deputies.activity_figures import FIGURES
from lvzhi.deputies.activity_models import Participation
from lvzhi.deputies.training_models import Enrollment, Training

pytestmark = pytest.mark.django_db


def _new(client, world, **over):
    data = {"title": "代表建议撰写专题培训", "form": "system", "held_on": timezone.localdate().isoformat(),
            "place": "市委党校报告厅", "hours": "3", "topic": "如何撰写高质量的代表建议",
            "names": "代表0、代表1、代表2"}
    data.update(over)
    return client.post(reverse("deputies:training_new"), data)


def test_register_sign_in_by_code_and_by_clerk(client, world):
    client.force_login(world.clerk)
    res = _new(client, world, names="代表0、王五")
    assert res.status_code == 400 and "“王五”不是本级代表" in res.content.decode() and not Training.objects.exists()
    res = _new(client, world)
    t = Training.objects.get()
    assert res.status_code == 302 and t.enrollments.count() == 3 and t.activity.kind == "training"
    poster = client.get(reverse("deputies:training_poster", args=[t.pk]))
    assert poster.content[:5] == b"%PDF-"

    url = reverse("deputies:training_sign_in", args=[t.pk, services.sign_token(t)])
    client.force_login(world.deputies[0].user)
    assert client.get(reverse("deputies:training_sign_in", args=[t.pk, "0" * 16])).status_code == 404
    res = client.post(url)
    assert "已签到" in res.content.decode()
    client.post(url)  # a second scan changes nothing
    assert Participation.objects.filter(activity=t.activity).count() == 1
    page = client.get(reverse("deputies:trainings")).content.decode()
    assert "您已参加培训 <strong>3</strong> 学时" in page

    client.force_login(world.clerk)
    client.post(reverse("deputies:training_clerk_sign_in", args=[t.pk, world.deputies[1].pk]))
    assert Enrollment.objects.filter(training=t, signed_in_at__isnull=False).count() == 2
    year = timezone.localdate().year
    f = next(f for f in FIGURES if f.code == "deputy_training_attendances")
    assert f.cases([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31)).count() == 2
    r = performance.record(world.deputies[0], year)
    assert r.hours == 3 and any("代表建议撰写专题培训" in e.title for s in r.sections for e in s.entries)
    assert performance.record(world.deputies[2], year).counted() == 0  # enrolled, never came


def test_the_code_works_only_around_the_day(client, world):
    client.force_login(world.clerk)
    _new(client, world, held_on=(timezone.localdate() - dt.timedelta(days=5)).isoformat())
    t = Training.objects.get()
    client.force_login(world.deputies[0].user)
    res = client.post(reverse("deputies:training_sign_in", args=[t.pk, services.sign_token(t)]))
    assert res.status_code == 403 and "签到码只在培训当天" in res.content.decode()
    assert not Participation.objects.filter(activity=t.activity).exists()
