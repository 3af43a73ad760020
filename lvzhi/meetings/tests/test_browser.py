"""A 常委会会议 from agenda to minutes in Chromium: the 办公厅 sets it up and distributes a
material, a member reads it on a tablet and notes a page, the quorum refuses a vote until the
members sign in at the door, then a named vote, a secret vote and an appointment, each result
shown at once, and the minutes. Screenshots go to docs/screenshots/meetings-*.png."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from lvzhi.meetings import services
from lvzhi.meetings.models import Meeting, Nominee
from lvzhi.meetings.tests.conftest import docx_bytes
from lvzhi.testing import build_world
from lvzhi.testing_browser import click_and_wait, page_as, screenshot
from lvzhi.votes.models import StandingMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    screenshot(page, f"meetings-{name}")


click = click_and_wait


def vote_on_phones(browser, live_server, members, vote_url: str, choices: list[str], name: str = "") -> None:
    for i, (user, label) in enumerate(zip(members, choices, strict=False)):
        phone = page_as(browser, live_server, user, 390, 844)
        phone.goto(vote_url)
        click(phone, "button", name=label, exact=True)
        assert "已表决" in phone.inner_text("#voted") and phone.errors == []
        if i == 0 and name:
            shot(phone, name)
        phone.context.close()


def test_a_standing_committee_meeting_from_agenda_to_minutes(live_server, browser, tmp_path):
    world = build_world()
    members = [world.leader] + [d.user for d in world.deputies[:8]]  # nine 组成人员
    for i, u in enumerate(members):
        StandingMember.objects.create(congress=world.congress, user=u, sort_order=i)
    today = timezone.localdate()
    office = page_as(browser, live_server, world.office_clerk, 1280, 900)

    # 筹备: the meeting, its agenda, a material distributed.
    office.goto(f"{live_server.url}/meetings/new/")
    office.fill("#id_number", "第二十三次会议")
    office.fill("#id_starts_on", today.isoformat())
    office.fill("#id_ends_on", today.isoformat())
    office.fill("#id_place", "常委会会议室")
    click(office, "button", name="保存")
    meeting = Meeting.objects.get()
    for title, kind, named in [("审议《北辰市物业管理条例（草案）》", "bill", False),
                               ("关于召开市第十六届人民代表大会第六次会议的决定（草案）", "other", True),
                               ("审议人事任免案", "appointment", False)]:
        office.locator("#item-form").evaluate("f => f.closest('details').open = true")
        office.fill("#item-form #id_title", title)
        office.select_option("#item-form #id_item_type", kind)
        office.fill("#item-form #id_rapporteur", "市司法局局长 王强" if kind == "bill" else "办公厅主任")
        if named:
            office.check("#item-form #id_named_vote")
        click(office, "button", name="列入议程")
    bill, decision, appointment = meeting.items.order_by("position")
    office.goto(f"{live_server.url}/meetings/items/{bill.pk}/")
    draft = tmp_path / "物业管理条例草案.docx"
    draft.write_bytes(docx_bytes(["第一章 总则"] + ["第一条 为了规范物业管理活动，维护业主和物业服务人的合法权益，"
                                                    "根据有关法律、行政法规，结合本市实际，制定本条例。" * 4] * 8))
    office.fill("#material-form #id_title", "北辰市物业管理条例（草案）")
    office.set_input_files("#material-form #id_file", str(draft))
    click(office, "button", name="上传并分发")
    assert "已上传并分发材料" in office.content()
    assert "逾期分发" in office.inner_text("#materials")  # today, for a reading due seven days before
    shot(office, "item-clerk")

    # A member reads on a tablet and notes a page.
    tablet = page_as(browser, live_server, members[1], 820, 1180)
    tablet.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    with tablet.expect_navigation():
        tablet.locator("#agenda a[href*='/materials/']").first.click()
    assert tablet.evaluate("document.getElementById('page-image').naturalWidth") > 500
    click(tablet, "link", name="下一页")
    tablet.fill("textarea[name=text]", "第二页：物业服务收费标准应当公示")
    click(tablet, "button", name="保存批注")
    assert "物业服务收费标准应当公示" in tablet.inner_text("#notes")
    shot(tablet, "reading-tablet")
    assert tablet.errors == []

    # The meeting opens; no vote before a quorum.
    office.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    click(office, "button", name="宣布开会")
    office.goto(f"{live_server.url}/meetings/items/{decision.pk}/")
    click(office, "button", name="开始电子表决")
    assert "未达法定人数：组成人员9人，已签到0人" in office.content()

    # Sign-in at the door (the QR code's page) on phones; one by the clerk.
    url = f"{live_server.url}/meetings/{meeting.pk}/sign-in/{services.sign_token(meeting)}/"
    for i, user in enumerate(members[:5]):
        phone = page_as(browser, live_server, user, 390, 844)
        phone.goto(url)
        click(phone, "button", name="签到")
        assert "已签到" in phone.inner_text("#signed-in")
        if i == 0:
            shot(phone, "sign-in-phone")
        phone.context.close()
    office.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    office.locator("tr", has_text=members[5].display_name).get_by_role("button", name="代为签到").click()
    office.wait_for_load_state()
    office.locator("tr", has_text=members[8].display_name).locator("input[name=reason]").fill("因病")
    with office.expect_navigation():
        office.locator("tr", has_text=members[8].display_name).get_by_role("button", name="请假").click()
    assert "6 / 9" in office.inner_text("#quorum") and "符合法定人数" in office.inner_text("#quorum")
    shot(office, "meeting-clerk")

    # A named vote: 5 of 9 in favour is 过半数 of all members.
    office.goto(f"{live_server.url}/meetings/items/{decision.pk}/")
    click(office, "button", name="开始电子表决")
    vote_url = office.url
    assert "/meetings/votes/" in vote_url
    late = page_as(browser, live_server, members[7], 390, 844)  # a member who did not sign in
    late.goto(vote_url)
    assert "您尚未签到" in late.inner_text("#not-signed-in")
    late.context.close()
    vote_on_phones(browser, live_server, members[:6], vote_url, ["赞成"] * 5 + ["反对"], "ballot-phone")
    office.goto(vote_url)
    click(office, "button", name="结束表决并计票")
    assert office.inner_text("#verdict") == "通过"
    assert "赞成" in office.inner_text("#named-roll") and members[5].display_name in office.inner_text("#named-roll")
    shot(office, "named-vote-result")

    # A secret vote on the bill: 4 in favour of 9 does not pass.
    office.goto(f"{live_server.url}/meetings/items/{bill.pk}/")
    click(office, "button", name="开始电子表决")
    vote_url = office.url
    vote_on_phones(browser, live_server, members[:6], vote_url, ["赞成"] * 4 + ["弃权", "反对"])
    office.goto(vote_url)
    click(office, "button", name="结束表决并计票")
    assert office.inner_text("#verdict") == "未通过"
    assert office.locator("#named-roll").count() == 0
    shot(office, "secret-vote-result")

    # An appointment: the nominee, a vote of their own, the 任命书 and the oath.
    office.goto(f"{live_server.url}/meetings/items/{appointment.pk}/")
    office.locator("#nominee-form").evaluate("f => f.closest('details').open = true")
    office.fill("#nominee-form #id_name", "张明")
    office.fill("#nominee-form #id_post", "市教育局局长")
    click(office, "button", name="登记")
    click(office, "button", name="表决")
    vote_url = office.url
    vote_on_phones(browser, live_server, members[:6], vote_url, ["赞成"] * 6)
    office.goto(vote_url)
    click(office, "button", name="结束表决并计票")
    assert office.inner_text("#verdict") == "通过"
    office.goto(f"{live_server.url}/meetings/items/{appointment.pk}/")
    office.fill("input[name=administered_by]", "李主任")
    click(office, "button", name="记录宣誓")
    assert "监誓人李主任" in office.inner_text("#nominees")
    shot(office, "appointment")
    with office.expect_download() as dl:
        office.get_by_role("link", name="任命书").click()
    text = "\n".join(p.text for p in Document(dl.value.path()).paragraphs)
    assert "任命张明为市教育局局长。" in text and Nominee.objects.get().oath_on == today

    # 闭会 and the minutes.
    office.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    click(office, "button", name="宣布闭会")
    with office.expect_download() as dl:
        office.get_by_role("link", name="会议纪要").click()
    minutes = "\n".join(p.text for p in Document(io.BytesIO(Path(dl.value.path()).read_bytes())).paragraphs)
    assert "应到组成人员9人，实到6人，请假1人" in minutes
    assert "赞成5票，反对1票，弃权0票，通过" in minutes and "赞成4票" in minutes and "未通过" in minutes
    shot(office, "meeting-closed")
    assert office.errors == []
