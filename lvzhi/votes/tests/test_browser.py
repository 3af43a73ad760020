"""Several members vote on their phones in Chromium, the office closes the vote, and the result
shows at once. Screenshots go to test-artifacts/browser/votes/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from lvzhi.testing import build_world
from lvzhi.votes import services
from lvzhi.votes.tests.conftest import add_members, new_vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser" / "votes"


def page_as(browser, live_server, user, width: int, height: int):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_members_vote_on_their_phones_and_the_result_shows(live_server, browser):
    world = build_world()
    members = add_members(world)  # 13
    vote = services.open_vote(new_vote(world), world.office_clerk)
    choices = ["满意"] * 7 + ["基本满意"]
    for i, (member, label) in enumerate(zip(members, choices, strict=False)):
        page = page_as(browser, live_server, member.user, 390, 844)
        page.goto(f"{live_server.url}/votes/")
        page.get_by_role("link", name="去投票").click()
        page.get_by_role("button", name=label, exact=True).click()
        assert page.inner_text("#chosen") == label
        if i == 0:
            shot(page, "ballot-confirm-phone")
        page.get_by_role("button", name="确认投票").click()
        page.wait_for_selector("#voted")
        if i == 0:
            shot(page, "ballot-voted-phone")
        assert "已投票" in page.inner_text("#voted") and page.errors == []
        page.context.close()

    office = page_as(browser, live_server, world.office_clerk, 1366, 900)
    office.goto(f"{live_server.url}/votes/{vote.pk}/")
    assert "8 / 13" in office.inner_text("#progress")
    office.get_by_role("button", name="结束投票并计票").click()
    office.wait_for_selector("#results")
    shot(office, "results-desktop")
    assert office.inner_text("#verdict") == "通过"  # 7 of 13 satisfied
    assert "投票 8人" in office.inner_text("#results") and office.errors == []

    phone = page_as(browser, live_server, members[0].user, 390, 844)
    phone.goto(f"{live_server.url}/votes/{vote.pk}/")
    shot(phone, "results-phone")
    assert phone.inner_text("#verdict") == "通过"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"页面宽 {width}px，手机上需要横向滚动"
