"""The pages a clerk, a deputy and a citizen use, end to end through the views."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.projects.models import ProjectIdea, Stage, Threshold
from lvzhi.projects.tests.conftest import in_review, new_round

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_public_idea_form_gives_a_receipt_and_throttles(world):
    rnd = new_round(world)
    c = Client()
    url = reverse("projects:public_idea", args=[rnd.pk])
    for _ in range(3):
        r = c.post(url, {"title": "背街小巷路灯", "content": "晚上太黑"})
        assert r.status_code == 200 and "查询码" in r.content.decode()
    r = c.post(url, {"title": "再来一条", "content": "x"})
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert ProjectIdea.objects.count() == 3
    assert "正在征集" in c.get(reverse("projects:public")).content.decode()


def test_vote_on_the_phone_page_and_result_on_the_portal(world):
    rnd = in_review(world, n=12, places=10, threshold=Threshold.NONE)
    clerk = _client(world.office_clerk)
    r = clerk.post(reverse("projects:round", args=[rnd.pk]), {"action": "open"}, follow=True)
    assert "已开始票决" in r.content.decode()
    for i, d in enumerate(world.deputies):
        page = _client(d.user)
        choice = [str(k) for k in range(1, 11)] if i else [str(k) for k in range(1, 13)]  # the first is over N
        r = page.post(reverse("projects:ballot", args=[rnd.pk]), {"choice": choice})
        assert "回执码" in r.content.decode()
        if not i:
            assert "无效票" in r.content.decode()
    r = clerk.post(reverse("projects:round", args=[rnd.pk]), {"action": "close"}, follow=True)
    body = r.content.decode()
    assert "计票完成" in body and "收回12张，无效1张" in body
    rnd.refresh_from_db()
    assert rnd.stage == Stage.IMPLEMENTING and rnd.projects.count() == 10
    assert "候选项目1" in Client().get(reverse("projects:public")).content.decode()
    project = rnd.projects.get(rank=1)
    handler = _client(world.handlers[0])
    r = handler.post(reverse("projects:project", args=[project.pk]),
                     {"action": "milestone", "title": "竣工", "weight": 1, "planned_on": "2026-12-31"}, follow=True)
    assert "晚于项目完成日期" in r.content.decode() and project.milestones.count() == 0


def test_a_deputy_cannot_run_the_vote(world):
    rnd = in_review(world)
    r = _client(world.deputies[0].user).post(reverse("projects:round", args=[rnd.pk]), {"action": "open"})
    assert r.status_code == 403
    rnd.refresh_from_db()
    assert rnd.stage == Stage.REVIEW
