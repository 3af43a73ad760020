"""The 专项工作报告 timeline (监督法第十五条): M−20 / M−10 / M−7, configurable, late shows red."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.cases.models import RuleSet
from lvzhi.supervision import activity_services as services
from lvzhi.supervision.models import Topic, TopicForm

pytestmark = pytest.mark.django_db


def report_topic(world, meeting_on: dt.date) -> Topic:
    return Topic.objects.create(
        congress=world.congress,
        year=meeting_on.year,
        title="全市养老服务体系建设情况",
        form=TopicForm.WORK_REPORT,
        lead_committee=world.committee,
        supervised_body="市人民政府",
        meeting_on=meeting_on,
    )


def dues(topic: Topic) -> dict[str, dt.date | None]:
    return {r.code: r.due_on for r in services.step_rows(topic)}


def test_the_law_counts_back_twenty_ten_and_seven_days_from_the_meeting(world):
    topic = report_topic(world, dt.date(2026, 6, 26))
    assert dues(topic) == {
        "summary": None,
        "draft": dt.date(2026, 6, 6),
        "revised": dt.date(2026, 6, 16),
        "to_members": dt.date(2026, 6, 19),
        "deliberated": dt.date(2026, 6, 26),
    }


def test_a_congress_sets_its_own_counts_and_a_bad_value_keeps_the_law(world):
    RuleSet.objects.update_or_create(
        congress=world.congress,
        defaults={"params": {"work_report_timeline": {"draft": 30, "revised": "十", "to_members": 5}}},
    )
    topic = report_topic(world, dt.date(2026, 6, 26))
    got = dues(topic)
    assert got["draft"] == dt.date(2026, 5, 27)
    assert got["revised"] == dt.date(2026, 6, 16)  # "十" is no count: the default 10 stays
    assert got["to_members"] == dt.date(2026, 6, 21)


def test_lights_red_when_past_due_yellow_when_near_green_when_done_on_time(world):
    today = timezone.localdate()
    topic = report_topic(world, today + dt.timedelta(days=12))  # draft due M−20: 8 days ago
    services.record_step(world.committee_staff, topic, {"step": "revised", "done_on": today, "note": "送审稿"})
    rows = {r.code: r for r in services.step_rows(topic)}
    assert rows["draft"].light == "red" and rows["draft"].light_label == "已逾期8天"
    assert rows["revised"].light == "green"
    assert rows["to_members"].light == "done"  # due in 5 days: not yet near
    near = {r.code: r for r in services.step_rows(topic, today=today + dt.timedelta(days=3))}
    assert near["to_members"].light == "yellow" and near["to_members"].light_label == "剩2天"


def test_a_step_done_after_its_deadline_stays_red(world):
    today = timezone.localdate()
    topic = report_topic(world, today + dt.timedelta(days=5))
    services.record_step(world.committee_staff, topic, {"step": "draft", "done_on": today, "note": ""})
    row = next(r for r in services.step_rows(topic) if r.code == "draft")
    assert row.light == "red" and row.light_label == "逾期15天完成"
