"""并案 in Chromium: the clerk types words of another case's title, picks it from the suggestions
(suggestions/merge_target.js), and merges; the page carries no list of every case."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi.cases.models import Case
from lvzhi.suggestions.states import SuggestionState
from lvzhi.suggestions.tests.test_browser_loop import Actor
from lvzhi.testing import build_world, draft, to_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/listb")
NOISE = ("城区部分路段夜间施工和商铺外放音响噪声扰民问题突出，居民多次投诉未果。建议生态环境局"
         "会同城管部门建立夜间施工审批公示制度，加强噪声执法，设置噪声监测显示屏。")


@pytest.mark.parametrize("mobile", [False, True], ids=["desktop", "phone"])
def test_clerk_finds_the_target_by_title_words_and_merges(live_server, browser, mobile):
    world = build_world()
    source = to_state(world, draft(world, cosigners=0, title="关于整治夜间施工噪声的建议", body=NOISE),
                      "submitted")
    target = to_state(world, draft(world, deputy_index=3, cosigners=0, title="关于治理城区噪声扰民的建议",
                                   body=NOISE), "registered")
    others = [to_state(world, draft(world, deputy_index=5, cosigners=0, title=f"关于第{i}项社区服务的建议"),
                       "registered") for i in range(3)]
    clerk = Actor(browser, live_server.url, world.clerk.username, mobile=mobile)
    page = clerk.page
    # the page as the server sends it (the assist panel adds similar cases later, by htmx)
    html = page.request.get(f"{live_server.url}/cases/{source.pk}/").text()
    clerk.open_case(source)
    assert "<option" not in html.split('name="target"')[1].split("</div>")[0]
    assert not any(c.title in html for c in [target, *others])  # no case is listed up front
    page.click("[data-bs-target='#act-merge']")
    box = page.locator("#act-merge [name=target]")
    box.wait_for(state="visible")
    box.type("噪声 扰民", delay=30)
    option = page.locator("#act-merge [role=option]", has_text=target.title)
    option.wait_for(state="visible")
    assert page.locator("#act-merge [role=option]").count() == 1  # only what it may be merged into
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"merge-suggest-{'phone' if mobile else 'desktop'}.png"), full_page=False)
    option.click()
    assert box.input_value() == target.number
    page.locator("#act-merge [name=reason]").fill("内容相同，并案办理")
    with page.expect_navigation():
        page.locator("#act-merge button[type=submit]").click()
    page.wait_for_load_state()
    source = Case.objects.get(pk=source.pk)
    assert source.state == SuggestionState.MERGED and source.merged_into_id == target.pk
    assert clerk.errors == []
