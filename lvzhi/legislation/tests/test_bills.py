"""A bill through its readings to the day it takes effect: the statutory dates from the rule set,
wrong order and impossible input refused in Chinese with nothing changed, every step on the chain."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases import deadlines
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Event, RuleSet
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.workdays import WorkCalendar, add_months
from lvzhi.legislation import bills
from lvzhi.legislation.choices import Action, BillState, RegulationStatus
from lvzhi.legislation.models import Bill, Draft, Regulation
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.test_bill_support import DRAFT, REPORT, SUMMARY, ago, opened, read, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def law(world):
    return add_law_bodies(world)


def test_three_readings_to_in_force(world, law):
    bill = opened(law, world)
    reg = bill.regulation
    assert reg.title == "北辰市养犬管理条例" and reg.status == RegulationStatus.DRAFTING
    assert bill.state == BillState.DRAFTING and bills.next_step(bill) == "安排一审"
    bill = to_state(bill, law, BillState.APPROVED)
    assert [r.ordinal for r in bill.readings.all()] == [1, 2, 3]
    assert bill.state == BillState.APPROVED and not bills.approval_overdue(bill)
    bill = bills.publish(bill, law.law_clerk, published_on=ago(5), effective_on=ago(1), gazette_issue="2026年第5号",
                         gazette_on=ago(4), website_on=ago(5), newspaper="北辰日报", newspaper_on=ago(4))
    bill.refresh_from_db()
    assert bill.state == BillState.IN_FORCE  # the date of effect has passed
    reg.refresh_from_db()
    assert reg.status == RegulationStatus.IN_FORCE
    version = reg.versions.get()
    assert version.action == Action.ENACT and version.bill == bill and version.adopted_on == ago(40)
    assert version.gazette_issue == "2026年第5号" and version.effective_on == ago(1)
    assert version.approval_decision.startswith("内蒙古自治区") and "第六条" in version.text
    names = list(Event.objects.filter(subject_type="bill", subject_id=bill.pk).values_list("name", flat=True))
    assert names[0] == "bill_opened" and names[-1] == "bill_in_force"
    assert names.count("reading_scheduled") == 3 and "bill_voted" in names and "bill_published" in names
    assert verify_chain(world.congress.pk) == (True, None)


def test_published_with_a_later_date_of_effect_waits_then_the_sweep(world, law):
    bill = to_state(opened(law, world), law, BillState.PUBLISHED)
    assert bill.state == BillState.PUBLISHED and bills.shown_state(bill) == "已公布"
    later = bill.effective_on
    assert bills.shown_state(bill, later) == "已施行"
    assert bills.sweep_in_force(later - dt.timedelta(days=1)) == 0
    assert bills.sweep_in_force(later) == 1
    bill.refresh_from_db()
    assert bill.state == BillState.IN_FORCE


def test_materials_due_seven_days_before_from_the_rule_set_and_late_flagged(world, law):
    bill = opened(law, world)
    r = bills.schedule_reading(bill, law.law_clerk, ordinal=1, meeting="市十六届人大常委会第二十一次会议",
                               meeting_on=ago(10))
    assert r.materials_due_on == ago(17)
    bill.refresh_from_db()
    assert bill.proposal_due_on == ago(30)  # 北京条例 第二十二条: twenty days
    with pytest.raises(WrongState, match="还没有草案稿"):
        bills.record_materials_sent(r, law.law_clerk, ago(12))
    bills.add_draft(bill, law.law_clerk, label="草案（一审稿）", text=DRAFT, reading=r)
    r = bills.record_materials_sent(r, law.law_clerk, ago(12))
    assert bills.materials_late(r)
    assert Event.objects.filter(subject_type="bill", name="materials_sent").last().payload["late"] is True
    bills.propose(bill, law.law_clerk, ago(20))
    bill.refresh_from_db()
    assert bills.proposal_late(bill)
    # a congress's own rule set: ten days
    rules = RuleSet.objects.get_or_create(congress=world.congress)[0]
    rules.params = {**(rules.params or {}), "leg_materials": 10}
    rules.save()
    bill2 = opened(law, world, title="北辰市电动自行车管理条例（草案）")
    r2 = bills.schedule_reading(bill2, law.law_clerk, ordinal=1, meeting="第二十二次会议", meeting_on=ago(1))
    assert r2.materials_due_on == ago(11)


def test_readings_in_order_only(world, law):
    bill = opened(law, world)
    with pytest.raises(InvalidInput, match="审次应为一审"):
        bills.schedule_reading(bill, law.law_clerk, ordinal=2, meeting="第二十一次会议", meeting_on=ago(5))
    bills.schedule_reading(bill, law.law_clerk, ordinal=1, meeting="第二十一次会议", meeting_on=ago(5))
    with pytest.raises(InvalidInput, match="应晚于一审"):
        bills.schedule_reading(bill, law.law_clerk, ordinal=2, meeting="第二十二次会议", meeting_on=ago(6))
    future = opened(law, world, title="北辰市历史建筑保护条例（草案）")
    bills.schedule_reading(future, law.law_clerk, ordinal=1, meeting="第二十三次会议", meeting_on=ago(-20))
    with pytest.raises(WrongState, match="一审尚未举行"):
        bills.schedule_reading(future, law.law_clerk, ordinal=2, meeting="第二十四次会议", meeting_on=ago(-60))
    with pytest.raises(WrongState, match="尚未举行"):
        bills.record_deliberation(future.readings.get(), law.law_clerk, SUMMARY)
    with pytest.raises(WrongState):  # no vote before a reading
        bills.record_vote(opened(law, world, title="北辰市测试条例（草案）"), law.law_clerk, voted_on=ago(1),
                          members_total=45, votes_for=40, votes_against=0, votes_abstain=0)


def test_one_reading_needs_a_reason(world, law):
    bill = read(opened(law, world), law, [30])
    vote = {"voted_on": ago(30), "members_total": 45, "votes_for": 41, "votes_against": 0, "votes_abstain": 1}
    with pytest.raises(InvalidInput, match="第三十三条"):
        bills.record_vote(bill, law.law_clerk, **vote)
    bill.refresh_from_db()
    assert bill.state == BillState.IN_READING and bill.votes_for is None
    bill = bills.record_vote(bill, law.law_clerk, reason="调整事项较为单一，各方面意见一致", **vote)
    assert bill.state == BillState.VOTED and bill.reading_reason.startswith("调整事项")


def test_impossible_counts_refused_and_a_majority_of_all_members(world, law):
    bill = read(opened(law, world), law, [90, 60, 30])
    base = {"voted_on": ago(30), "members_total": 45}
    with pytest.raises(InvalidInput, match="超过组成人员总数45人"):
        bills.record_vote(bill, law.law_clerk, votes_for=40, votes_against=5, votes_abstain=3, **base)
    with pytest.raises(InvalidInput, match="不小于0"):
        bills.record_vote(bill, law.law_clerk, votes_for=-1, votes_against=0, votes_abstain=0, **base)
    with pytest.raises(InvalidInput, match="不能早于三审"):
        bills.record_vote(bill, law.law_clerk, votes_for=40, votes_against=0, votes_abstain=0,
                          voted_on=ago(31), members_total=45)
    bill.refresh_from_db()
    assert bill.state == BillState.IN_READING
    # 22 of 45 is a majority of those present, not of all members
    bill = bills.record_vote(bill, law.law_clerk, votes_for=22, votes_against=3, votes_abstain=5, **base)
    assert bill.state == BillState.REJECTED
    with pytest.raises(WrongState):
        bills.submit_for_approval(bill, law.law_clerk, ago(20))


def test_approval_due_four_months_from_the_rule_set(world, law):
    bill = to_state(opened(law, world), law, BillState.SUBMITTED)
    cal = WorkCalendar.for_congress(world.congress.pk)
    assert bill.approval_due_on == deadlines.roll_to_workday(add_months(ago(35), 4), cal)
    assert bill.approval_due_on >= ago(35) + dt.timedelta(days=119)
    with pytest.raises(WrongState):
        bills.publish(bill, law.law_clerk, published_on=ago(1), effective_on=ago(1), website_on=ago(1))
    # a congress's own rule set: three months
    rules = RuleSet.objects.get_or_create(congress=world.congress)[0]
    rules.params = {**(rules.params or {}), "leg_approval": 3}
    rules.save()
    other = to_state(opened(law, world, title="北辰市城市绿化条例（草案）"), law, BillState.SUBMITTED)
    assert other.approval_due_on == deadlines.roll_to_workday(add_months(ago(35), 3), cal)
    with pytest.raises(InvalidInput, match="不能早于报请批准日期"):
        bills.record_approval(bill, law.law_clerk, approved_on=ago(36), decision="批准决定")


def test_a_draft_without_articles_refused(world, law):
    bill = opened(law, world)
    with pytest.raises(InvalidInput, match="没有找到“第一条”"):
        bills.add_draft(bill, law.law_clerk, label="草案（一审稿）",
                        text="为了规范养犬行为，制定本条例。\n本条例自公布之日起施行。")
    assert not Draft.objects.filter(bill=bill).exists()
    d1 = bills.add_draft(bill, law.law_clerk, label="草案（一审稿）", text=DRAFT)
    d2 = bills.add_draft(bill, law.law_clerk, label="草案（二审稿）",
                         text=DRAFT.replace("每户限养一只", "每户限养两只"))
    assert d2.previous == d1 and len(d2.parsed().articles) == 7


def test_who_may(world, law):
    with pytest.raises(NotAllowed):
        bills.open_bill(world.clerk, title="北辰市养犬管理条例（草案）", action=Action.ENACT, proposer="市人民政府")
    bill = opened(law, world)
    r = bills.schedule_reading(bill, law.law_clerk, ordinal=1, meeting="第二十一次会议", meeting_on=ago(3))
    with pytest.raises(NotAllowed, match="法制委员会"):
        bills.record_report(r, law.law_clerk, REPORT)
    with pytest.raises(NotAllowed):
        bills.record_deliberation(r, law.law_staff, SUMMARY)


def test_amend_an_existing_regulation_and_one_bill_at_a_time(world, law):
    from lvzhi.legislation.versions import record_version

    reg = Regulation.objects.create(congress=world.congress, title="北辰市物业管理条例")
    record_version(reg, Action.ENACT, dt.date(2019, 6, 28), text=DRAFT)
    with pytest.raises(InvalidInput, match="已有法规"):
        opened(law, world, title="北辰市物业管理条例（草案）")
    bill = opened(law, world, title="北辰市物业管理条例（修订草案）", action=Action.REVISE, regulation=reg)
    with pytest.raises(WrongState, match="正在办理"):
        opened(law, world, title="北辰市物业管理条例（修正草案）", action=Action.AMEND, regulation=reg)
    bill = to_state(bill, law, BillState.PUBLISHED)
    assert reg.versions.count() == 2 and reg.versions.last().action == Action.REVISE
    assert Bill.objects.filter(regulation=reg).count() == 1


def test_team_and_withdraw(world, law):
    bill = opened(law, world)
    with pytest.raises(InvalidInput, match="双组长制"):
        bills.set_team(bill, law.law_clerk, leader_congress="张伟（市人大常委会副主任）", leader_government="")
    bill = bills.set_team(bill, law.law_clerk, leader_congress="张伟（市人大常委会副主任）",
                          leader_government="王强（副市长）", members="刘敏 市公安局副局长\n\n陈静 法工委副主任")
    assert bill.drafting_team == "刘敏 市公安局副局长\n陈静 法工委副主任"
    with pytest.raises(InvalidInput, match="撤回理由"):
        bills.withdraw(bill, law.law_clerk, " ")
    assert bills.withdraw(bill, law.law_clerk, "提案人申请撤回").state == BillState.WITHDRAWN



def test_the_daily_sweep_brings_a_published_bill_into_force_on_its_date(world, law):
    """`manage.py sweep_deadlines` runs the section's sweep: the bill is 已施行 from its date of effect."""
    import io

    from django.core.management import call_command

    from lvzhi.legislation.tests.test_bill_support import ago, opened, to_state

    bill = to_state(opened(law, world), law, BillState.APPROVED)
    from lvzhi.legislation.apps import sweep

    bills.publish(bill, law.law_clerk, published_on=ago(1), effective_on=ago(-2), gazette_issue="2026年第5号",
                  gazette_on=ago(1))
    out = io.StringIO()
    call_command("sweep_deadlines", stdout=out)  # today: not yet
    bill.refresh_from_db()
    assert bill.state == BillState.PUBLISHED and "立法工作：法规施行 0 件" in out.getvalue()
    assert sweep(ago(-2)).startswith("法规施行 1 件")  # the day it comes into force
    bill.refresh_from_db()
    assert bill.state == BillState.IN_FORCE
