"""双联系: the 代表工委 links a member to deputies by a pasted 名单; the member logs contacts with his
own deputies only; the figures count the deputies covered (each once) and the contacts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.deputies.liaison_models import MemberContact, MemberLink
from lvzhi.reports.registry import get_group

pytestmark = pytest.mark.django_db


def test_link_contact_and_count(client, world):
    client.force_login(world.clerk)
    url = reverse("deputies:liaison")
    res = client.post(url, {"member": world.leader.pk, "names": "代表0、代表1、赵六"})
    assert res.status_code == 400 and "“赵六”不是本级代表" in res.content.decode() and not MemberLink.objects.exists()
    client.post(url, {"member": world.leader.pk, "names": "代表0、代表1"})
    client.post(url, {"member": world.committee_staff.pk, "names": "代表1、代表2"})
    client.post(url, {"member": world.leader.pk, "names": "代表0"})  # again: nothing twice
    assert MemberLink.objects.count() == 4
    lk = MemberLink.objects.get(member=world.leader, deputy=world.deputies[0])
    today = timezone.localdate()
    client.force_login(world.committee_staff)
    client.post(reverse("deputies:liaison_contact", args=[lk.pk]), {"on": today.isoformat(), "way": "visit",
                                                                     "note": "走访了解代表履职需求"})
    assert not MemberContact.objects.exists()  # not the staff's own deputy: 404
    client.force_login(world.leader)
    client.post(reverse("deputies:liaison_contact", args=[lk.pk]), {"on": today.isoformat(), "way": "talk",
                                                                     "note": "座谈听取对常委会工作的意见"})
    assert MemberContact.objects.count() == 1
    year = today.year
    counts = {f.code: f.cases([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31)).count()
              for f in get_group("member_liaison").figures}
    assert counts == {"member_linked_deputies": 3, "member_contacts": 1}
    deputy = client.__class__()
    deputy.force_login(world.deputies[1].user)
    page = deputy.get(url).content.decode()
    assert page.count("代表1代表") == 2 and "代表0代表" not in page
