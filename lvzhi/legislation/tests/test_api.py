"""The legislation API: the registry and the comment periods, read by the committee's own accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore

from lvzhi.api.tests.helpers import client_for
from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.choices import Action
from lvzhi.legislation.comment_models import Outcome
from lvzhi.legislation.comment_testing import DRAFT_TEXT, build_comment_world
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.versions import record_version
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw():
    return build_comment_world(build_world())


def test_a_regulation_comes_with_its_versions_and_current_articles(cw):
    reg = Regulation.objects.create(congress=cw.world.congress, title="北辰市城市绿化条例")
    record_version(reg, Action.ENACT, dt.date(2020, 6, 30), text=DRAFT_TEXT, actor=cw.law.law_clerk,
                   effective_on=dt.date(2020, 10, 1))
    client = client_for(cw.law.law_clerk)
    listed = client.get("/api/v1/legislation/regulations/", {"q": "绿化"}).json()
    assert [r["title"] for r in listed["results"]] == ["北辰市城市绿化条例"]
    assert listed["results"][0]["status_label"] == "现行有效" and listed["results"][0]["versions"] == 1
    detail = client.get(f"/api/v1/legislation/regulations/{reg.pk}/").json()
    assert detail["version_list"][0]["action_label"] == "制定"
    assert detail["articles"][4]["label"] == "第五条" and detail["articles"][4]["chapter"] == "第二章 业主和业主大会"


def test_bad_filters_and_other_roles_are_refused_in_chinese(cw):
    client = client_for(cw.law.law_clerk)
    r = client.get("/api/v1/legislation/regulations/", {"status": "nonsense"})
    assert r.status_code == 400 and "状态“nonsense”不存在" in r.content.decode()
    handler = client_for(cw.world.handlers[0])
    r = handler.get("/api/v1/legislation/regulations/")
    assert r.status_code == 403 and "只对常委会" in r.content.decode()
    other = Regulation.objects.create(congress=cw.world.congress, title="北辰市供热条例")
    outsider = client_for(cw.world.other_congress_clerk)
    assert outsider.get(f"/api/v1/legislation/regulations/{other.pk}/").status_code in (403, 404)


def test_comment_periods_count_by_channel_and_outcome(cw):
    for i, text in enumerate(["建议维修资金每季度公布。", "停车位应当先租后售。"]):
        c = svc.submit_public(cw.period, text=text, article_key="11" if i == 0 else "9", ip=f"10.1.0.{i}",
                              session=SessionStore())
        if i == 0:
            svc.decide(cw.law.law_clerk, c, Outcome.ADOPTED, "")
    rows = client_for(cw.world.leader).get("/api/v1/legislation/comment-periods/").json()["results"]
    assert len(rows) == 1 and rows[0]["by_channel"]["网上征求意见"] == 2
    assert rows[0]["by_outcome"] == {"待研究": 1, "采纳": 1, "部分采纳": 0, "未采纳": 0}


def test_a_nul_in_the_search_is_a_400_not_a_database_error(cw):
    r = client_for(cw.law.law_clerk).get("/api/v1/legislation/regulations/", {"q": "物业\x00"})
    assert r.status_code == 400 and "空字符" in r.content.decode()
