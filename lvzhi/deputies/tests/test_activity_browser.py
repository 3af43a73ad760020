"""Duty activities in real Chromium: the 代表工委 records a meeting with a pasted 名单 on the
desktop (a wrong name is refused in Chinese first), the deputy confirms his line on the phone
and disputes another; the office sees the 异议. Screenshots to tmp_path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.deputies import activity_services as services
from lvzhi.deputies.activity_models import Activity, ActivityKind, Confirmation, Participation
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def login(browser, base: str, username: str, viewport: dict):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return page, errors


def submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    page.wait_for_load_state()


def test_record_confirm_and_dispute(live_server, browser, tmp_path):
    world = build_world()
    today = timezone.localdate()
    services.record(world.clerk, {"kind": ActivityKind.TRAINING, "title": "代表建议撰写专题培训",
                                  "held_on": today - dt.timedelta(days=9), "place": "市委党校报告厅"},
                    services.Roll(present=world.deputies[:6]))

    page, errors = login(browser, live_server.url, world.clerk.username, DESKTOP)
    page.goto(f"{live_server.url}/deputies/activities/new/")
    page.select_option("[name=kind]", "attend_meeting")
    page.fill("[name=title]", "列席市十六届人大常委会第二十三次会议")
    page.fill("[name=held_on]", (today - dt.timedelta(days=2)).isoformat())
    page.fill("[name=place]", "市人大常委会会议厅")
    page.fill("[name=present]", "代表0、代表1、代表2、王五")
    page.fill("[name=leave]", "代表3")
    page.fill("[name=leave_reason]", "因公出差")
    submit(page)
    assert "“王五”不是本级代表" in page.content()
    assert not Activity.objects.filter(kind="attend_meeting").exists()
    page.fill("[name=present]", "代表0、代表1、代表2")
    submit(page)
    assert "已登记“列席市十六届人大常委会第二十三次会议”，出席代表3名" in page.content()
    assert page.locator("#participants li").count() == 4
    page.screenshot(path=str(tmp_path / "activity-desktop.png"), full_page=True)

    phone, phone_errors = login(browser, live_server.url, world.deputies[1].user.username, PHONE)
    phone.goto(f"{live_server.url}/deputies/activities/mine/")
    assert phone.locator("#pending .list-group-item").count() == 2
    phone.screenshot(path=str(tmp_path / "mine-phone.png"), full_page=True)
    meeting = phone.locator("#pending .list-group-item", has_text="第二十三次会议")
    with phone.expect_navigation():
        meeting.locator("button:has-text('确认无误')").click()
    assert "已确认：列席市十六届人大常委会第二十三次会议" in phone.content()
    training = phone.locator("#pending .list-group-item", has_text="专题培训")
    training.locator("summary:has-text('有异议')").click()
    training.locator("textarea[name=dispute]").fill("当天在外地出差，没有参加培训")
    with phone.expect_navigation():
        training.locator("button:has-text('提交异议')").click()
    assert "已提交异议" in phone.content()
    assert "待确认（0）" in phone.content() and "没有待确认的记录" in phone.locator("#pending").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(tmp_path / "mine-phone-after.png"), full_page=True)
    got = {p.activity.kind: p.confirmation for p in Participation.objects.filter(deputy=world.deputies[1])
           .select_related("activity")}
    assert got == {"attend_meeting": Confirmation.CONFIRMED, "training": Confirmation.DISPUTED}

    page.goto(f"{live_server.url}/deputies/activities/?show=disputed")
    assert page.locator("#activities .list-group-item").count() == 1
    assert "有异议1" in page.locator("#activities").inner_text()
    # the refused 名单 answered 400, as it should; nothing else went wrong in either browser
    assert [e for e in errors if "status of 400" not in e] == [] and phone_errors == []
