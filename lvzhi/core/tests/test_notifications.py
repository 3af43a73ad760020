"""消息提醒: twenty a page, read only when opened (or all at once), unread ones marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lvzhi.core.models import Notification
from lvzhi.testing import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(world):
    user = world.clerk
    case = draft(world)
    Notification.objects.filter(user=user).delete()
    items = [Notification.objects.create(user=user, text=f"答复待审核：第{i:02d}件", case=case if i % 2 else None)
             for i in range(25)]
    return user, case, items


def unread(user) -> int:
    return user.notifications.filter(read_at__isnull=True).count()


def test_pages_of_twenty_and_visiting_marks_nothing(client, inbox):
    user, _case, _items = inbox
    client.force_login(user)
    first = client.get(reverse("notifications")).content.decode()
    assert len(re.findall(r'action="/notifications/\d+/open/"', first)) == 20
    assert "第1/2页" in first and "共25条" in first and "25条未读" in first
    second = client.get(reverse("notifications"), {"page": 2}).content.decode()
    assert "第00件" in second and "第24件" not in second
    assert unread(user) == 25  # looking is not reading


def test_opening_one_marks_it_read_and_goes_to_its_case(client, inbox):
    user, case, items = inbox
    client.force_login(user)
    with_case, without = items[1], items[2]
    resp = client.post(reverse("notification_open", args=[with_case.pk]))
    assert resp.status_code == 302 and resp.url == reverse("cases:detail", args=[case.pk])
    with_case.refresh_from_db()
    assert with_case.read_at is not None and unread(user) == 24
    resp = client.post(reverse("notification_open", args=[without.pk]), {"next": "/notifications/?page=2"})
    assert resp.url == "/notifications/?page=2" and unread(user) == 23
    resp = client.post(reverse("notification_open", args=[without.pk]), {"next": "https://evil.example/"})
    assert resp.url == reverse("notifications")
    page = client.get(reverse("notifications")).content.decode()
    assert page.count(">未读</span>") == 20 and "23条未读" in page


def test_unread_items_look_different(client, inbox):
    user, _case, items = inbox
    client.force_login(user)
    client.post(reverse("notification_open", args=[items[-1].pk]))  # the newest
    page = client.get(reverse("notifications")).content.decode()
    rows = re.findall(r'<form method="post" action="/notifications/\d+/open/".*?</form>', page, re.S)
    assert len(rows) == 20
    assert "第24件" in rows[0] and "未读" not in rows[0] and "fw-semibold" not in rows[0]
    assert "第23件" in rows[1] and "未读" in rows[1] and "fw-semibold" in rows[1]
    only = client.get(reverse("notifications"), {"unread": "1"}).content.decode()
    assert "第24件" not in only and "第23件" in only


def test_mark_all_read(client, inbox, world):
    user, _case, _items = inbox
    other = Notification.objects.create(user=world.leader, text="别人的消息")
    client.force_login(user)
    assert client.get(reverse("notifications_read_all")).status_code == 405  # only by POST
    resp = client.post(reverse("notifications_read_all"), follow=True)
    assert "已将25条消息标为已读" in resp.content.decode()
    assert unread(user) == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_cannot_open_someone_elses(client, inbox, world):
    _user, _case, items = inbox
    client.force_login(world.leader)
    assert client.post(reverse("notification_open", args=[items[0].pk])).status_code == 404
    items[0].refresh_from_db()
    assert items[0].read_at is None
