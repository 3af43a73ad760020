"""Public comment's rules, through the services: the period's length (立法法第四十条), what a comment
must be, the rate limit and the verification, contact points, sorting, decisions and links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from lvzhi.cases.models import Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.comment_models import Channel, Comment, CommentPeriod, Outcome, PeriodState, Verification
from lvzhi.legislation.comment_testing import build_comment_world
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw():
    return build_comment_world(build_world())


def _public(cw, text="建议明确物业费调整须公示上一年度收支情况。", article="8", ip="203.0.113.7", **kw):
    return svc.submit_public(cw.period, text=text, article_key=article, ip=ip, session=SessionStore(), **kw)


# ------------------------------------------------------------------ periods

def test_a_period_shorter_than_the_rule_set_needs_a_reason(cw):
    today = timezone.localdate()
    short = dict(opens_on=today + dt.timedelta(days=60), closes_on=today + dt.timedelta(days=79),
                 channels=[Channel.PORTAL])
    with pytest.raises(InvalidInput, match="少于30日"):
        svc.open_period(cw.law.law_clerk, cw.later, **short)
    assert not CommentPeriod.objects.filter(draft=cw.later).exists()
    p = svc.open_period(cw.law.law_clerk, cw.later, short_reason="常委会会议提前举行，经主任会议同意缩短", **short)
    assert p.days == 20 and p.short_reason.startswith("常委会会议提前")
    assert Event.objects.filter(subject_type="comment_period", subject_id=p.pk, name="comment_period_opened").exists()


def test_the_length_is_the_rule_sets_not_a_number_in_code(cw):
    from lvzhi.cases import deadlines
    from lvzhi.cases.models import RuleSet

    rules = RuleSet.objects.get(congress=cw.world.congress)
    rules.params = {**(rules.params or {}), "comment_period": 15}
    rules.save()
    deadlines.forget_rules()
    today = timezone.localdate()
    p = svc.open_period(cw.law.law_clerk, cw.later, opens_on=today + dt.timedelta(days=60),
                        closes_on=today + dt.timedelta(days=79), channels=[Channel.PORTAL])
    assert p.short_reason == ""


def test_an_overlapping_or_empty_period_is_refused(cw):
    today = timezone.localdate()
    with pytest.raises(InvalidInput, match="不能重叠"):
        svc.open_period(cw.law.law_clerk, cw.draft, opens_on=today + dt.timedelta(days=10),
                        closes_on=today + dt.timedelta(days=50), channels=[Channel.PORTAL])
    with pytest.raises(InvalidInput, match="不能早于开始日期"):
        svc.open_period(cw.law.law_clerk, cw.later, opens_on=today + dt.timedelta(days=10),
                        closes_on=today + dt.timedelta(days=5), channels=[Channel.PORTAL])
    with pytest.raises(InvalidInput, match="至少选择一个"):
        svc.open_period(cw.law.law_clerk, cw.later, opens_on=today, closes_on=today + dt.timedelta(days=40),
                        channels=[])


def test_only_the_legislative_affairs_commission_opens_and_closes(cw):
    today = timezone.localdate()
    for user in (cw.world.clerk, cw.world.leader, cw.world.handlers[0], cw.law.law_staff):
        with pytest.raises(NotAllowed):
            svc.open_period(user, cw.later, opens_on=today, closes_on=today + dt.timedelta(days=40),
                            channels=[Channel.PORTAL])
    with pytest.raises(NotAllowed):
        svc.close_period(cw.world.handlers[0], cw.period)
    svc.close_period(cw.law.law_clerk, cw.period)
    cw.period.refresh_from_db()
    assert cw.period.state == PeriodState.CLOSED
    with pytest.raises(WrongState, match="不在征求意见期内"):
        _public(cw)


def test_a_period_closes_on_its_date(cw):
    assert svc.close_lapsed(cw.period.closes_on) == 0
    assert svc.close_lapsed(cw.period.closes_on + dt.timedelta(days=1)) == 1
    cw.period.refresh_from_db()
    assert cw.period.state == PeriodState.CLOSED


# ------------------------------------------------------------------ portal comments

def test_a_citizen_comment_gets_an_unguessable_receipt_and_keeps_no_address(cw):
    c = _public(cw, name="王女士", contact="13912345678")
    assert len(c.receipt) == 8 and not set(c.receipt) & set("01OIL")
    assert c.channel == Channel.PORTAL and c.article_key == "8"
    assert "203.0.113.7" not in c.ip_hash and len(c.ip_hash) == 64
    assert "13912345678" not in c.contact_encrypted and c.contact == "13912345678"
    assert c.contact_masked == "139****5678"
    assert svc.lookup_receipt(c.receipt.lower()) == c
    assert svc.lookup_receipt("ABCDEFG0") is None  # a look-alike character: never a code
    other = _public(cw, ip="203.0.113.8")
    assert other.receipt != c.receipt


def test_an_empty_comment_or_a_missing_article_is_refused_and_nothing_saved(cw):
    with pytest.raises(InvalidInput, match="请填写意见内容"):
        _public(cw, text="   ")
    with pytest.raises(InvalidInput, match="草案中没有第九十九条"):
        _public(cw, article="99")
    with pytest.raises(InvalidInput, match="最多2000字"):
        _public(cw, text="物业" * 1001)
    with pytest.raises(InvalidInput, match="联系方式"):
        _public(cw, contact="请打电话")
    assert Comment.objects.count() == 0


def test_the_rate_limit_refuses_the_next_comment_from_one_address_and_saves_nothing(cw):
    limit = svc.settings_for(cw.world.congress.pk).per_hour
    for i in range(limit):
        _public(cw, text=f"第{i + 1}条意见：电梯维修资金使用应简化程序。")
    with pytest.raises(svc.RateLimited, match=f"每小时最多提交{limit}条"):
        _public(cw, text="再提一条")
    assert Comment.objects.count() == limit
    _public(cw, ip="198.51.100.20")  # another address is not slowed
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    svc.submit_public(cw.period, text="一小时后可以再提", ip="203.0.113.7", session=SessionStore(), now=later)
    assert Comment.objects.count() == limit + 2


def test_the_arithmetic_verification_is_checked_from_the_session(cw):
    settings = svc.settings_for(cw.world.congress.pk)
    settings.verification = Verification.ARITHMETIC
    settings.save()
    today = timezone.localdate()
    p = svc.open_period(cw.law.law_clerk, cw.later, opens_on=today, closes_on=today + dt.timedelta(days=40),
                        channels=[Channel.PORTAL])
    assert p.verification == Verification.ARITHMETIC
    session = SessionStore()
    question = svc.new_challenge(session)
    a, op, b = question.split()[0], question.split()[1], question.split()[2]
    right = int(a) + int(b) if op == "加" else int(a) - int(b)
    with pytest.raises(InvalidInput, match="验证答案不正确"):
        svc.submit_public(p, text="停车位应优先出租给业主", ip="1.2.3.4", session=session, answer=str(right + 1))
    assert Comment.objects.count() == 0
    # one try per question: the right answer to a used question no longer counts
    with pytest.raises(InvalidInput, match="验证答案不正确"):
        svc.submit_public(p, text="停车位应优先出租给业主", ip="1.2.3.4", session=session, answer=str(right))
    question = svc.new_challenge(session)
    a, op, b = question.split()[0], question.split()[1], question.split()[2]
    right = int(a) + int(b) if op == "加" else int(a) - int(b)
    c = svc.submit_public(p, text="停车位应优先出租给业主", ip="1.2.3.4", session=session, answer=str(right))
    assert c.pk


def test_article_references_as_a_clerk_writes_them():
    assert svc.parse_article_ref("第十条") == "10"
    assert svc.parse_article_ref("第10条") == "10"
    assert svc.parse_article_ref("十一") == "11"
    assert svc.parse_article_ref("第十一条之一") == "11-1"
    assert svc.parse_article_ref("整体") == ""
    assert svc.parse_article_ref("") == ""
    assert svc.parse_article_ref("第X条") is None


# ------------------------------------------------------------------ own-name channels

def test_deputies_committees_and_units_comment_under_their_own_name(cw):
    deputy = cw.world.deputy_user
    c = svc.submit_own(deputy, cw.period, text="建议业主委员会任期改为三年。", article_key="5")
    assert c.channel == Channel.DEPUTY and c.author == deputy and c.name == deputy.name
    u = svc.submit_own(cw.world.handlers[0], cw.period, text="建议明确住建部门的监管职责。", article_key="3")
    assert u.channel == Channel.UNIT and u.organization == cw.world.units[0]
    k = svc.submit_own(cw.world.committee_staff, cw.period, text="第九条车位条款宜与规划衔接。", article_key="9")
    assert k.channel == Channel.COMMITTEE
    with pytest.raises(NotAllowed):
        svc.submit_own(cw.world.leader, cw.period, text="意见", article_key="")


def test_a_channel_not_opened_refuses(cw):
    today = timezone.localdate()
    p = svc.open_period(cw.law.law_clerk, cw.later, opens_on=today, closes_on=today + dt.timedelta(days=40),
                        channels=[Channel.PORTAL])
    with pytest.raises(WrongState, match="未开放“人大代表”渠道"):
        svc.submit_own(cw.world.deputy_user, p, text="建议", article_key="")


# ------------------------------------------------------------------ contact points

def test_a_contact_point_enters_its_meeting_under_its_own_name(cw):
    today = timezone.localdate()
    ops = [svc.Opinion("8", "物业费调价应先听取业主意见。", "居民 李大爷"),
           svc.Opinion("", "建议增加对老旧小区的专门规定。", "社区书记")]
    meeting, saved = svc.enter_meeting(cw.point_clerk, cw.point, cw.period, held_on=today, place="东风街道议事厅",
                                       participants=23, opinions=ops)
    assert meeting.participants == 23 and len(saved) == 2
    assert {c.contact_point for c in saved} == {cw.point} and saved[0].name == "居民 李大爷"
    other_clerk = cw.law.law_clerk
    with pytest.raises(NotAllowed, match="本联系点"):
        svc.enter_meeting(other_clerk, cw.point, cw.period, held_on=today, place="x", participants=3, opinions=ops)


def test_a_bad_opinion_in_an_entry_saves_nothing(cw):
    ops = [svc.Opinion("8", "好意见"), svc.Opinion("99", "第九十九条的意见")]
    with pytest.raises(InvalidInput, match="第2条意见：草案中没有第九十九条"):
        svc.enter_meeting(cw.point_clerk, cw.point, cw.period, held_on=timezone.localdate(), place="议事厅",
                          participants=10, opinions=ops)
    assert Comment.objects.count() == 0


# ------------------------------------------------------------------ sorting and adoption

def test_grouping_duplicates_with_the_similar_module_and_undoing_it(cw):
    a = _public(cw, text="物业费调整前应当公示上一年度物业服务费的收支情况，让业主明明白白。", ip="10.0.0.1")
    b = _public(cw, text="物业费调整前应当公示上一年度物业服务费收支情况，让业主明明白白！", ip="10.0.0.2")
    c = _public(cw, text="物业费调整前应公示上一年度物业服务费的收支情况，让业主明白。", ip="10.0.0.3")
    other = _public(cw, text="小区停车位应优先满足业主需要，不得只售不租。", article="9", ip="10.0.0.4")
    linked = svc.group_duplicates(cw.law.law_clerk, cw.period)
    assert linked == 2
    for x in (a, b, c, other):
        x.refresh_from_db()
    assert a.duplicate_of is None and b.duplicate_of == a and c.duplicate_of == a and other.duplicate_of is None
    svc.ungroup(cw.law.law_clerk, c)
    c.refresh_from_db()
    assert c.duplicate_of is None
    with pytest.raises(NotAllowed):
        svc.group_duplicates(cw.world.handlers[0], cw.period)


def test_a_decision_needs_a_reason_unless_adopted_and_covers_the_group(cw):
    a = _public(cw, text="物业费调整前应当公示上一年度物业服务费的收支情况。", ip="10.0.0.1")
    b = _public(cw, text="物业费调整前应当公示上一年度物业服务费的收支情况！", ip="10.0.0.2")
    svc.group_duplicates(cw.law.law_clerk, cw.period)
    with pytest.raises(InvalidInput, match="须写明理由"):
        svc.decide(cw.law.law_clerk, a, Outcome.NOT_ADOPTED, "")
    with pytest.raises(NotAllowed):
        svc.decide(cw.world.handlers[0], a, Outcome.ADOPTED)
    done = svc.decide(cw.law.law_clerk, a, Outcome.ADOPTED)
    assert {c.pk for c in done} == {a.pk, b.pk}
    b.refresh_from_db()
    assert b.outcome == Outcome.ADOPTED
    svc.decide(cw.law.law_clerk, a, Outcome.PARTLY, "吸收了公示要求，收支审计另行规定")
    a.refresh_from_db()
    assert a.outcome == Outcome.PARTLY and a.reason.startswith("吸收了")


def test_routing_a_comment_to_another_article(cw):
    c = _public(cw, text="维修资金的使用情况应该每半年公布。", article="")
    svc.move(cw.law.law_clerk, c, "11")
    c.refresh_from_db()
    assert c.article_key == "11" and c.submitted_key == ""
    with pytest.raises(InvalidInput):
        svc.move(cw.law.law_clerk, c, "50")


def test_linking_an_adopted_comment_to_the_next_draft(cw):
    c = _public(cw, text="维修资金的使用情况应该每半年公布，并能在网上查询。", article="11")
    with pytest.raises(WrongState, match="只有采纳或部分采纳"):
        svc.link(cw.law.law_clerk, c, cw.later, ["11"])
    svc.decide(cw.law.law_clerk, c, Outcome.ADOPTED)
    with pytest.raises(InvalidInput, match="之后形成的草案稿"):
        svc.link(cw.law.law_clerk, c, cw.draft, ["11"])
    with pytest.raises(InvalidInput, match="没有第九十九条"):
        svc.link(cw.law.law_clerk, c, cw.later, ["99"])
    svc.link(cw.law.law_clerk, c, cw.later, ["11", "11-1"])
    c.refresh_from_db()
    assert c.adopted_in == cw.later and c.adopted_labels == ["第十一条", "第十一条之一"]


# ------------------------------------------------------------------ the summary

def test_the_public_summary_counts_by_channel_and_outcome(cw):
    a = _public(cw, text="物业费调整应公示收支。", ip="10.0.0.1")
    b = _public(cw, text="停车位应当先租后售。", article="9", ip="10.0.0.2")
    d = svc.submit_own(cw.world.deputy_user, cw.period, text="电梯更新可以紧急使用维修资金。", article_key="10")
    svc.enter_meeting(cw.point_clerk, cw.point, cw.period, held_on=timezone.localdate(), place="议事厅",
                      participants=12, opinions=[svc.Opinion("9", "车位不得只售不租。")])
    svc.decide(cw.law.law_clerk, a, Outcome.ADOPTED)
    svc.decide(cw.law.law_clerk, b, Outcome.NOT_ADOPTED, "上位法已有规定")
    svc.decide(cw.law.law_clerk, d, Outcome.PARTLY, "紧急情形另行明确")
    n = svc.numbers(cw.period)
    assert n.total == 4 and (n.adopted, n.partly, n.not_adopted, n.pending) == (1, 1, 1, 1)
    assert dict(n.by_channel) == {"网上征求意见": 2, "基层立法联系点": 1, "人大代表": 1}
    text = svc.summary_text(cw.period)
    assert "共收到意见4条" in text and "网上征求意见2条" in text and "采纳1条，部分采纳1条，未采纳1条" in text
    assert "关于第九条：共2条意见" in text
    with pytest.raises(WrongState, match="截止后"):
        svc.publish_summary(cw.law.law_clerk, cw.period)
    svc.close_period(cw.law.law_clerk, cw.period)
    p = svc.publish_summary(cw.law.law_clerk, cw.period)
    assert p.state == PeriodState.PUBLISHED and p.summary == text


def test_the_timeline_names_the_periods_steps(cw):
    svc.close_period(cw.law.law_clerk, cw.period)
    svc.publish_summary(cw.law.law_clerk, cw.period)
    labels = [e.label for e in svc.comment_timeline(cw.regulation)]
    assert labels == ["公开征求意见", "征求意见截止", "通报征求意见情况"]


def test_key_rotation_re_encrypts_a_commenters_contact(cw):
    """rotate_sm4_key covers the contacts commenters leave, not only the deputies' numbers."""
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings

    from lvzhi.core.crypto import legacy_derived_key
    from lvzhi.core.crypto import sm4_encrypt as encrypt
    from lvzhi.core.tests.test_deploy_checks import SM4_KEY, STRONG_SECRET
    from lvzhi.deputies.models import Deputy

    c = svc.submit_public(cw.period, text="建议维修资金每季度公布一次。", article_key="11", ip="10.9.0.1",
                          session=SessionStore(), contact="13912345678")
    old = legacy_derived_key(STRONG_SECRET)
    Comment.objects.filter(pk=c.pk).update(contact_encrypted=encrypt("13912345678", old))
    Deputy.objects.update(phone_encrypted="", id_number_encrypted="")  # only the comment's contact to move
    out = StringIO()
    with override_settings(SECRET_KEY=STRONG_SECRET, SM4_KEY_HEX=SM4_KEY):
        call_command("rotate_sm4_key", "--old-derived", stdout=out)
        assert Comment.objects.get(pk=c.pk).contact == "13912345678"
    assert "已重新加密 1 项" in out.getvalue()
