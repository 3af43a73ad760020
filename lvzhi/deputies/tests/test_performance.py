"""The 履职档案: computed from every source, each line linking to its record; the rules flag
deputies below the minimum; the 履职报告 is a real Word file; the public page shows counts only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from lvzhi.cases.engine import fire
from lvzhi.cases.models import RuleSet
from lvzhi.deputies import performance
from lvzhi.deputies.activity_models import Activity, ActivityKind, Attendance, Participation
from lvzhi.requests import citizen_services as svc
from lvzhi.testing import draft

pytestmark = pytest.mark.django_db


def _activity(world, deputies, kind=ActivityKind.ATTEND_MEETING, attendance=Attendance.PRESENT, days=10):
    a = Activity.objects.create(congress=world.congress, kind=kind, title="列席市人大常委会第二十四次会议",
                                held_on=timezone.localdate() - dt.timedelta(days=days), place="会议厅",
                                hours=4, recorded_by=world.clerk)
    for d in deputies:
        Participation.objects.create(activity=a, deputy=d, attendance=attendance)
    return a


def test_the_record_gathers_every_source_and_the_rules_flag_the_idle(world):
    year = timezone.localdate().year
    d0, d1, d2 = world.deputies[:3]
    _activity(world, [d0, d1])
    _activity(world, [d2], attendance=Attendance.ABSENT, days=20)
    _activity(world, [d2], attendance=Attendance.ABSENT, days=30)
    suggestion = draft(world, 0, cosigners=0)
    fire(suggestion, "submit", d0.user)
    req = svc.submit(svc.Target(deputy=d0), {"text": "小区门口的公交站没有候车亭，雨天老人孩子等车淋雨，希望增设。",
                                               "contact": "13800002222"}, ip="9.9.9.9")
    fire(req, "answer", d0.user, {"text": "已向交通运输局反映，候车亭列入明年改造计划。"})

    rows = {r.deputy.pk: r for r in performance.records(world.deputies[:4], year)}
    r0 = rows[d0.pk]
    by = {s.source.code: s for s in r0.sections}
    assert by["activities"].done == 1 and by["suggestions_led"].done == 1 and by["citizen_requests"].done == 1
    assert by["suggestions_led"].entries[0].url == reverse("cases:detail", args=[suggestion.pk])
    assert r0.counted() == 3 and r0.flags == []
    assert rows[d1.pk].flags == ["全年履职记录1项，少于2项"]
    assert rows[d2.pk].flags == ["全年无履职记录", "无故缺席会议2次"]
    assert rows[world.deputies[3].pk].flags == ["全年无履职记录"]

    # The congress sets its own minimum.
    rules = RuleSet.objects.get(congress=world.congress)
    rules.params = {**(rules.params or {}), "performance_min_entries": 1}
    rules.save()
    assert performance.record(d1, year).flags == []


def test_pages_report_and_public_page(client, world):
    d0 = world.deputies[0]
    _activity(world, [d0])
    client.force_login(d0.user)
    page = client.get(reverse("deputies:my_record")).content.decode()
    assert "列席市人大常委会第二十四次会议" in page and "全年履职记录1项，少于2项" in page
    assert client.get(reverse("deputies:record", args=[world.deputies[1].pk])).status_code == 403
    res = client.get(reverse("deputies:record_report", args=[d0.pk]))
    doc = Document(io.BytesIO(res.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "代表0代表" in text and "履职情况报告" in text and "全年共有履职记录1项" in text
    assert any("列席市人大常委会第二十四次会议" in c.text for t in doc.tables for row in t.rows for c in row.cells)

    client.force_login(world.clerk)  # the 代表工委
    page = client.get(reverse("deputies:records"), {"flagged": "1"}).content.decode()
    assert "代表0" in page and 'id="flagged-count">12<' in page

    client.logout()
    public = client.get(reverse("deputies:public", args=[d0.pk])).content.decode()
    assert "参加履职活动" in public and "代表码上见" not in public and "1380000" not in public


def test_the_record_api(client, world):
    d0 = world.deputies[0]
    _activity(world, [d0])
    url = reverse("api:deputy-record", args=[d0.pk])
    client.force_login(d0.user)
    body = client.get(url).json()
    by = {s["code"]: s for s in body["sections"]}
    assert body["total"] == 1 and body["flags"] == ["全年履职记录1项，少于2项"]
    assert by["activities"]["entries"][0]["title"].endswith("列席市人大常委会第二十四次会议")
    res = client.get(url, {"year": "1990"})
    assert res.status_code == 400 and res.json()["errors"]["year"] == ["年度不能早于2000年"]
    client.force_login(world.deputies[1].user)
    assert client.get(url).status_code == 403


def test_a_supervision_topic_the_deputy_joined_is_on_the_record(world):
    from lvzhi.supervision.models import Topic

    today = timezone.localdate()
    t = Topic.objects.create(congress=world.congress, year=today.year, title="《北辰市物业管理条例》执法检查",
                             form="law_inspection", lead_committee=world.committee, meeting_on=today)
    t.deputies.add(world.deputies[4])
    r = performance.record(world.deputies[4], today.year)
    by = {s.source.code: s for s in r.sections}
    assert [e.title for e in by["supervision_topics"].entries] == ["参加执法检查：《北辰市物业管理条例》执法检查"]
    assert by["supervision_topics"].entries[0].url == t.get_absolute_url()
    assert performance.record(world.deputies[5], today.year).counted() == 0
