"""The admin in Chinese: every page each admin role (and the break-glass superuser) can reach
shows no English word outside the short allowlist of lvzhi.testing_text, and the event list
shows states and transitions by their labels."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import ADDITION, LogEntry
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.core.models import Role, User
from lvzhi.testing import draft, make_user, to_state
from lvzhi.testing_text import english_words, visible_text

pytestmark = pytest.mark.django_db

_ADMIN_LINK = re.compile(r'href="(/admin/[^"?#]*)"')
# Pages that are not an app's list, form or record: leaving, the password page (one for
# everyone, outside the admin), the record's own history (Django's, same words as the log).
_RECORD = re.compile(r"^/admin/[^/]+/[^/]+/[^/]+/change/$")
_SKIP = re.compile(r"/admin/(logout|password_change|jsi18n)/|/history/$|/delete/$|/password/$")


@pytest.fixture
def populated(world):
    """Something in every list: events of a case, a lockout, login logs, a device, a log entry."""
    case = to_state(world, draft(world), "replied")
    fire_admin = make_user("管理员甲", Role.SYSTEM_ADMIN, world.congress, name="系统管理员甲")
    AccessAttempt.objects.create(username="某用户", ip_address="10.0.0.8", user_agent="浏览器",
                                 get_data="", post_data="", http_accept="", path_info="/login/",
                                 failures_since_start=5)
    AccessLog.objects.create(username="某用户", ip_address="10.0.0.8", user_agent="浏览器",
                             http_accept="", path_info="/login/", attempt_time=timezone.now())
    AccessFailureLog.objects.create(username="某用户", ip_address="10.0.0.8", user_agent="浏览器",
                                    http_accept="", path_info="/login/", attempt_time=timezone.now())
    TOTPDevice.objects.create(user=world.clerk, name="手机", confirmed=True)
    LogEntry.objects.log_actions(fire_admin.pk, [world.units[0]], ADDITION, single_object=True)
    return world, case


def _crawl(client, start: str = "/admin/") -> dict[str, str]:
    """Every admin page reachable from the index: app pages, lists (and the lists' filtered
    views), add forms and the first record of each list, with its visible text."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen or _SKIP.search(url):
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue  # a page this role may not open is refused (lvzhi/core/tests/test_admin.py)
        html = response.content.decode()
        seen[url] = visible_text(html)
        links = [urljoin(url, link) for link in _ADMIN_LINK.findall(html)]
        records = [link for link in links if _RECORD.search(link)]
        queue += [link for link in links if not _RECORD.search(link)
                  and link.rstrip("/").count("/") <= 4] + records[:1]
    return seen


def _data_words(world) -> set[str]:
    """Data shown as it is stored: usernames, the address the login logs record, and what
    django-axes stores for a header the test client does not send."""
    return {*User.objects.values_list("username", flat=True), "/login/", "<unknown>"}


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, "superuser"])
def test_every_admin_page_a_role_reaches_is_chinese(client, populated, role):
    world, _ = populated
    if role == "superuser":
        user = User.objects.create_superuser("应急管理员", password="x", display_name="应急管理员")
    else:
        user = make_user(f"{role}管理员", role, world.congress, name="管理员")
    client.force_login(user)
    pages = _crawl(client)
    assert len(pages) > 5, pages.keys()
    assert any(_RECORD.search(url) for url in pages)  # records too, not only lists
    if role in (Role.SYSTEM_ADMIN, "superuser"):
        assert "/admin/core/user/add/" in pages and "/admin/core/organization/add/" in pages
    leaks = {url: words for url, text in pages.items() if (words := english_words(text, _data_words(world)))}
    assert leaks == {}


def test_the_auditors_event_list_shows_labels_not_codes(client, populated):
    world, case = populated
    client.force_login(make_user("审计员", Role.AUDIT_ADMIN, world.congress, name="审计员"))
    text = visible_text(client.get("/admin/cases/event/").content.decode())
    for header in ("人大", "案件编号", "原状态", "新状态", "操作", "操作人"):
        assert header in text
    assert "草稿" in text and "已提交" in text  # draft → submitted, by the kind's labels
    assert english_words(text, _data_words(world)) == []
    # The event's own record too.
    event = case.events.get(name="submit")
    record = visible_text(client.get(f"/admin/cases/event/{event.pk}/change/").content.decode())
    assert "提交" in record and "草稿" in record


def test_the_admin_names_third_party_apps_in_chinese(client, populated):
    client.force_login(User.objects.create_superuser("应急", password="x", display_name="应急"))
    index = visible_text(client.get("/admin/").content.decode())
    for name in ("登录安全", "动态验证码", "后台任务"):
        assert name in index
    for english in ("AXES", "Axes", "TOTP", "Tasks", "TASKS"):
        assert english not in index
