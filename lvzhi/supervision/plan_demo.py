"""The demo city's supervision plan for the current year: candidates from all six channels of
监督法 第十二条, scored and decided by the 主任会议, about 25 topics in all five forms (several
taken on from the autonomous region, several joint with the districts), the plan approved and
published (第六十三条), and two mid-year adjustments.

`build(congress)` writes the rows directly (a year that has already happened: meeting dates in
the past, which the pages refuse for new input); it expects the demo's committees, LEADER and
COMMITTEE_STAFF accounts and deputies to exist. Returns the Plan.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from lvzhi.core.models import Congress, Organization, OrganizationKind, Role, User
from lvzhi.deputies.models import Deputy
from lvzhi.supervision.models import (
    AdjustmentKind,
    Channel,
    Decision,
    JointKind,
    Plan,
    PlanAdjustment,
    PlanState,
    Topic,
    TopicCandidate,
    TopicForm,
    TopicStage,
)

F = TopicForm
C = Channel
GOV = "市人民政府"
# (title, form, lead committee (short name), supervised body, month, channel, joint: "" / "above" / "below")
TOPICS: list[tuple[str, str, str, str, int, str, str]] = [
    ("市人民政府关于住宅小区物业管理工作情况的报告", F.WORK_REPORT, "城建环资委", GOV, 4, C.PETITIONS, "below"),
    ("《北辰市物业管理条例》实施情况执法检查", F.LAW_INSPECTION, "城建环资委", GOV, 4, C.PETITIONS, "below"),
    ("住宅小区物业管理工作专题询问", F.INQUIRY, "城建环资委", "市住房和城乡建设局等", 4, C.MEMBERS, ""),
    ("市人民政府关于老旧小区改造工作情况的报告", F.WORK_REPORT, "城建环资委", GOV, 6, C.SUGGESTIONS, "below"),
    ("市人民政府关于大气污染防治工作情况的报告", F.WORK_REPORT, "城建环资委", GOV, 8, C.PUBLIC, "above"),
    ("《中华人民共和国大气污染防治法》实施情况执法检查", F.LAW_INSPECTION, "城建环资委", GOV, 8, C.INSPECTION, "above"),
    ("市人民政府关于义务教育“双减”工作情况的报告", F.WORK_REPORT, "教科文卫委", GOV, 5, C.SUGGESTIONS, "below"),
    ("市人民政府关于养老服务体系建设情况的报告", F.WORK_REPORT, "社会建设委", GOV, 9, C.SUGGESTIONS, "below"),
    ("市人民政府关于食品安全工作情况的报告", F.WORK_REPORT, "教科文卫委", GOV, 10, C.PUBLIC, "above"),
    ("市人民政府关于优化营商环境工作情况的报告", F.WORK_REPORT, "财经委", GOV, 6, C.MEMBERS, ""),
    ("市人民政府关于城市内涝治理工作情况的报告", F.WORK_REPORT, "城建环资委", GOV, 7, C.RESEARCH, "below"),
    ("市人民政府关于上一年度市级预算执行和其他财政收支的审计工作报告", F.WORK_REPORT, "财经委", "市审计局", 6,
     C.INSPECTION, ""),
    ("市人民政府关于审计查出问题整改情况的报告", F.WORK_REPORT, "财经委", GOV, 12, C.INSPECTION, ""),
    ("市人民政府关于上一年度决算的报告", F.WORK_REPORT, "财经委", "市财政局", 6, C.RESEARCH, ""),
    ("市人民政府关于上半年国民经济和社会发展计划执行情况的报告", F.WORK_REPORT, "财经委", GOV, 8, C.RESEARCH, ""),
    ("市人民政府关于国有资产管理情况的综合报告", F.WORK_REPORT, "财经委", GOV, 10, C.RESEARCH, "above"),
    ("市人民政府关于政府债务管理情况的报告", F.WORK_REPORT, "财经委", GOV, 11, C.MEMBERS, ""),
    ("市中级人民法院关于民事审判工作情况的报告", F.WORK_REPORT, "监察司法委", "市中级人民法院", 9, C.PETITIONS, ""),
    ("市人民检察院关于公益诉讼检察工作情况的报告", F.WORK_REPORT, "监察司法委", "市人民检察院", 11, C.RESEARCH, ""),
    ("市人民政府关于农村人居环境整治工作情况的报告", F.WORK_REPORT, "农业农村委", GOV, 9, C.SUGGESTIONS, "below"),
    ("市人民政府住房和城乡建设局等部门工作评议", F.APPRAISAL, "社会建设委", "市住房和城乡建设局", 11, C.MEMBERS, ""),
    ("常委会任命的法官、检察官履职评议（两官履职评议）", F.APPRAISAL, "监察司法委", "市中级人民法院、市人民检察院", 12,
     C.MEMBERS, ""),
    ("基层医疗卫生服务能力建设专题调研", F.RESEARCH, "教科文卫委", "市卫生健康委员会", 5, C.SUGGESTIONS, "below"),
    ("铸牢中华民族共同体意识工作专题调研", F.RESEARCH, "民宗侨外委", "市民族宗教事务委员会", 7, C.RESEARCH, "above"),
    ("城市公共停车设施建设专题调研", F.RESEARCH, "城建环资委", "市交通运输局", 10, C.PUBLIC, ""),
    ("高标准农田建设情况视察", F.VISIT, "农业农村委", "市农业农村局", 6, C.RESEARCH, "below"),
    ("重点项目建设情况视察", F.VISIT, "财经委", "市发展和改革委员会", 9, C.MEMBERS, ""),
]
REJECTED = [
    ("校外培训机构预付费监管", C.PUBLIC, "已纳入“双减”工作报告一并审议"),
    ("电动自行车充电设施建设", C.PETITIONS, "由相关委员会开展日常监督，本年度不单独列题"),
    ("城区噪声污染防治", C.SUGGESTIONS, "结合大气污染防治执法检查一并了解"),
]
PENDING = [("既有住宅加装电梯工作推进情况", C.SUGGESTIONS), ("农村饮水安全保障情况", C.PETITIONS)]

SCHEDULES = {
    F.WORK_REPORT: ["制定工作方案", "开展调研，汇总代表和群众意见（第十四条）", "报告初稿送委员会征求意见（第十五条）",
                    "常委会会议听取审议", "审议意见交办，跟踪问效"],
    F.LAW_INSPECTION: ["制定检查方案，组成检查组", "座谈会、实地检查、问卷调查", "形成执法检查报告（第三十六条）",
                       "常委会会议审议检查报告", "跟踪检查"],
    F.INQUIRY: ["确定询问重点", "组成人员准备问题", "常委会会议专题询问（第四十七条）", "询问意见交办"],
    F.APPRAISAL: ["制定评议方案和标准", "调查了解、征求意见", "常委会会议评议测评", "评议意见整改"],
    F.RESEARCH: ["制定调研方案", "实地调研、座谈", "形成调研报告"],
    F.VISIT: ["确定视察点位", "组织代表视察", "形成视察报告"],
}
REASONS = {
    C.INSPECTION: "上一年度执法检查和审计发现的突出问题需跟踪监督。",
    C.SUGGESTIONS: "代表建议集中反映，人代会期间多名代表联名提出。",
    C.MEMBERS: "常委会组成人员在审议中比较集中提出。",
    C.RESEARCH: "专门委员会调研中发现，需常委会听取审议。",
    C.PETITIONS: "人民来信来访集中反映，信访件数量逐年上升。",
    C.PUBLIC: "社会普遍关注，12345热线工单和媒体报道较多。",
}


def _at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


@transaction.atomic
def build(congress: Congress, year: int | None = None, seed: int = 9) -> Plan:
    rng = random.Random(seed)
    year = year or timezone.localdate().year
    committees = {o.short_name or o.name: o
                  for o in Organization.objects.filter(congress=congress, kind=OrganizationKind.COMMITTEE)}
    fallback = next(iter(committees.values()))
    leaders = list(User.objects.filter(congress=congress, role=Role.LEADER).order_by("id"))
    staff = list(User.objects.filter(congress=congress, role=Role.COMMITTEE_STAFF).order_by("id"))
    deputies = list(Deputy.objects.filter(congress=congress).order_by("id")[:200])
    leader = leaders[0] if leaders else staff[0]
    above = [congress.parent] if congress.parent_id else []
    below = list(congress.children.order_by("id"))
    plan = Plan.objects.create(congress=congress, year=year, state=PlanState.PUBLISHED,
                               approved_at=_at(year, 1, 20), approved_by=leader,
                               approval_note="原则同意，由办公厅会同各委员会组织实施", published_at=_at(year, 2, 5))
    for i, (title, form, lead, body, month, channel, joint) in enumerate(TOPICS):
        committee = committees.get(lead, fallback)
        meeting = dt.date(year, month, 20 + i % 8) if form != F.RESEARCH else None
        steps = SCHEDULES[form]
        schedule = "\n".join(f"{year}-{max(1, month - len(steps) + 2 + k):02d} {s}" for k, s in enumerate(steps))
        topic = Topic.objects.create(
            congress=congress, year=year, title=title, form=form, lead_committee=committee, supervised_body=body,
            meeting_on=meeting, plan=plan, stage=TopicStage.PUBLISHED, schedule=schedule,
            summary=f"由{committee.name}牵头，{REASONS[channel]}", created_at=_at(year, 1, 20),
            joint_kind={"above": JointKind.FROM_ABOVE, "below": JointKind.WITH_BELOW}.get(joint, ""))
        if joint == "above" and above:
            topic.joint_with.set(above)
        elif joint == "below" and below:
            topic.joint_with.set(rng.sample(below, k=min(len(below), rng.randint(2, 4))))
        topic.members.set(rng.sample(leaders + staff, k=min(len(leaders + staff), 4)))
        if deputies:
            topic.deputies.set(rng.sample(deputies, k=min(len(deputies), rng.randint(3, 8))))
        proposer = next((u for u in staff if u.organization_id == committee.pk), None)
        scores = [rng.randint(70, 98) for _ in range(3)]
        TopicCandidate.objects.create(
            congress=congress, year=year, title=title.replace("市人民政府关于", "").replace("的报告", ""),
            channel=channel, proposer=proposer, proposer_name=committee.name, reason=REASONS[channel],
            source_ref="热点话题：物业服务、收费、维修资金" if "物业" in title and channel == C.SUGGESTIONS else "",
            form=form, importance=scores[0], urgency=scores[1], feasibility=scores[2], score=round(sum(scores) / 3),
            scored_by=proposer, scored_at=_at(year - 1, 12, 10), decision=Decision.ACCEPTED, topic=topic,
            decision_note="列入年度监督工作计划", decided_by=leader, decided_at=_at(year, 1, 20),
            created_at=_at(year - 1, 11, 15 + i % 10))
    for title, channel, note in REJECTED:
        s = [rng.randint(45, 70) for _ in range(3)]
        TopicCandidate.objects.create(
            congress=congress, year=year, title=title, channel=channel, proposer_name="市人大常委会办公室",
            reason=REASONS[channel], importance=s[0], urgency=s[1], feasibility=s[2], score=round(sum(s) / 3),
            decision=Decision.REJECTED, decision_note=note, decided_by=leader, decided_at=_at(year, 1, 20),
            created_at=_at(year - 1, 11, 20))
    for title, channel in PENDING:
        TopicCandidate.objects.create(congress=congress, year=year + 1, title=title, channel=channel,
                                      proposer_name="代表工作委员会", reason=REASONS[channel],
                                      source_ref=f"建议类别：{'城乡建设' if '电梯' in title else '农业农村'}")
    # Two adjustments by the 主任会议 (第六十三条): one rescheduled, one added mid-year.
    moved = Topic.objects.get(plan=plan, title__contains="城市内涝治理")
    old, new = moved.meeting_on, moved.meeting_on.replace(month=9)
    moved.meeting_on = new
    moved.save(update_fields=["meeting_on"])
    PlanAdjustment.objects.create(plan=plan, topic=moved, kind=AdjustmentKind.RESCHEDULED,
                                  reason="汛期过后全面评估排水防涝设施运行情况，报告更为客观", old_meeting_on=old,
                                  new_meeting_on=new, decided_at=_at(year, 5, 12), by=leader)
    added = Topic.objects.create(
        congress=congress, year=year, title="市人民政府关于安全生产工作情况的报告", form=F.WORK_REPORT,
        lead_committee=committees.get("社会建设委", fallback), supervised_body="市人民政府",
        meeting_on=dt.date(year, 10, 24), plan=plan, stage=TopicStage.PUBLISHED,
        schedule=f"{year}-08 调研\n{year}-10 常委会会议听取审议", created_at=_at(year, 7, 8))
    TopicCandidate.objects.create(
        congress=congress, year=year, title="安全生产工作", channel=C.PUBLIC, proposer_name="社会建设委员会",
        reason="上半年本市发生多起较大生产安全事故，社会普遍关注。", decision=Decision.ACCEPTED, topic=added,
        decision_note="增加议题", decided_by=leader, decided_at=_at(year, 7, 8), created_at=_at(year, 7, 1))
    PlanAdjustment.objects.create(plan=plan, topic=added, kind=AdjustmentKind.ADDED,
                                  reason="上半年发生多起较大生产安全事故，主任会议决定增加议题",
                                  new_meeting_on=added.meeting_on, decided_at=_at(year, 7, 8), by=leader)
    return plan
