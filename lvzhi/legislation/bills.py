"""A bill (法规案) through its readings to the day it takes effect: the one place that moves a Bill.

起草中 ──schedule_reading──▶ 审议中 ──record_vote──▶ 已表决通过 ──submit_for_approval──▶ 报请批准
   │                     (一审 → 二审 → 三审)   └──▶ 未通过
   └─ withdraw ─▶ 已撤回
报请批准 ──record_approval──▶ 已批准 ──publish──▶ 已公布 ──(date of effect)──▶ 已施行

- 立法法 第三十一条: the draft goes to the members seven days before the meeting (clock
  leg_materials); 北京条例 第二十二条: the bill is laid twenty days before (leg_proposal). Later
  is allowed and flagged on the bill and the reading.
- 第三十二条: three readings normally; 第三十三条: a vote after two or one needs a recorded reason.
- The vote passes with a majority of all the members (常委会全体组成人员的过半数).
- 第八十一条: the provincial committee approves within four months (leg_approval).
- 第八十八至八十九条: publication (公报, website, newspaper) records the regulation's version through
  lvzhi.legislation.versions.record_version, with the 表决稿 as its text.

Each step checks its input and the bill's state first and changes nothing on a refusal
(InvalidInput, WrongState, NotAllowed with a Chinese message); each is an event on the congress's
chain (subject "bill") in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.models import Organization, User
from lvzhi.legislation import articles, clocks
from lvzhi.legislation.choices import Action, BillState, ReadingOrdinal, RegulationStatus
from lvzhi.legislation.models import Bill, Draft, Reading, Regulation
from lvzhi.legislation.plan_models import PlanItem
from lvzhi.legislation.plan_permissions import may_manage_bills, may_report
from lvzhi.legislation.timeline import TimelineEntry
from lvzhi.legislation.versions import record_version

SUBJECT = "bill"
NORMAL_READINGS = 3  # 立法法 第三十二条
S = BillState


def _day(d: dt.date) -> str:
    return f"{d:%Y年%-m月%-d日}"


def _event(bill: Bill, actor: User | None, name: str, label: str, before: str, now: dt.datetime | None,
           payload: dict[str, Any] | None = None) -> None:
    append_subject_event(SUBJECT, bill.pk, bill.congress_id, actor, name, label,
                         payload={"title": bill.title, **(payload or {})}, at=now or timezone.now(),
                         from_state=before, to_state=bill.state)


def _locked(bill: Bill | int) -> Bill:
    return Bill.objects.select_for_update().get(pk=bill.pk if isinstance(bill, Bill) else bill)


def _need(bill: Bill, *states: str) -> None:
    if bill.state not in states:
        raise WrongState(f"法规案当前为“{bill.get_state_display()}”，不能执行该操作")


def _clerk(actor: User, bill: Bill | None = None, congress_id: int | None = None) -> None:
    if not may_manage_bills(actor):
        raise NotAllowed("只有法制工作委员会的工作人员可以办理法规案")
    if (bill.congress_id if bill is not None else congress_id) != actor.congress_id:
        raise NotAllowed("不能办理其他人大的法规案")


def _text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


# ------------------------------------------------------------------ reads

def approver(congress_id: int) -> str:
    """Who approves (第八十一条): the provincial or autonomous-region standing committee above."""
    from lvzhi.core.models import Congress

    parent = Congress.objects.filter(children__pk=congress_id).first() if congress_id else None
    return f"{parent.short_name or parent.name}常委会" if parent is not None else "省、自治区人大常委会"


def next_step(bill: Bill, today: dt.date | None = None) -> str:
    """What the bill waits for, as the list says it."""
    today = today or timezone.localdate()
    readings = list(bill.readings.all())
    last = readings[-1] if readings else None
    match bill.state:
        case S.DRAFTING:
            return "安排一审"
        case S.IN_READING:
            assert last is not None
            if last.meeting_on > today:
                return f"{last.get_ordinal_display()}材料印发" if last.materials_sent_on is None \
                    else f"{last.get_ordinal_display()}（{last.meeting_on:%-m月%-d日}）"
            if not last.deliberation_summary:
                return f"登记{last.get_ordinal_display()}审议意见"
            if last.ordinal < NORMAL_READINGS:
                return f"安排{ReadingOrdinal(last.ordinal + 1).label}或交付表决"
            return "交付表决"
        case S.VOTED:
            return "报请批准"
        case S.SUBMITTED:
            return "登记批准"
        case S.APPROVED:
            return "公布"
        case S.PUBLISHED:
            return f"{bill.effective_on:%Y-%m-%d}施行" if bill.effective_on else "施行"
    return ""


def shown_state(bill: Bill, today: dt.date | None = None) -> str:
    """已公布 becomes 已施行 on the date of effect, whether or not the sweep has run yet."""
    today = today or timezone.localdate()
    if bill.state == S.PUBLISHED and bill.effective_on and bill.effective_on <= today:
        return S.IN_FORCE.label
    return bill.get_state_display()


def is_held(reading: Reading, today: dt.date | None = None) -> bool:
    return reading.meeting_on <= (today or timezone.localdate())


def materials_late(reading: Reading, today: dt.date | None = None) -> bool:
    """Sent after the due date, or not sent and the due date passed."""
    if reading.materials_due_on is None:
        return False
    if reading.materials_sent_on is not None:
        return reading.materials_sent_on > reading.materials_due_on
    return (today or timezone.localdate()) > reading.materials_due_on


def proposal_late(bill: Bill) -> bool:
    return bool(bill.proposed_on and bill.proposal_due_on and bill.proposed_on > bill.proposal_due_on)


def approval_overdue(bill: Bill, today: dt.date | None = None) -> bool:
    if bill.approval_due_on is None:
        return False
    if bill.approved_on is not None:
        return bill.approved_on > bill.approval_due_on
    return bill.state == S.SUBMITTED and (today or timezone.localdate()) > bill.approval_due_on


# ------------------------------------------------------------------ opening

@transaction.atomic
def open_bill(actor: User, *, title: str, action: str, proposer: str, regulation: Regulation | None = None,
              new_title: str = "", field: str = "", drafting_body: str = "",
              lead_committee: Organization | None = None, item: PlanItem | None = None,
              now: dt.datetime | None = None) -> Bill:
    """立案: a bill to enact a new regulation (created here, status 制定中) or to amend, revise or
    repeal an existing one; from a plan item or not."""
    _clerk(actor, congress_id=actor.congress_id)
    title, proposer = _text(title), _text(proposer)
    if not 4 <= len(title) <= 200:
        raise InvalidInput("请填写法规案名称（4至200字），如 北辰市物业管理条例（草案）")
    if not proposer:
        raise InvalidInput("请填写提案人，如 市人民政府")
    if action not in Action.values:
        raise InvalidInput("请选择立法行为")
    if item is not None:
        item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
        if item.plan.congress_id != actor.congress_id:
            raise NotAllowed("不能为其他人大的计划项目立案")
        if item.bill_id:
            raise WrongState(f"计划项目“{item.title}”已立案：{item.bill}")
        if item.dropped:
            raise WrongState(f"计划项目“{item.title}”已调整取消")
        regulation = regulation or item.regulation
    if action == Action.ENACT:
        if regulation is not None:
            raise InvalidInput(f"《{regulation.title}》已存在，请选择修改、修订或废止")
        name = _text(new_title) or title.split("（")[0].strip("《》")
        if Regulation.objects.filter(congress_id=actor.congress_id, title=name).exists():
            raise InvalidInput(f"已有法规《{name}》，请选择修改、修订或废止")
        kwargs = {"field": field} if field else {}
        regulation = Regulation.objects.create(congress_id=actor.congress_id, title=name,
                                               status=RegulationStatus.DRAFTING, lead_committee=lead_committee,
                                               **kwargs)
    else:
        if regulation is None or regulation.congress_id != actor.congress_id:
            raise InvalidInput("修改、修订或废止的，请选择现行法规")
        regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
        if regulation.status != RegulationStatus.IN_FORCE:
            raise InvalidInput(f"《{regulation.title}》当前为“{regulation.get_status_display()}”，不能修改或废止")
        if regulation.bills.exclude(state__in=[S.IN_FORCE, S.PUBLISHED, S.REJECTED, S.WITHDRAWN]).exists():
            raise WrongState(f"《{regulation.title}》已有正在办理的法规案")
    bill = Bill.objects.create(congress_id=actor.congress_id, regulation=regulation, action=action, title=title,
                               proposer=proposer, drafting_body=_text(drafting_body),
                               lead_committee=lead_committee, created_by=actor, created_at=now or timezone.now())
    if item is not None:
        item.bill = bill
        item.save(update_fields=["bill"])
    _event(bill, actor, "bill_opened", "法规案立案", "", now,
           {"regulation": regulation.pk, "action": action, "plan_item": item.pk if item else None})
    return bill


@transaction.atomic
def set_team(bill: Bill, actor: User, *, leader_congress: str, leader_government: str, members: str = "",
             now: dt.datetime | None = None) -> Bill:
    """起草专班: the 双组长制 (a leader of the standing committee and one of the government) and
    its members, one a line."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.DRAFTING, S.IN_READING)
    a, b = _text(leader_congress), _text(leader_government)
    if not a or not b:
        raise InvalidInput("双组长制：请填写人大和政府两方面的组长")
    if len(a) > 60 or len(b) > 60:
        raise InvalidInput("组长一栏最多60字（姓名和职务）")
    bill.team_leader_congress, bill.team_leader_government = a, b
    bill.drafting_team = "\n".join(x.strip() for x in _text(members).splitlines() if x.strip())
    bill.save(update_fields=["team_leader_congress", "team_leader_government", "drafting_team"])
    _event(bill, actor, "bill_team", "组建起草专班", bill.state, now, {"leaders": [a, b]})
    return bill


@transaction.atomic
def propose(bill: Bill, actor: User, proposed_on: dt.date, now: dt.datetime | None = None) -> Bill:
    """提请审议: the day the proposer laid the bill before the standing committee."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.DRAFTING, S.IN_READING)
    if proposed_on > timezone.localdate(now):
        raise InvalidInput("提请审议日期不能晚于今天")
    bill.proposed_on = proposed_on
    first = bill.readings.filter(ordinal=1).first()
    if first is not None and proposed_on > first.meeting_on:
        raise InvalidInput(f"提请审议日期不能晚于一审会议日期（{_day(first.meeting_on)}）")
    bill.save(update_fields=["proposed_on"])
    _event(bill, actor, "bill_proposed", "提请常委会审议", bill.state, now,
           {"proposed_on": proposed_on.isoformat(), "late": proposal_late(bill)})
    return bill


# ------------------------------------------------------------------ readings

@transaction.atomic
def schedule_reading(bill: Bill, actor: User, *, ordinal: int, meeting: str, meeting_on: dt.date,
                     now: dt.datetime | None = None) -> Reading:
    """列入常委会会议议程: the next reading, its meeting, and the day its materials are due."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.DRAFTING, S.IN_READING)
    meeting = _text(meeting)
    if not meeting:
        raise InvalidInput("请填写常委会会议，如 市十六届人大常委会第二十三次会议")
    last = bill.readings.order_by("-ordinal").first()
    expected = (last.ordinal + 1) if last else 1
    if ordinal != expected:
        if expected > NORMAL_READINGS:
            raise WrongState("法规案已经三次审议，请交付表决")
        raise InvalidInput(f"审次应为{ReadingOrdinal(expected).label}")
    if last is not None:
        if meeting_on <= last.meeting_on:
            raise InvalidInput(f"{ReadingOrdinal(ordinal).label}会议日期应晚于"
                               f"{last.get_ordinal_display()}（{_day(last.meeting_on)}）")
        if not is_held(last, timezone.localdate(now)):
            raise WrongState(f"{last.get_ordinal_display()}尚未举行，不能安排{ReadingOrdinal(ordinal).label}")
    due = clocks.before_meeting(clocks.MATERIALS, bill.congress_id, meeting_on)
    reading = Reading.objects.create(bill=bill, ordinal=ordinal, meeting=meeting[:100], meeting_on=meeting_on,
                                     materials_due_on=due, recorded_at=now or timezone.now())
    before = bill.state
    fields = ["state"]
    if ordinal == 1:
        bill.proposal_due_on = clocks.before_meeting(clocks.PROPOSAL, bill.congress_id, meeting_on)
        fields.append("proposal_due_on")
    bill.state = S.IN_READING
    bill.save(update_fields=fields)
    _event(bill, actor, "reading_scheduled", f"安排{reading.get_ordinal_display()}", before, now,
           {"reading": reading.pk, "meeting": reading.meeting, "meeting_on": meeting_on.isoformat(),
            "materials_due_on": due.isoformat()})
    return reading


def _reading(reading: Reading) -> tuple[Reading, Bill]:
    bill = _locked(reading.bill_id)
    return Reading.objects.select_for_update().get(pk=reading.pk), bill


@transaction.atomic
def record_materials_sent(reading: Reading, actor: User, sent_on: dt.date,
                          now: dt.datetime | None = None) -> Reading:
    """第三十一条: the draft and its explanation sent to the members; later than the due date is
    recorded and flagged (the meeting may still go on)."""
    reading, bill = _reading(reading)
    _clerk(actor, bill)
    _need(bill, S.IN_READING)
    if sent_on > reading.meeting_on:
        raise InvalidInput(f"印发日期不能晚于会议日期（{_day(reading.meeting_on)}）")
    if sent_on > timezone.localdate(now):
        raise InvalidInput("印发日期不能晚于今天")
    if not reading.drafts.exists():
        raise WrongState(f"{reading.get_ordinal_display()}还没有草案稿，请先添加草案")
    reading.materials_sent_on = sent_on
    reading.save(update_fields=["materials_sent_on"])
    late = materials_late(reading)
    _event(bill, actor, "materials_sent", f"{reading.get_ordinal_display()}材料印发组成人员", bill.state, now,
           {"reading": reading.pk, "sent_on": sent_on.isoformat(), "late": late})
    return reading


@transaction.atomic
def add_draft(bill: Bill, actor: User, *, label: str, text: str, explanation: str = "",
              reading: Reading | None = None, now: dt.datetime | None = None) -> Draft:
    """A version of the bill's text (一审稿, 二审稿, 征求意见稿, 表决稿); it must parse into articles."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.DRAFTING, S.IN_READING)
    label, text = _text(label), _text(text)
    if not label or len(label) > 40:
        raise InvalidInput("请填写稿本名称（最多40字），如 草案（一审稿）")
    if reading is not None and reading.bill_id != bill.pk:
        raise InvalidInput("所选审议不属于该法规案")
    if not text:
        raise InvalidInput("请填写草案全文")
    parsed = articles.parse(text)
    if not parsed.articles:
        raise InvalidInput("草案全文中没有找到“第一条”这样的条文，请按“第X条 ……”一段一条的格式填写")
    draft = Draft.objects.create(bill=bill, reading=reading, label=label, text=text,
                                 explanation=_text(explanation), previous=bill.latest_draft,
                                 created_at=now or timezone.now())
    _event(bill, actor, "draft_added", f"形成{label}", bill.state, now,
           {"draft": draft.pk, "articles": len(parsed.articles), "reading": reading.pk if reading else None})
    return draft


@transaction.atomic
def record_report(reading: Reading, actor: User, text: str, now: dt.datetime | None = None) -> Reading:
    """法制委员会审议结果报告 on the reading's draft."""
    reading, bill = _reading(reading)
    if not may_report(actor) or bill.congress_id != actor.congress_id:
        raise NotAllowed("审议结果报告由法制委员会提出")
    _need(bill, S.IN_READING)
    text = _text(text)
    if len(text) < 20:
        raise InvalidInput("审议结果报告至少20个字")
    reading.law_committee_report = text
    reading.save(update_fields=["law_committee_report"])
    _event(bill, actor, "law_committee_report", f"法制委员会提出{reading.get_ordinal_display()}审议结果报告",
           bill.state, now, {"reading": reading.pk})
    return reading


@transaction.atomic
def record_deliberation(reading: Reading, actor: User, summary: str, now: dt.datetime | None = None) -> Reading:
    """审议意见: what the members said at the meeting, once it has been held."""
    reading, bill = _reading(reading)
    _clerk(actor, bill)
    _need(bill, S.IN_READING)
    if not is_held(reading, timezone.localdate(now)):
        raise WrongState(f"{reading.get_ordinal_display()}会议（{_day(reading.meeting_on)}）尚未举行")
    summary = _text(summary)
    if len(summary) < 10:
        raise InvalidInput("审议意见摘要至少10个字")
    reading.deliberation_summary = summary
    reading.save(update_fields=["deliberation_summary"])
    _event(bill, actor, "deliberation", f"登记{reading.get_ordinal_display()}审议意见", bill.state, now,
           {"reading": reading.pk})
    return reading


# ------------------------------------------------------------------ vote to effect

@transaction.atomic
def record_vote(bill: Bill, actor: User, *, voted_on: dt.date, members_total: int, votes_for: int,
                votes_against: int, votes_abstain: int, reason: str = "", now: dt.datetime | None = None) -> Bill:
    """交付表决 after the last reading: three normally; two or one with the reason (第三十三条).
    Passes with more than half of all the members."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.IN_READING)
    readings = list(bill.readings.order_by("ordinal"))
    last = readings[-1]
    reason = _text(reason)
    if len(readings) < NORMAL_READINGS and not reason:
        raise InvalidInput(f"法规案一般经三次常委会会议审议后交付表决；本案仅{len(readings)}次审议，"
                           "请写明经两次或一次审议即交付表决的理由（立法法第三十三条）")
    if voted_on < last.meeting_on:
        raise InvalidInput(f"表决日期不能早于{last.get_ordinal_display()}会议日期（{_day(last.meeting_on)}）")
    if voted_on > timezone.localdate(now):
        raise InvalidInput("表决日期不能晚于今天")
    if not last.law_committee_report:
        raise WrongState(f"{last.get_ordinal_display()}还没有法制委员会的审议结果报告")
    counts = (members_total, votes_for, votes_against, votes_abstain)
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in counts):
        raise InvalidInput("表决票数应为不小于0的整数")
    if members_total < 1:
        raise InvalidInput("请填写常委会组成人员总数")
    if votes_for + votes_against + votes_abstain > members_total:
        raise InvalidInput(f"赞成、反对、弃权合计{votes_for + votes_against + votes_abstain}票，"
                           f"超过组成人员总数{members_total}人，请核对")
    before = bill.state
    passed = votes_for * 2 > members_total
    bill.members_total, bill.votes_for, bill.votes_against, bill.votes_abstain = counts
    bill.voted_on, bill.reading_reason = voted_on, reason if len(readings) < NORMAL_READINGS else ""
    bill.state = S.VOTED if passed else S.REJECTED
    bill.save()
    _event(bill, actor, "bill_voted", "表决通过" if passed else "表决未通过", before, now,
           {"voted_on": voted_on.isoformat(), "members_total": members_total, "for": votes_for,
            "against": votes_against, "abstain": votes_abstain, "readings": len(readings)})
    return bill


@transaction.atomic
def submit_for_approval(bill: Bill, actor: User, submitted_on: dt.date, now: dt.datetime | None = None) -> Bill:
    """报请批准: the four months of 第八十一条 start (leg_approval)."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.VOTED)
    if bill.voted_on and submitted_on < bill.voted_on:
        raise InvalidInput(f"报请批准日期不能早于表决日期（{_day(bill.voted_on)}）")
    if submitted_on > timezone.localdate(now):
        raise InvalidInput("报请批准日期不能晚于今天")
    before = bill.state
    bill.submitted_on = submitted_on
    bill.approval_due_on = clocks.approval_due(bill.congress_id, submitted_on)
    bill.state = S.SUBMITTED
    bill.save(update_fields=["submitted_on", "approval_due_on", "state"])
    _event(bill, actor, "bill_submitted", f"报请{approver(bill.congress_id)}批准", before, now,
           {"submitted_on": submitted_on.isoformat(), "approval_due_on": bill.approval_due_on.isoformat()})
    return bill


@transaction.atomic
def record_approval(bill: Bill, actor: User, *, approved_on: dt.date, decision: str,
                    now: dt.datetime | None = None) -> Bill:
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.SUBMITTED)
    decision = _text(decision)
    if not decision:
        raise InvalidInput("请填写批准决定，如 ××省人民代表大会常务委员会关于批准《……》的决定")
    if bill.submitted_on and approved_on < bill.submitted_on:
        raise InvalidInput(f"批准日期不能早于报请批准日期（{_day(bill.submitted_on)}）")
    if approved_on > timezone.localdate(now):
        raise InvalidInput("批准日期不能晚于今天")
    before = bill.state
    bill.approved_on, bill.approval_decision, bill.state = approved_on, decision[:300], S.APPROVED
    bill.save(update_fields=["approved_on", "approval_decision", "state"])
    _event(bill, actor, "bill_approved", f"{approver(bill.congress_id)}批准", before, now,
           {"approved_on": approved_on.isoformat(), "on_time": not approval_overdue(bill)})
    return bill


@transaction.atomic
def publish(bill: Bill, actor: User, *, published_on: dt.date, effective_on: dt.date, gazette_issue: str = "",
            gazette_on: dt.date | None = None, website_on: dt.date | None = None, newspaper: str = "",
            newspaper_on: dt.date | None = None, decision: str = "", now: dt.datetime | None = None) -> Bill:
    """公布 (第八十八至八十九条): the standing committee's announcement, the 公报 (its text the standard
    text), the website and the newspaper. Records the regulation's version with the last draft's
    text; the bill is 已施行 from the date of effect."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.APPROVED)
    if bill.approved_on and published_on < bill.approved_on:
        raise InvalidInput(f"公布日期不能早于批准日期（{_day(bill.approved_on)}）")
    if effective_on < published_on:
        raise InvalidInput("施行日期不能早于公布日期")
    for label, day in (("公报刊登日期", gazette_on), ("网站公布日期", website_on), ("报纸刊登日期", newspaper_on)):
        if day is not None and day < published_on:
            raise InvalidInput(f"{label}不能早于公布日期")
    if not (_text(gazette_issue) or website_on or _text(newspaper)):
        raise InvalidInput("请至少填写常委会公报期号、网站公布日期或刊登报纸中的一项（立法法第八十九条）")
    draft = bill.latest_draft
    if bill.action != Action.REPEAL and draft is None:
        raise WrongState("法规案没有草案稿，无法登记法规文本")
    assert bill.voted_on is not None
    record_version(bill.regulation, bill.action, bill.voted_on, text=draft.text if draft else "",
                   decision=_text(decision), actor=actor, now=now, approved_on=bill.approved_on,
                   approval_decision=bill.approval_decision, gazette_issue=_text(gazette_issue), gazette_on=gazette_on,
                   website_on=website_on, newspaper=_text(newspaper), newspaper_on=newspaper_on,
                   effective_on=effective_on, bill=bill)
    before = bill.state
    bill.published_on, bill.effective_on, bill.state = published_on, effective_on, S.PUBLISHED
    bill.save(update_fields=["published_on", "effective_on", "state"])
    _event(bill, actor, "bill_published", "公布", before, now,
           {"published_on": published_on.isoformat(), "effective_on": effective_on.isoformat(),
            "gazette_issue": _text(gazette_issue)})
    bring_into_force(bill, timezone.localdate(now), now=now)
    return bill


def bring_into_force(bill: Bill, today: dt.date, now: dt.datetime | None = None) -> bool:
    """已公布 → 已施行 once the date of effect has come; True if it moved."""
    with transaction.atomic():
        bill = _locked(bill)
        if bill.state != S.PUBLISHED or bill.effective_on is None or bill.effective_on > today:
            return False
        bill.state = S.IN_FORCE
        bill.save(update_fields=["state"])
        _event(bill, None, "bill_in_force", "施行", S.PUBLISHED, now, {"effective_on": bill.effective_on.isoformat()})
    return True


def sweep_in_force(today: dt.date | None = None) -> int:
    """Every bill whose date of effect has come (the demo and a daily job call it)."""
    today = today or timezone.localdate()
    due = Bill.objects.filter(state=S.PUBLISHED, effective_on__lte=today).values_list("pk", flat=True)
    return sum(bring_into_force(Bill(pk=pk), today) for pk in list(due))


@transaction.atomic
def withdraw(bill: Bill, actor: User, reason: str, now: dt.datetime | None = None) -> Bill:
    """撤回 before the vote (立法法 第四十四条 locally), with the reason."""
    bill = _locked(bill)
    _clerk(actor, bill)
    _need(bill, S.DRAFTING, S.IN_READING)
    if not _text(reason):
        raise InvalidInput("请写明撤回理由")
    before, bill.state = bill.state, S.WITHDRAWN
    bill.save(update_fields=["state"])
    _event(bill, actor, "bill_withdrawn", "撤回", before, now, {"reason": _text(reason)})
    return bill


# ------------------------------------------------------------------ the regulation's timeline

def bill_timeline(regulation: Regulation) -> list[TimelineEntry]:
    """What the regulation's bills add to its timeline: each reading, the materials sent, each draft,
    the 审议结果报告, the vote and the submission for approval. The approval, publication and effect
    are the version's own entries (record_version stores them there), so they are not repeated."""
    out: list[TimelineEntry] = []

    def add(day: dt.date | None, label: str, detail: str, url: str, kind: str, overdue: bool = False) -> None:
        if day is not None:
            out.append(TimelineEntry(day, label, detail, url, kind, overdue))

    for bill in regulation.bills.prefetch_related("readings", "drafts").order_by("created_at"):
        url = bill.get_absolute_url()
        for r in bill.readings.all():
            add(r.meeting_on, f"{r.get_ordinal_display()}", f"{bill.title}，{r.meeting}", url, "reading")
            late = materials_late(r)
            add(r.materials_sent_on, f"{r.get_ordinal_display()}材料印发",
                "印发常委会组成人员" + ("（晚于会议七日前）" if late else ""), url, "reading", late)
            if r.law_committee_report:
                add(r.meeting_on, f"{r.get_ordinal_display()}审议结果报告", "法制委员会审议结果报告", url, "reading")
        for d in bill.drafts.all():
            add(timezone.localdate(d.created_at), d.label, f"{bill.title}{d.label}（{len(d.parsed().articles)}条）",
                url, "bill")
        if bill.voted_on:
            passed = "通过" if bill.state != S.REJECTED else "未通过"
            add(bill.voted_on, f"表决{passed}", f"赞成{bill.votes_for}、反对{bill.votes_against}、"
                f"弃权{bill.votes_abstain}（组成人员{bill.members_total}人）", url, "vote")
        add(bill.submitted_on, f"报请{approver(bill.congress_id)}批准",
            f"批准期限{bill.approval_due_on:%Y年%-m月%-d日}" if bill.approval_due_on else "", url, "bill")
    out.sort(key=lambda e: e.date)
    return out
