"""The pages: the office creates, opens and closes; a member votes on the phone page in one
tap plus confirmation and then sees 已投票; the results page shows counts, turnout, the verdict
and the rule at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.votes import services
from lvzhi.votes.models import Ballot, BoxState, Grade, SatisfactionVote

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_office_creates_opens_and_closes_a_vote(world, members):
    office = as_user(world.office_clerk)
    assert office.get(reverse("votes:new")).status_code == 200
    r = office.post(reverse("votes:new"), {"title": "对市人民政府关于老旧小区改造工作情况报告的满意度测评"})
    vote = SatisfactionVote.objects.get()
    assert r.status_code == 302 and vote.state == BoxState.DRAFT
    page = office.get(reverse("votes:detail", args=[vote.pk])).content.decode()
    assert "开始投票" in page and "满意票超过常委会组成人员的半数" in page
    office.post(reverse("votes:detail", args=[vote.pk]), {"action": "open"})
    vote.refresh_from_db()
    assert vote.state == BoxState.OPEN and vote.electorate_size == 13
    assert "0 / 13" in office.get(reverse("votes:detail", args=[vote.pk])).content.decode()
    office.post(reverse("votes:detail", args=[vote.pk]), {"action": "close"})
    vote.refresh_from_db()
    assert vote.state == BoxState.CLOSED and vote.passed is False


def test_bad_new_vote_input_is_refused_in_chinese(world, members):
    office = as_user(world.office_clerk)
    r = office.post(reverse("votes:new"), {"title": ""})
    assert r.status_code == 400 and "请填写测评事项" in r.content.decode()
    r = office.post(reverse("votes:new"), {"title": "对市人民政府的测评", "topic": "999999"})
    assert r.status_code == 400 and "所选监督议题不存在" in r.content.decode()
    assert not SatisfactionVote.objects.exists()


def test_a_member_votes_on_the_phone_page(world, members, open_vote):
    deputy = as_user(world.deputy_user)
    url = reverse("votes:ballot", args=[open_vote.pk])
    page = deputy.get(url).content.decode()
    assert page.count('name="grade"') == 4 and "基本满意" in page  # three grades and 不作选择
    confirm = deputy.post(url, {"step": "choose", "grade": Grade.BASIC}).content.decode()
    assert "确认投票" in confirm and "基本满意" in confirm
    assert not Ballot.objects.exists()  # choosing is not voting
    r = deputy.post(url, {"step": "confirm", "grade": Grade.BASIC}, follow=True)
    body = r.content.decode()
    assert "已投票" in body and "基本满意" not in body.split('id="voted"')[1]
    assert Ballot.objects.get().marks == [Grade.BASIC]
    again = deputy.post(url, {"step": "confirm", "grade": Grade.SATISFIED}, follow=True).content.decode()
    assert "您已经投过票" in again and Ballot.objects.count() == 1
    listing = deputy.get(reverse("votes:list")).content.decode()
    assert "已投票" in listing and "去投票" not in listing


def test_tampered_grade_and_closed_vote_are_refused(world, members, open_vote):
    leader = as_user(world.leader)  # a LEADER account is a member too
    url = reverse("votes:ballot", args=[open_vote.pk])
    r = leader.post(url, {"step": "confirm", "grade": "excellent"}, follow=True)
    assert "所选选项不存在" in r.content.decode() and not Ballot.objects.exists()
    services.close_vote(open_vote, world.office_clerk)
    r = leader.post(url, {"step": "confirm", "grade": Grade.SATISFIED}, follow=True)
    assert "表决已经结束，不能再投票" in r.content.decode() and not Ballot.objects.exists()


def test_results_show_at_once_after_closing(world, members, open_vote):
    for m, g in zip(members, [Grade.SATISFIED] * 8 + [Grade.UNSATISFIED] * 2, strict=False):
        services.cast(open_vote, m, [g])
    services.cast(open_vote, members[12], [Grade.SATISFIED, Grade.BASIC])
    services.close_vote(open_vote, world.office_clerk)
    page = as_user(world.deputies[5].user).get(reverse("votes:detail", args=[open_vote.pk])).content.decode()
    assert 'id="verdict">通过' in page
    assert "组成人员 13人，投票 11人（参与率 84.6%），有效票 10张" in page
    assert "满意票超过常委会组成人员的半数" in page and "无效票" in page


def test_who_may_see_and_do_what(world, members, vote):
    handler = as_user(world.handlers[0])
    assert handler.get(reverse("votes:list")).status_code == 403
    deputy = as_user(world.deputy_user)
    assert deputy.get(reverse("votes:new")).status_code == 403
    assert deputy.get(reverse("votes:detail", args=[vote.pk])).status_code == 403  # a draft
    services.open_vote(vote, world.office_clerk)
    assert deputy.post(reverse("votes:detail", args=[vote.pk]), {"action": "close"}).status_code == 403
    vote.refresh_from_db()
    assert vote.state == BoxState.OPEN
    assert as_user(world.office_clerk).get(reverse("votes:ballot", args=[vote.pk])).status_code == 403
    assert as_user(world.other_congress_clerk).get(reverse("votes:detail", args=[vote.pk])).status_code in (403, 404)


def test_rules_page_refuses_a_contradiction(world):
    office = as_user(world.office_clerk)
    r = office.post(reverse("votes:rules"), {"levels": "2", "pass_rule": "satisfied_plus_basic_over_half_members",
                                             "re_report_months": "6"})
    assert r.status_code == 400 and "两档测评没有“基本满意”" in r.content.decode()
    r = office.post(reverse("votes:rules"), {"levels": "2", "pass_rule": "satisfied_over_half_votes_cast",
                                             "re_report_months": "3"})
    assert r.status_code == 302 and services.rules_for(world.congress).snapshot() == {
        "levels": 2, "pass_rule": "satisfied_over_half_votes_cast", "re_report_months": 3}


def test_the_system_administrator_keeps_the_member_list_but_no_ballot(world, members):
    from lvzhi.core.models import Role
    from lvzhi.testing import make_user

    admin = as_user(make_user("系统员", Role.SYSTEM_ADMIN, world.congress, name="系统员"))
    page = admin.get("/admin/votes/standingmember/").content.decode()
    assert "常委会组成人员" in page and "李主任" in page
    assert admin.get("/admin/votes/ballot/").status_code == 404
