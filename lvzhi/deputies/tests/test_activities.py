"""Duty activities: an organiser records one with its deputies in bulk, each deputy confirms
or disputes his or her line, the office settles disputes and checks deputies' own reports;
what counts reaches the figures and the 履职档案."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lvzhi.core.models import Role
from lvzhi.deputies.activity_figures import FIGURES
from lvzhi.deputies.activity_models import Activity, ActivityFile, Attendance, Confirmation, Participation
from lvzhi.deputies.models import Delegation, Deputy, Gender
from lvzhi.deputies.record import get_source
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db

NEW = reverse("deputies:activity_new")


def _post(world, day=None, **over):
    day = day or timezone.localdate() - dt.timedelta(days=3)
    data = {"kind": "attend_meeting", "title": "列席市人大常委会第二十三次会议", "held_on": day.isoformat(),
            "place": "市人大常委会会议厅", "hours": "6", "present": "代表0、代表1，代表2\n代表3",
            "leave": "代表4", "leave_reason": "因公出差", "absent": "代表5", "summary": "参加分组审议"}
    data.update(over)
    return data


def figure(code, world, year=None):
    year = year or timezone.localdate().year
    f = next(f for f in FIGURES if f.code == code)
    return f.cases([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))


def test_clerk_records_a_meeting_with_its_deputies_who_then_confirm(client, world):
    client.force_login(world.clerk)
    res = client.post(NEW, _post(world))
    a = Activity.objects.get()
    assert res.status_code == 302 and res["Location"] == a.get_absolute_url()
    rows = {p.deputy.name: p for p in a.participations.select_related("deputy")}
    assert {n: p.attendance for n, p in rows.items()} == {
        "代表0": "present", "代表1": "present", "代表2": "present", "代表3": "present",
        "代表4": "leave", "代表5": "absent"}
    assert rows["代表4"].leave_reason == "因公出差"
    assert all(p.confirmation == Confirmation.PENDING for p in rows.values())
    assert figure("deputies_attending_meetings", world).count() == 4

    # The deputy finds it on the phone page and confirms it; only his own line is shown.
    deputy = world.deputies[1].user
    client.force_login(deputy)
    page = client.get(reverse("deputies:my_activities")).content.decode()
    assert "列席市人大常委会第二十三次会议" in page and "待确认（1）" in page
    detail = client.get(a.get_absolute_url()).content.decode()
    assert "代表1" in detail and "代表4" not in detail
    res = client.post(reverse("deputies:participation_confirm", args=[rows["代表1"].pk]), {"back": "mine"})
    assert res.status_code == 302 and res["Location"] == reverse("deputies:my_activities")
    rows["代表1"].refresh_from_db()
    assert rows["代表1"].confirmation == Confirmation.CONFIRMED and rows["代表1"].confirmed_at
    # nobody confirms another deputy's line
    client.post(reverse("deputies:participation_confirm", args=[rows["代表2"].pk]))
    rows["代表2"].refresh_from_db()
    assert rows["代表2"].confirmation == Confirmation.PENDING

    # The 履职档案 has a line for the present deputy, and the absence from the meeting.
    entries = list(get_source("activities").entries([world.deputies[1].pk, world.deputies[5].pk,
                                                     world.deputies[4].pk], a.held_on, a.held_on))
    assert [(e.deputy_id, e.absent) for e in entries] == [(world.deputies[1].pk, False), (world.deputies[5].pk, True)]
    assert entries[0].url == a.get_absolute_url() and entries[0].title.startswith("列席常委会会议")


@pytest.mark.parametrize(("over", "message"), [
    ({"present": "代表0、张三丰"}, "“张三丰”不是本级代表"),
    ({"leave": "代表0"}, "代表0代表同时列在“出席”和“请假”中"),
    ({"leave_reason": ""}, "有代表请假的，请填写请假事由"),
    ({"present": "", "leave": "", "absent": ""}, "出席代表"),
    ({"held_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}, "晚于今天"),
])
def test_bad_input_is_refused_in_chinese_and_saves_nothing(client, world, over, message):
    client.force_login(world.clerk)
    res = client.post(NEW, _post(world, **over))
    assert res.status_code == 400
    assert message in res.content.decode()
    assert not Activity.objects.exists() and not Participation.objects.exists()


def test_a_name_two_deputies_share_needs_the_delegation(client, world):
    west = Delegation.objects.create(congress=world.congress, name="城西区代表团")
    twin = Deputy.objects.create(congress=world.congress, term=world.term, name="代表0", gender=Gender.MALE,
                                 delegation=west)
    client.force_login(world.clerk)
    res = client.post(NEW, _post(world, present="代表0", leave="", absent=""))
    assert res.status_code == 400 and "“代表0”有重名代表，请写明代表团" in res.content.decode()
    res = client.post(NEW, _post(world, present="代表0（城西区）", leave="", absent=""))
    assert res.status_code == 302
    assert list(Activity.objects.get().participations.values_list("deputy", flat=True)) == [twin.pk]


def test_a_dispute_is_settled_by_the_office(client, world):
    client.force_login(world.clerk)
    client.post(NEW, _post(world, kind="inspection", title="视察城市排水防涝设施建设"))
    p = Participation.objects.get(deputy=world.deputies[0])
    client.force_login(world.deputies[0].user)
    client.post(reverse("deputies:participation_dispute", args=[p.pk]), {"dispute": ""})
    p.refresh_from_db()
    assert p.confirmation == Confirmation.PENDING
    client.post(reverse("deputies:participation_dispute", args=[p.pk]), {"dispute": "当天请假，未参加"})
    p.refresh_from_db()
    assert p.confirmation == Confirmation.DISPUTED and p.dispute == "当天请假，未参加"

    client.force_login(world.clerk)
    listing = client.get(reverse("deputies:activities"), {"show": "disputed"}).content.decode()
    assert "视察城市排水防涝设施建设" in listing and "有异议1" in listing
    client.post(reverse("deputies:participation_settle", args=[p.pk]), {"attendance": "leave"})
    p.refresh_from_db()
    assert p.confirmation == Confirmation.DISPUTED  # a leave needs its reason
    client.post(reverse("deputies:participation_settle", args=[p.pk]),
                {"attendance": "leave", "leave_reason": "单位年度审计"})
    p.refresh_from_db()
    assert (p.attendance, p.leave_reason, p.confirmation) == (Attendance.LEAVE, "单位年度审计", Confirmation.CONFIRMED)
    assert figure("supervision_activities", world).count() == 1
    assert not list(get_source("activities").entries([world.deputies[0].pk], p.activity.held_on,
                                                     p.activity.held_on))


def test_a_deputys_own_report_counts_once_the_office_checks_it(client, world):
    deputy = world.deputies[2].user
    client.force_login(deputy)
    res = client.post(reverse("deputies:self_report"), {
        "kind": "research", "title": "走访辖区企业了解用工情况",
        "held_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "place": "高新区科创街道", "hours": "2", "summary": "走访5家企业，收集意见3条"})
    a = Activity.objects.get()
    assert res.status_code == 302 and a.self_reported and a.checked_at is None
    assert figure("duty_activities", world).count() == 0
    assert "待代表工委核实" in client.get(reverse("deputies:my_activities")).content.decode()
    # a deputy may not check his own report, nor the committee's staff
    for user in (deputy, world.committee_staff):
        client.force_login(user)
        client.post(reverse("deputies:activity_check", args=[a.pk]))
    a.refresh_from_db()
    assert a.checked_at is None
    client.force_login(world.clerk)
    assert "代表自行填报待核实（1）" in client.get(reverse("deputies:activities")).content.decode()
    client.post(reverse("deputies:activity_check", args=[a.pk]))
    a.refresh_from_db()
    assert a.checked_at is not None
    assert list(figure("duty_activities", world)) == [a]


def test_self_report_needs_a_summary_and_no_meeting(client, world):
    client.force_login(world.deputies[0].user)
    res = client.post(reverse("deputies:self_report"), {
        "kind": "attend_meeting", "title": "列席", "held_on": timezone.localdate().isoformat(), "hours": "1"})
    assert res.status_code == 400
    body = res.content.decode()
    assert "这个字段是必填项" in body or "必填" in body
    assert not Activity.objects.exists()


def test_who_sees_what(client, world):
    client.force_login(world.clerk)
    client.post(NEW, _post(world, present="代表0", leave="", absent=""))
    a = Activity.objects.get()
    client.force_login(world.handlers[0])
    assert client.get(reverse("deputies:activities")).status_code == 403
    assert client.get(a.get_absolute_url()).status_code == 403
    client.force_login(world.deputies[7].user)  # not on it
    assert client.get(a.get_absolute_url()).status_code == 403
    client.force_login(world.leader)
    assert "列席市人大常委会第二十三次会议" in client.get(reverse("deputies:activities")).content.decode()
    assert client.get(reverse("deputies:activity_new")).status_code == 403
    client.force_login(world.other_congress_clerk)
    assert client.get(a.get_absolute_url()).status_code == 403
    # the committee's staff may record its own but not correct the 代表工委's
    client.force_login(world.committee_staff)
    assert client.get(reverse("deputies:activity_edit", args=[a.pk])).status_code == 403


def test_editing_keeps_confirmations_that_did_not_change(client, world):
    client.force_login(world.clerk)
    client.post(NEW, _post(world, present="代表0、代表1", leave="", absent=""))
    a = Activity.objects.get()
    for p in a.participations.all():
        p.confirmation = Confirmation.CONFIRMED
        p.save()
    res = client.post(reverse("deputies:activity_edit", args=[a.pk]),
                      _post(world, present="代表0、代表2", leave="代表1", leave_reason="身体原因", absent=""))
    assert res.status_code == 302
    got = {p.deputy.name: (p.attendance, p.confirmation) for p in a.participations.select_related("deputy")}
    assert got == {"代表0": ("present", "confirmed"), "代表1": ("leave", "pending"), "代表2": ("present", "pending")}


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_photos_are_checked_by_what_they_are(client, world):
    client.force_login(world.clerk)
    client.post(NEW, _post(world, present="代表0", leave="", absent=""))
    a = Activity.objects.get()
    url = reverse("deputies:activity_files", args=[a.pk])
    fake = SimpleUploadedFile("现场.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    res = client.post(url, {"files": fake}, follow=True)
    assert "现场.jpg" in res.content.decode() and "不符" in res.content.decode()
    assert not ActivityFile.objects.exists()
    res = client.post(url, {"files": [SimpleUploadedFile("现场.png", _png(), content_type="image/png")]}, follow=True)
    f = ActivityFile.objects.get()
    assert f.is_photo and "已上传1个文件" in res.content.decode()
    # the deputy on it sees the photo; one who is not gets nothing
    client.force_login(world.deputies[0].user)
    assert client.get(reverse("deputies:activity_file", args=[f.pk])).status_code == 200
    client.force_login(world.deputies[6].user)
    assert client.get(reverse("deputies:activity_file", args=[f.pk])).status_code == 404


def test_a_deputy_without_a_record_is_told_so(client, world):
    lone = make_user("lone-deputy", Role.DEPUTY, world.congress)
    client.force_login(lone)
    res = client.get(reverse("deputies:my_activities"))
    assert res.status_code == 403 and "未关联代表信息" in res.content.decode()


def test_every_write_leaves_an_event_on_the_chain(client, world):
    from lvzhi.cases.events import verify_chain
    from lvzhi.cases.models import Event

    client.force_login(world.clerk)
    client.post(NEW, _post(world, present="代表0", leave="", absent=""))
    a = Activity.objects.get()
    client.force_login(world.deputies[0].user)
    client.post(reverse("deputies:participation_confirm", args=[a.participations.get().pk]))
    names = list(Event.objects.filter(subject_type="activity", subject_id=a.pk).order_by("seq")
                 .values_list("name", flat=True))
    assert names == ["record", "confirm"]
    assert verify_chain(world.congress.pk) == (True, None)
