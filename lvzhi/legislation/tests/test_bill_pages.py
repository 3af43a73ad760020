"""The bill pages as the 法工委 clerk, the 法制委 staff, the 主任会议 and a unit's handler see them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.legislation.choices import BillState
from lvzhi.legislation.models import Bill, Reading
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.test_bill_support import DRAFT, REPORT, ago, opened, read, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def law(world):
    return add_law_bodies(world)


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_clerk_opens_a_bill_schedules_and_adds_a_draft(world, law):
    c = client(law.law_clerk)
    r = c.post(reverse("legislation:bill_new"), {"title": "北辰市电动自行车管理条例（草案）", "action": "enact",
                                                 "proposer": "市人民政府", "field": "urban",
                                                 "drafting_body": "市公安局", "lead_committee": world.committee.pk})
    bill = Bill.objects.get(title="北辰市电动自行车管理条例（草案）")
    assert r.status_code == 302 and r.url == bill.get_absolute_url()
    url = bill.get_absolute_url()
    r = c.post(url, {"action": "reading", "ordinal": 1, "meeting": "市十六届人大常委会第二十五次会议",
                     "meeting_on": ago(-30).isoformat()}, follow=True)
    assert "材料应于" in r.content.decode()
    r = c.post(url, {"action": "draft", "label": "草案（一审稿）", "text": "本条例自公布之日起施行。", "reading": ""},
               follow=True)
    assert "没有找到“第一条”" in r.content.decode() and not bill.drafts.exists()
    reading = Reading.objects.get(bill=bill)
    r = c.post(url, {"action": "draft", "label": "草案（一审稿）", "text": DRAFT, "reading": reading.pk}, follow=True)
    page = r.content.decode()
    assert "已添加草案（一审稿）（7条）" in page and "第一章 总则" in page and "每户限养一只" in page
    assert "安排审议" not in page  # the 一审 has not been held yet
    r = c.post(url, {"action": "sent", "reading": reading.pk, "sent_on": ago(0).isoformat()}, follow=True)
    assert "已登记印发日期" in r.content.decode()


def test_list_flags_late_materials_and_the_approval_due(world, law):
    late = opened(law, world, title="北辰市历史建筑保护条例（草案）")
    from lvzhi.legislation import bills

    r = bills.schedule_reading(late, law.law_clerk, ordinal=1, meeting="第二十一次会议", meeting_on=ago(3))
    bills.add_draft(late, law.law_clerk, label="草案（一审稿）", text=DRAFT, reading=r)
    bills.record_materials_sent(r, law.law_clerk, ago(4))
    submitted = to_state(opened(law, world), law, BillState.SUBMITTED)
    page = client(law.law_clerk).get(reverse("legislation:bills")).content.decode()
    assert "材料印发超期" in page and "北辰市历史建筑保护条例（草案）" in page
    assert f"批准期限 <span class=\"text-nowrap\">{submitted.approval_due_on:%Y-%m-%d}" in page
    assert "登记批准" in page


def test_law_staff_reports_and_the_leader_reads(world, law):
    bill = opened(law, world)
    from lvzhi.legislation import bills

    reading = bills.schedule_reading(bill, law.law_clerk, ordinal=1, meeting="第二十一次会议", meeting_on=ago(2))
    url = bill.get_absolute_url()
    page = client(law.law_staff).get(url).content.decode()
    assert "登记审议结果报告" in page and "安排审议" not in page and "交付表决" not in page
    r = client(law.law_staff).post(url, {"action": "report", "reading": reading.pk, "text": REPORT}, follow=True)
    assert "已登记审议结果报告" in r.content.decode()
    r = client(law.law_staff).post(url, {"action": "summary", "reading": reading.pk, "summary": "组成人员同意草案"},
                                   follow=True)
    assert "只有法制工作委员会" in r.content.decode()
    leader = client(world.leader).get(url)
    assert leader.status_code == 200 and "法制委员会审议结果报告" in leader.content.decode()
    assert "登记审议结果报告" not in leader.content.decode()


def test_vote_with_impossible_counts_shows_the_message(world, law):
    bill = read(opened(law, world), law, [90, 60, 30])
    r = client(law.law_clerk).post(bill.get_absolute_url(), {
        "action": "vote", "voted_on": ago(30).isoformat(), "members_total": 45, "votes_for": 44,
        "votes_against": 3, "votes_abstain": 0, "reason": ""}, follow=True)
    assert "超过组成人员总数45人" in r.content.decode()
    bill.refresh_from_db()
    assert bill.state == BillState.IN_READING


def test_in_force_bill_page_shows_vote_approval_publication(world, law):
    bill = to_state(opened(law, world), law, BillState.PUBLISHED)
    page = client(world.leader).get(bill.get_absolute_url()).content.decode()
    assert "赞成40票" in page and "批准期限" in page and "常委会公报2026年第5号" in page and "北辰日报" in page


def test_unit_handler_and_other_congress_refused(world, law):
    bill = opened(law, world)
    assert client(world.handlers[0]).get(reverse("legislation:bills")).status_code == 403
    assert client(world.handlers[0]).get(bill.get_absolute_url()).status_code == 403
    assert client(world.deputy_user).get(bill.get_absolute_url()).status_code == 403
    assert client(world.other_congress_clerk).get(bill.get_absolute_url()).status_code in (403, 404)
    assert client(world.leader).get(reverse("legislation:bill_new")).status_code == 403
