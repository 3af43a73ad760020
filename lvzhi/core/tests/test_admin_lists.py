"""The admin's lists read on a laptop and a phone (issue 8): the platform's admin stylesheet on
every admin page (one line per cell, the table scrolling sideways), long free text shortened
in the list with the whole text on the record, and the login logs naming the browser instead
of showing the raw user agent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.staticfiles import finders
from django.utils import timezone

from lvzhi.core.admin import browser_label, shortened
from lvzhi.core.models import DayOverride, Role
from lvzhi.testing import draft, make_user
from lvzhi.testing_text import english_words, visible_text

pytestmark = pytest.mark.django_db

CHROME_LINUX = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/120.0.6099.28 Safari/537.36")
WECHAT_ANDROID = ("Mozilla/5.0 (Linux; Android 13; V2219A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
                  "Chrome/107.0.5304.141 Mobile Safari/537.36 MicroMessenger/8.0.37.2380(0x2800253D) WeChat/arm64")


@pytest.mark.parametrize(("agent", "shown"), [
    (CHROME_LINUX, "谷歌浏览器 120 / 电脑"),
    (CHROME_LINUX.replace("Chrome/", "HeadlessChrome/"), "谷歌浏览器 120（无界面，自动程序） / 电脑"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 Edg/120.0.2210.91", "微软浏览器 120 / 视窗电脑"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.1 Mobile/15E148 Safari/604.1", "苹果浏览器 17 / 苹果手机"),
    (WECHAT_ANDROID, "微信内置浏览器 8 / 安卓手机"),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "火狐浏览器 121 / 电脑"),
    ("curl/8.0", "未知"),
    ("", ""),
])
def test_the_browser_is_named_in_chinese(agent: str, shown: str) -> None:
    assert browser_label(agent) == shown
    assert english_words(shown) == []


def test_the_login_logs_show_the_browser_not_the_user_agent(client, world) -> None:
    for model in (AccessLog, AccessAttempt):
        extra = {"get_data": "", "post_data": "", "failures_since_start": 3} if model is AccessAttempt else {}
        model.objects.create(username="某用户", ip_address="10.0.0.8", user_agent=CHROME_LINUX, http_accept="",
                             path_info="/login/", attempt_time=timezone.now(), **extra)
    client.force_login(make_user("安全员", Role.SECURITY_ADMIN, world.congress, name="安全员"))
    for url in ("/admin/axes/accesslog/", "/admin/axes/accessattempt/"):
        html = client.get(url).content.decode()
        text = visible_text(html)
        assert "浏览器" in text and "谷歌浏览器 120 / 电脑" in text, url
        assert "Mozilla" not in text and "AppleWebKit" not in text, url
    # The record keeps the header as it came, for whoever must look closer.
    log = AccessLog.objects.filter(username="某用户").get()
    assert "Mozilla/5.0" in client.get(f"/admin/axes/accesslog/{log.pk}/change/").content.decode()


def test_every_admin_page_loads_the_admin_stylesheet_that_keeps_cells_on_one_line(client, world) -> None:
    client.force_login(make_user("系统员", Role.SYSTEM_ADMIN, world.congress, name="系统员"))
    for url in ("/admin/", "/admin/core/user/", "/admin/deputies/deputy/"):
        assert '/static/css/admin.css"' in client.get(url).content.decode(), url
    css = Path(finders.find("css/admin.css")).read_text(encoding="utf-8")
    assert "white-space: nowrap" in css and "overflow-x: auto" in css and "text-overflow: ellipsis" in css


def test_long_free_text_is_shortened_in_the_list_and_whole_on_the_record(client, world) -> None:
    note = "北辰市第一届冬季运动会开幕，全市放假一天，各单位做好值班安排并确保在办事项按期办结"
    day = DayOverride.objects.create(congress=world.congress, day=timezone.localdate(), is_workday=False, note=note)
    client.force_login(make_user("系统员", Role.SYSTEM_ADMIN, world.congress, name="系统员"))
    listed = client.get("/admin/core/dayoverride/").content.decode()
    assert "北辰市第一届冬季运动会开幕，全市放假一…" in listed
    assert f'title="{note}"' in listed  # the whole note as the tooltip
    assert note in client.get(f"/admin/core/dayoverride/{day.pk}/change/").content.decode()
    assert shortened("短说明") == "短说明"


def test_the_auditors_event_list_leads_with_time_and_shortens_the_details(client, world) -> None:
    case = draft(world)
    client.force_login(make_user("审计员", Role.AUDIT_ADMIN, world.congress, name="审计员"))
    html = client.get("/admin/cases/event/").content.decode()
    text = visible_text(html)
    event = case.events.get()
    assert timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M") in text
    assert "详情" in text and english_words(text, [world.clerk.username]) == []
    start = html.index("<thead>")
    thead = html[start:html.index("</thead>", start)]
    columns = re.findall(r'<div class="text">(?:<a [^>]*>|<span>)([^<]+)<', thead)
    assert columns == ["序号", "时间", "动作名称", "对象（案件编号）", "操作人", "原状态", "新状态", "详情", "人大"]
