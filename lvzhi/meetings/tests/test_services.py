"""Meetings through the services: distribution deadlines, sign-in and quorum, votes and their
pass rules, 任免, notes' privacy, and bad input refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.cases.models import Event, RuleSet
from lvzhi.meetings import render, rules, services
from lvzhi.meetings.models import (
    ItemType,
    ItemVote,
    MaterialVersion,
    MeetingState,
    Nominee,
    PageNote,
    Participant,
    PassRule,
    SignInMethod,
)
from lvzhi.meetings.tests.conftest import docx_bytes, pdf_bytes, upload
from lvzhi.votes.models import Ballot, BoxState, VoteCast

pytestmark = pytest.mark.django_db


def sign(world, meeting, users):
    for u in users:
        services.sign_in(meeting, u, world.office_clerk, SignInMethod.CLERK)


def test_pass_rules_are_integer_arithmetic_over_all_members():
    assert rules.has_quorum(5, 9) and not rules.has_quorum(4, 8) and not rules.has_quorum(0, 0)
    assert rules.passes(PassRule.OVER_HALF_MEMBERS, 5, 9, 5)
    assert not rules.passes(PassRule.OVER_HALF_MEMBERS, 4, 8, 5)  # half is not more than half
    assert rules.passes(PassRule.TWO_THIRDS_MEMBERS, 6, 9, 9) and not rules.passes(PassRule.TWO_THIRDS_MEMBERS, 5, 9, 9)
    assert rules.passes(PassRule.OVER_HALF_PRESENT, 3, 9, 5) and not rules.passes(PassRule.OVER_HALF_PRESENT, 3, 9, 6)


def test_the_deadline_comes_from_the_rule_set_and_late_distribution_shows(world, meeting, bill_item):
    # Ten days ahead of a reading (7 days): on time.
    v = services.upload_material(world.office_clerk, bill_item, upload("草案说明.docx", docx_bytes(["第一条"])))
    assert v.due_on == meeting.starts_on - dt.timedelta(days=7) and not v.late and v.page_count == 1
    # The congress asks twelve days: the same upload today is late.
    RuleSet.objects.update_or_create(congress=world.congress, defaults={"params": {"meeting_items": {
        "bill": {"days": 12, "pass_rule": "two_thirds_members"}}}})
    v2 = services.upload_material(world.office_clerk, bill_item, upload("草案.pdf", pdf_bytes(2)))
    assert v2.late and v2.page_count == 2 and v2.file_kind == "pdf"
    assert rules.item_rule(world.congress.pk, ItemType.BILL).pass_rule == PassRule.TWO_THIRDS_MEMBERS
    assert rules.item_rule(world.congress.pk, ItemType.REPORT).days == 7  # the others keep the default


def test_a_material_that_is_not_a_document_is_refused_and_nothing_is_stored(world, bill_item):
    for name, data in [("草案.pdf", b"<html><body>not a pdf</body></html>"), ("照片.png", b"\x89PNG\r\n\x1a\nxx"),
                       ("草案.docx", b"PK\x03\x04 broken")]:
        with pytest.raises(services.Refused) as err:
            services.upload_material(world.office_clerk, bill_item, upload(name, data))
        assert err.value.message.startswith("会议材料只能是Word文档（.docx）或PDF文件")
    assert not MaterialVersion.objects.exists()
    assert not Event.objects.filter(name="material_distributed").exists()


def test_a_new_version_says_which_pages_changed(world, bill_item):
    long = ["第一章 总则。" + "本条例适用于本市行政区域内的物业管理活动。" * 20 for _ in range(6)]
    v1 = services.upload_material(world.office_clerk, bill_item, upload("草案.docx", docx_bytes(long)))
    assert v1.page_count >= 2 and services.changed_pages(v1) == set()
    changed = long[:-1] + ["第六章 附则。本条例自2027年1月1日起施行。"]
    v2 = services.upload_material(world.office_clerk, bill_item, upload("草案.docx", docx_bytes(changed)),
                                  material=v1.material)
    assert v2.number == 2
    diff = services.changed_pages(v2)
    assert diff and 1 not in diff  # the first page is the same text


def test_quorum_is_checked_before_any_vote_and_only_signed_in_members_cast(world, members, in_session):
    item = services.add_item(world.office_clerk, in_session, title="关于批准决算的决议", item_type=ItemType.OTHER)
    sign(world, in_session, members[:4])  # 4 of 9: no quorum
    with pytest.raises(services.Refused, match="未达法定人数"):
        services.open_vote(world.office_clerk, item)
    assert not ItemVote.objects.exists()
    sign(world, in_session, members[4:6])  # 6 of 9
    vote = services.open_vote(world.office_clerk, item)
    assert vote.electorate_size == 9 and vote.members_total == 9 and vote.present == 6 and vote.secret
    before = (Ballot.objects.count(), VoteCast.objects.filter(voted=True).count())
    with pytest.raises(services.Refused, match="尚未签到"):
        services.cast_vote(members[7], vote, "yes")
    with pytest.raises(services.Refused, match="没有表决权"):
        services.cast_vote(world.clerk, vote, "yes")
    assert (Ballot.objects.count(), VoteCast.objects.filter(voted=True).count()) == before
    for u in members[:5]:
        assert services.cast_vote(u, vote, "yes").receipt
    services.cast_vote(members[5], vote, "no")
    with pytest.raises(services.Refused, match="已经投过票"):
        services.cast_vote(members[0], vote, "no")
    vote = services.close_vote(world.office_clerk, vote)
    assert vote.passed is True and vote.count("yes") == 5 and vote.result_text.endswith("通过")
    with pytest.raises(services.Refused):
        services.cast_vote(members[6], vote, "yes")  # closed
    assert Ballot.objects.filter(box=vote).count() == 6


def test_five_of_nine_present_voting_yes_passes_but_four_does_not(world, members, in_session):
    item = services.add_item(world.office_clerk, in_session, title="关于某事项的决定", item_type=ItemType.OTHER,
                             named_vote=True)
    sign(world, in_session, members)
    vote = services.open_vote(world.office_clerk, item)
    assert not vote.secret
    for u in members[:4]:
        services.cast_vote(u, vote, "yes")
    for u in members[4:]:
        services.cast_vote(u, vote, "abstain")
    vote = services.close_vote(world.office_clerk, vote)
    assert vote.passed is False  # 4 of 9 members is not more than half, though more yes than no
    from lvzhi.votes import ballots

    roll = dict((u.pk, m) for u, m in ballots.named_roll(vote.pk))
    assert roll[members[0].pk] == ["yes"] and roll[members[8].pk] == ["abstain"]


def test_paper_votes_are_entered_twice_and_a_mismatch_changes_nothing(world, members, in_session):
    item = services.add_item(world.office_clerk, in_session, title="关于某事项的决定", item_type=ItemType.OTHER)
    sign(world, in_session, members[:7])
    vote = services.open_vote(world.office_clerk, item, paper=True)
    with pytest.raises(services.Refused, match="纸质选票"):
        services.cast_vote(members[0], vote, "yes")
    services.enter_paper(world.office_clerk, vote, cast=7, invalid=0, counts={"yes": 6, "no": 1, "abstain": 0})
    second = world.users.get("x") or __import__("lvzhi.testing", fromlist=["make_user"]).make_user(
        "office2", "clerk", world.congress, world.general_office, "钱秘书")
    with pytest.raises(services.Refused, match="两次录入不一致"):
        services.enter_paper(second, vote, cast=7, invalid=0, counts={"yes": 5, "no": 2, "abstain": 0})
    vote.refresh_from_db()
    assert vote.state == BoxState.OPEN and vote.passed is None
    vote = services.enter_paper(second, vote, cast=7, invalid=0, counts={"yes": 6, "no": 1, "abstain": 0})
    assert vote.state == BoxState.CLOSED and vote.passed is True


def test_appointments_a_box_per_nominee_the_document_and_the_oath(world, members, in_session):
    item = services.add_item(world.office_clerk, in_session, title="审议任免案", item_type=ItemType.APPOINTMENT)
    n1 = services.add_nominee(world.office_clerk, item, name="张明", post="市教育局局长", action="appoint",
                              organ="市人民政府")
    n2 = services.add_nominee(world.office_clerk, item, name="李华", post="市教育局局长", action="remove",
                              organ="市人民政府")
    sign(world, in_session, members)
    for n in (n1, n2):
        vote = services.open_vote(world.office_clerk, item, nominee=n)
        for u in members:
            services.cast_vote(u, vote, "yes")
        services.close_vote(world.office_clerk, vote)
    with pytest.raises(services.Refused, match="已经表决"):
        services.open_vote(world.office_clerk, item, nominee=n1)
    with pytest.raises(services.Refused, match="宪法宣誓"):
        services.record_oath(world.office_clerk, Nominee.objects.get(pk=n2.pk), on=timezone.localdate(),
                             administered_by="李主任")
    n1 = services.record_oath(world.office_clerk, Nominee.objects.get(pk=n1.pk), on=timezone.localdate(),
                              administered_by="李主任")
    assert n1.oath_administered_by == "李主任"
    from lvzhi.meetings import figures

    year = timezone.localdate().year
    services.set_state(world.office_clerk, in_session, MeetingState.CLOSED)
    qs = figures.appointments([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert qs.count() == 2
    assert figures.held([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31)).count() == 1


def test_sign_in_by_qr_is_the_participants_own_and_once(world, members, in_session):
    p = services.sign_in(in_session, members[1], members[1], SignInMethod.QR)
    first = p.signed_in_at
    again = services.sign_in(in_session, members[1], members[1], SignInMethod.QR)
    assert again.signed_in_at == first
    with pytest.raises(services.Refused, match="本人账号"):
        services.sign_in(in_session, members[2], members[1], SignInMethod.QR)
    with pytest.raises(services.Refused, match="不在本次会议"):
        services.sign_in(in_session, world.deputies[11].user, world.deputies[11].user, SignInMethod.QR)
    with pytest.raises(services.Refused, match="办公厅"):
        services.sign_in(in_session, members[3], world.clerk, SignInMethod.CLERK)
    assert Participant.objects.filter(meeting=in_session, signed_in_at__isnull=False).count() == 1


def test_notes_are_private_and_only_participants_may_write(world, members, bill_item):
    v = services.upload_material(world.office_clerk, bill_item, upload("草案.pdf", pdf_bytes(2)))
    services.add_note(members[1], v.material, 2, "第二页第三条需要再斟酌")
    with pytest.raises(services.Refused, match="参会人员"):
        services.add_note(world.deputies[11].user, v.material, 1, "我也想看")
    with pytest.raises(services.Refused, match="该页不存在"):
        services.add_note(members[1], v.material, 3, "第三页")
    assert list(PageNote.objects.values_list("author_id", flat=True)) == [members[1].pk]
    assert not Event.objects.filter(payload__icontains="斟酌").exists()


def test_the_watermark_is_drawn_into_the_pixels():
    page = render.lay_out([("第一条 测试", False)])[0]
    marked = render.watermark(page.png, "涉密 代表1 2026-12-03 10:00")
    from io import BytesIO

    from PIL import Image

    plain = Image.open(BytesIO(page.png)).convert("RGB")
    img = Image.open(BytesIO(marked)).convert("RGB")
    reddish = sum(1 for r, g, b in img.getdata() if r > g + 30)
    assert reddish > 1000 and sum(1 for r, g, b in plain.getdata() if r > g + 30) == 0
