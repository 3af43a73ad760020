"""Shared by the bill and plan tests: a short real-looking draft, and a bill driven through the
real services up to a state."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lvzhi.legislation import bills
from lvzhi.legislation.choices import Action, BillState
from lvzhi.legislation.models import Bill
from lvzhi.legislation.testing import LawBodies

DRAFT = """北辰市养犬管理条例（草案）
第一章 总则
第一条 为了规范养犬行为，保障公民人身安全和健康，维护市容环境和社会公共秩序，根据有关法律、法规，制定本条例。
第二条 本市行政区域内养犬以及相关管理活动，适用本条例。
第三条 养犬管理坚持政府主导、部门协同、养犬人守法、社会监督的原则。
第二章 养犬登记
第四条 本市实行养犬登记制度。养犬人应当自取得犬只之日起三十日内办理养犬登记。
第五条 个人饲养犬只的，每户限养一只。
第三章 法律责任
第六条 违反本条例第五条规定的，由公安机关责令限期改正；逾期不改正的，处五百元以上一千元以下罚款。
第七条 本条例自2027年1月1日起施行。"""

REPORT = ("法制委员会召开全体会议，根据常委会组成人员的审议意见，对草案进行了统一审议，"
          "提出了修改意见，建议本次常委会会议审议通过。")
SUMMARY = "组成人员认为草案总体可行，建议进一步明确限养区域和犬只登记办理时限。"


def ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def opened(law: LawBodies, world, **kw) -> Bill:
    data = {"title": "北辰市养犬管理条例（草案）", "action": Action.ENACT, "proposer": "市人民政府",
            "drafting_body": "市公安局", "lead_committee": world.committee}
    data.update(kw)
    return bills.open_bill(law.law_clerk, **data)


def read(bill: Bill, law: LawBodies, days_ago: list[int]) -> Bill:
    """Schedule and hold a reading for each date, with a draft, materials on time, the report and
    the deliberation."""
    for i, d in enumerate(days_ago, start=1):
        r = bills.schedule_reading(bill, law.law_clerk, ordinal=i, meeting=f"市十六届人大常委会第{20 + i}次会议",
                                   meeting_on=ago(d))
        bills.add_draft(bill, law.law_clerk, label=f"草案（{'一二三'[i - 1]}审稿）", text=DRAFT, reading=r)
        bills.record_materials_sent(r, law.law_clerk, ago(d + 8))
        bills.record_report(r, law.law_staff, REPORT)
        bills.record_deliberation(r, law.law_clerk, SUMMARY)
    bill.refresh_from_db()
    return bill


def to_state(bill: Bill, law: LawBodies, state: str) -> Bill:
    """From 起草中 through three readings up to `state`."""
    order = [BillState.IN_READING, BillState.VOTED, BillState.SUBMITTED, BillState.APPROVED, BillState.PUBLISHED]
    steps = order[: order.index(state) + 1]
    read(bill, law, [120, 80, 40])
    if BillState.VOTED in steps:
        bills.record_vote(bill, law.law_clerk, voted_on=ago(40), members_total=45, votes_for=40, votes_against=1,
                          votes_abstain=2)
    if BillState.SUBMITTED in steps:
        bills.submit_for_approval(bill, law.law_clerk, ago(35))
    if BillState.APPROVED in steps:
        bills.record_approval(bill, law.law_clerk, approved_on=ago(10),
                              decision="内蒙古自治区人民代表大会常务委员会关于批准《北辰市养犬管理条例》的决定")
    if BillState.PUBLISHED in steps:
        bills.publish(bill, law.law_clerk, published_on=ago(5), effective_on=ago(5) + dt.timedelta(days=60),
                      gazette_issue="2026年第5号", gazette_on=ago(4), website_on=ago(5), newspaper="北辰日报",
                      newspaper_on=ago(4))
    bill.refresh_from_db()
    return bill
