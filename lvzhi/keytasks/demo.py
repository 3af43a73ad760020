"""The 北辰市 demo year of key tasks (CaseKind.demo): about forty items of the standing
committee's 年度工作要点, in every state, driven through the engine with past `now`s.

The list is drafted in January, approved by the 主任会议 (two items returned first), handed
to committees and working bodies in February, dispatched monthly (the lead offices report,
some late, a few not at all at the latest dispatch), proposed for 销号 and closed — on time
or late — through the year; a few items added mid-year are still drafting or waiting.
Every step is a transition (engine.open_case / engine.fire) or services.start_dispatch; the
steps of all tasks run in time order so each task's timeline reads as a year.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lvzhi.cases import deadlines
from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Case
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.models import Role, User
from lvzhi.keytasks import clocks
from lvzhi.keytasks.permissions import KIND
from lvzhi.keytasks.services import start_dispatch
from lvzhi.keytasks.states import HANDLING

# (title, category, lead, co offices, variant). {y} is the demo year.
TASKS: list[tuple[str, str, str, tuple[str, ...], str]] = [
    ("制定《北辰市物业管理条例》", "立法", "法制委员会", ("城乡建设环境与资源保护委员会",), "green"),
    ("制定《北辰市养犬管理条例》", "立法", "法制委员会", ("社会建设委员会",), "closed_late"),
    ("修订《北辰市城市市容和环境卫生管理条例》", "立法", "城乡建设环境与资源保护委员会", ("法制委员会",), "green"),
    ("制定《北辰市生活垃圾分类管理条例》", "立法", "城乡建设环境与资源保护委员会", (), "red_report"),
    ("制定《北辰市历史文化名城保护条例》", "立法", "教育科学文化卫生委员会", ("法制委员会",), "returned"),
    ("制定《北辰市民族团结进步促进条例》", "立法", "民族宗教侨务外事委员会", (), "closed_on_time"),
    ("修订《北辰市优化营商环境条例》", "立法", "财政经济委员会", ("法制委员会",), "green"),
    ("开展涉及生态环境保护的地方性法规专项清理", "立法", "法制委员会", (), "closed_on_time"),
    ("做好规范性文件备案审查工作，向常委会报告年度备案审查情况", "立法", "法制委员会", (), "green"),
    ("听取审议市政府关于生态环境保护工作情况的报告", "监督", "城乡建设环境与资源保护委员会", (), "closed_on_time"),
    ("听取审议市政府关于{p}年度国有资产管理情况的综合报告", "监督", "财政经济委员会", (), "closed_on_time"),
    ("听取审议市政府关于{p}年度市级预算执行和其他财政收支的审计工作报告", "监督", "财政经济委员会", (),
     "closed_on_time"),
    ("审查批准{p}年市级财政决算", "监督", "财政经济委员会", (), "closed_on_time"),
    ("开展《中华人民共和国食品安全法》执法检查", "监督", "教育科学文化卫生委员会", (), "closed_late"),
    ("开展《中华人民共和国大气污染防治法》执法检查", "监督", "城乡建设环境与资源保护委员会", (), "replied"),
    ("听取审议市政府关于老旧小区改造工作情况的报告", "监督", "城乡建设环境与资源保护委员会", (), "overdue"),
    ("听取审议市中级人民法院关于行政审判工作情况的报告", "监督", "监察和司法委员会", (), "closed_on_time"),
    ("听取审议市人民检察院关于公益诉讼检察工作情况的报告", "监督", "监察和司法委员会", (), "replied"),
    ("就全市义务教育优质均衡发展开展专题询问", "监督", "教育科学文化卫生委员会", (), "red_report"),
    ("开展养老服务体系建设情况专题调研", "监督", "社会建设委员会", (), "green"),
    ("听取审议市政府关于城市供热保障工作情况的报告", "监督", "城乡建设环境与资源保护委员会", (), "yellow"),
    ("推进预算联网监督系统建设，实现与财政、审计数据互联互通", "监督", "财政经济委员会", ("办公厅",), "overdue"),
    ("听取审议市政府关于乡村振兴战略实施情况的报告", "监督", "农业农村委员会", (), "closed_on_time"),
    ("开展黑土地保护和高标准农田建设情况专题调研", "监督", "农业农村委员会", (), "red_report"),
    ("听取审议市政府关于国民经济和社会发展计划执行情况的报告", "监督", "财政经济委员会", (), "green"),
    ("对市政府冬季清雪除冰工作开展跟踪监督", "监督", "城乡建设环境与资源保护委员会", (), "green"),
    ("听取审议市政府关于就业促进工作情况的报告", "监督", "社会建设委员会", (), "registered"),
    ("代表建议办理“回头看”，逐件跟踪上年度答复“正在解决”的建议", "代表工作", "代表工作委员会",
     ("代表工作委员会办公室",), "green"),
    ("组织“代表·局长面对面”活动，全年不少于6场", "代表工作", "代表工作委员会", (), "closed_late"),
    ("推进代表联络站标准化建设，年内实现街道全覆盖", "代表工作", "代表工作委员会", (), "red_report"),
    ("举办市人大代表履职学习班，新任代表培训全覆盖", "代表工作", "代表工作委员会", ("研究室",), "closed_on_time"),
    ("组织不少于30名市人大代表向原选区选民述职", "代表工作", "代表工作委员会", (), "yellow"),
    ("主任会议成员领衔督办10件重点建议", "代表工作", "代表工作委员会办公室", (), "replied"),
    ("邀请代表列席常委会会议，全年不少于60人次", "代表工作", "办公厅", (), "green"),
    ("深入开展常委会机关作风建设年活动", "自身建设", "办公厅", (), "returned"),
    ("建成数字化履职平台并上线运行", "自身建设", "办公厅", ("研究室",), "green"),
    ("开展常委会组成人员履职培训", "自身建设", "办公厅", (), "pending"),
    ("修订《北辰市人民代表大会常务委员会议事规则》", "自身建设", "法制委员会", ("办公厅",), "drafting"),
    ("办好《北辰人大》刊物和门户网站、微信公众号", "自身建设", "研究室", (), "green"),
    ("开展人大理论与实践课题研究，形成调研报告不少于5篇", "自身建设", "研究室", (), "red_report"),
    ("开展人大信访积案化解专项行动", "自身建设", "办公厅", (), "drafting_returned"),
    ("编制常委会{n}年度工作要点和立法、监督工作计划", "自身建设", "研究室", ("办公厅",), "drafting"),
    ("做好全国和省人大代表在北辰履职的服务保障", "自身建设", "办公厅", (), "registered"),
    ("开展“十五五”时期地方人大工作课题调研", "自身建设", "研究室", (), "pending"),
    ("组织常委会组成人员赴外地学习考察", "自身建设", "办公厅", (), "cancelled"),
]
# Which leader is responsible, by category: the 主任 for supervision and the office's own work.
LEADER_OF = {"立法": "leader2", "监督": "leader", "代表工作": "leader3", "自身建设": "leader"}
BODY = {
    "立法": "按照常委会年度立法计划，{t}。牵头部门提前介入、全程参与，开展立法调研和论证，"
            "广泛征求代表和社会公众意见，按计划提请常委会会议审议。",
    "监督": "按照常委会年度监督工作计划，{t}。牵头部门制定工作方案，组织代表开展调研视察，"
            "形成调研报告，提请常委会会议审议，并跟踪审议意见落实情况。",
    "代表工作": "按照常委会年度代表工作计划，{t}。牵头部门制定实施方案，明确时间节点，"
               "加强与代表的联系，定期通报进展，年底形成工作总结。",
    "自身建设": "按照常委会年度工作要点，{t}。牵头部门细化责任分工和时间节点，"
               "建立工作台账，按月调度推进，年底总结验收。",
}
MILESTONES = {
    "立法": ["完成立法调研", "形成草案并征求意见", "提请常委会会议审议"],
    "监督": ["制定工作方案", "完成调研视察", "提请常委会会议审议"],
    "代表工作": ["制定实施方案", "完成阶段任务", "形成工作总结"],
    "自身建设": ["制定实施方案", "完成阶段任务", "总结验收"],
}
PROGRESS = {
    "立法": ["已完成立法调研，赴{a}个县区召开座谈会{b}场，形成条例草案初稿。",
             "条例草案已书面征求市直部门、县区和市人大代表意见，共收到意见{c}条，正在逐条研究吸收。",
             "已召开立法论证会，邀请专家学者和基层立法联系点代表参加，形成草案修改稿。",
             "草案已提请常委会会议审议，正在根据审议意见修改完善。",
             "已完成草案修改，拟提请主任会议决定提交常委会会议表决。"],
    "监督": ["已制定工作方案，成立由常委会领导带队的调研组，明确调研重点。",
             "调研组已赴{a}个县区、{b}家单位实地调研，召开座谈会听取代表和群众意见。",
             "已形成调研报告初稿，正在征求相关部门意见，拟提请主任会议研究。",
             "报告已提请常委会会议审议，审议意见已交市政府研究处理。",
             "正在跟踪审议意见落实情况，市政府已报送研究处理情况的报告。"],
    "代表工作": ["已制定实施方案并印发各代表团，明确责任分工。",
               "已组织{b}场活动，参加代表{c}人次，收集意见建议{a}条。",
               "阶段任务已完成，正在汇总梳理代表意见，形成问题清单。",
               "已形成工作总结初稿，拟报主任会议审阅。"],
    "自身建设": ["已制定实施方案，明确责任分工和时间节点，建立工作台账。",
               "各项工作按计划推进，已完成阶段任务{b}项。",
               "已组织专题学习和培训{b}次，参加人员{c}人次。",
               "年度目标已基本完成，正在总结验收。"],
}
EVIDENCE = {
    "立法": "已按计划完成：{t}。常委会会议审议（表决）情况、审议结果报告和常委会公告已归档，"
            "附常委会第{k}次会议纪要。",
    "监督": "常委会第{k}次会议已听取审议相关报告，审议意见已交办；调研报告、审议意见书和"
            "办理情况报告已归档。",
    "代表工作": "年度目标已完成，活动通知、签到表、照片和工作总结已归档，代表满意度测评{s}%。",
    "自身建设": "年度目标已完成，实施方案、工作台账和总结报告已归档，经办公厅核验。",
}
CO_OPINION = "同意牵头部门的工作方案，我部门负责提供相关资料并派员参加调研。"
NEXT_STEPS = ["按工作方案推进下一阶段任务，按时报送进展。", "加强与相关部门沟通协调，及时解决推进中的问题。",
              "组织代表参与，听取意见建议。", "对照时间节点查漏补缺，确保按期完成。",
              "梳理问题清单，逐项研究解决措施。", "做好迎接主任会议督查的准备。"]
RETURN_REASONS = ["佐证材料不够完整，请补充审议意见落实情况的跟踪报告后再提请销号。",
                  "部分工作节点完成质量不高，请牵头部门对照目标补齐短板后再提请销号。"]
# Sent back by the 主任会议 at the January meeting and approved at the next one.
RETURNED_AT_APPROVAL = ("制定《北辰市养犬", "深入开展常委会机关作风")


@dataclass
class Item:
    title: str
    category: str
    lead: Any
    co: list[Any]
    variant: str
    leader: User
    due: dt.date
    case: Case | None = None
    last: dt.datetime | None = None


class Year:
    def __init__(self, builder) -> None:
        self.b = builder
        self.rng = builder.rng
        self.today = builder.today
        self.y = self.today.year if self.today.month >= 7 else self.today.year - 1
        self.office: User = builder.users["office"]
        self.staff = self._staff()
        self.steps: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = []
        self.n = 0
        self.dispatches: list[tuple[dt.date, dt.date]] = []
        self.stats = {"tasks": 0, "dispatches": 0, "reports": 0}

    def _staff(self) -> dict[int, User]:
        """One account per committee or working body to act as its lead office."""
        found: dict[int, User] = {}
        preferred = {"office", "research", "committee", "clerk"}
        for u in sorted(self.b.users.values(), key=lambda u: (u.username not in preferred, u.pk)):
            if u.role in (Role.CLERK, Role.COMMITTEE_STAFF) and u.organization_id:
                found.setdefault(u.organization_id, u)
        return found

    # ------------------------------------------------------------------ time

    def at(self, day: dt.date, item: Item | None = None, hour: float | None = None) -> dt.datetime:
        t = self.b.at(item.last if item else None, min(day, self.b.latest), hour=hour)
        if item is not None:
            item.last = t
        return t

    def step(self, when: dt.datetime, fn: Callable[[dt.datetime], None]) -> None:
        self.n += 1
        heapq.heappush(self.steps, (when, self.n, fn))

    def run(self) -> None:
        while self.steps:
            when, _n, fn = heapq.heappop(self.steps)
            fn(when)

    # ------------------------------------------------------------------ engine

    def fire(self, item: Item, name: str, actor: User, data: dict | None = None, now: dt.datetime | None = None):
        from lvzhi.demo.builder import DemoError

        try:
            item.case = fire(item.case, name, actor, data or {}, now=now).case
        except TransitionError as exc:
            raise DemoError(f"重点任务《{item.title}》{name} 失败：{exc.message} {exc.errors}") from exc

    # ------------------------------------------------------------------ the year

    def build(self) -> None:
        y, today = self.y, self.today
        b = self.b
        draft_day = b.wd_after(dt.date(y, 1, 4), 1)
        submit_day = b.wd_after(draft_day, 3)
        meeting = b.wd_after(submit_day, 4)  # 主任会议 approves the list
        second_meeting = b.wd_after(meeting, 8)
        assign_day = b.wd_after(second_meeting, 3)
        last_start = b.wd_before(today, 9)
        last_due = b.wd_before(today, 3)
        month = 3
        while True:
            start = b.workday_back(dt.date(y if month <= 12 else y + 1, (month - 1) % 12 + 1, 25))
            if start >= last_start - dt.timedelta(days=12):
                break
            self.dispatches.append((start, b.wd_after(start, 5)))
            month += 1
        self.dispatches.append((last_start, last_due))
        self.assign_day = assign_day

        items = self._items()
        for it in items:
            self._script(it, draft_day, submit_day, meeting, second_meeting, assign_day)
        for i, (start, due) in enumerate(self.dispatches):
            last = i == len(self.dispatches) - 1
            note = "请报送本月推进情况和下一步安排" if not last else "年终前最后一次调度，请如实报送完成情况"
            self.step(self.at(start, hour=9), lambda t, due=due, note=note: self._dispatch(t, due, note))
            for it in items:
                if it.variant == "red_report" and last:
                    continue  # missed: red on the monitor today
                late = it.variant == "green" and i == 2 and items.index(it) % 4 == 0
                day = b.wd_after(due, 2) if late else b.wd_after(start, self.rng.randint(1, 4))
                self.step(self.at(day), lambda t, it=it, i=i: self._report(t, it, i))
        self.run()

    def _items(self) -> list[Item]:
        y, today = self.y, self.today
        orgs = self.b.orgs
        picked, seen = [], set()
        small = getattr(self.b.size, "scale", 1.0) < 0.5
        for title, category, lead, co, variant in TASKS:
            if small and variant in seen:
                continue
            seen.add(variant)
            picked.append((title.format(p=y - 1, n=y + 1), category, lead, co, variant))
        month_ends = [dt.date(y, m + 1, 1) - dt.timedelta(days=1) for m in (4, 6, 7, 9, 10, 11)]
        items = []
        for i, (title, category, lead, co, variant) in enumerate(picked):
            if variant == "closed_on_time":
                options = [d for d in month_ends if d < today - dt.timedelta(days=25)]
                due = (options or [today - dt.timedelta(days=30)])[i % max(1, len(options))]
            elif variant == "closed_late":
                options = [d for d in month_ends if d < today - dt.timedelta(days=60)]
                due = (options or [today - dt.timedelta(days=70)])[i % max(1, len(options))]
            elif variant == "overdue":
                due = self.b.workday_back(today - dt.timedelta(days=18 + 5 * (i % 3)))
            elif variant == "yellow":
                due = today + dt.timedelta(days=7 + i % 4)
            else:
                due = max(dt.date(y, 12, 31), today + dt.timedelta(days=25))
            items.append(Item(title, category, orgs[lead], [orgs[c] for c in co], variant,
                              self.b.users[LEADER_OF[category]], due))
        return items

    def _milestones(self, it: Item, start: dt.date) -> list[tuple[dt.date, str]]:
        names = MILESTONES[it.category]
        span = max(30, (it.due - start).days)
        return [(start + dt.timedelta(days=span * (k + 1) // (len(names) + 1)), n) for k, n in enumerate(names)]

    def _script(self, it: Item, draft_day, submit_day, meeting, second_meeting, assign_day) -> None:
        b, rng, today = self.b, self.rng, self.today
        late_addition = it.variant in {"drafting", "drafting_returned", "pending", "registered"}
        start = b.wd_before(today, rng.randint(18, 26)) if late_addition else draft_day
        milestones = self._milestones(it, max(start, assign_day))

        def opened(t):
            data = {"title": it.title, "year": self.y, "category": it.category,
                    "body": BODY[it.category].format(t=it.title), "responsible_leader": it.leader.pk,
                    "planned_lead": it.lead.pk, "planned_co": [o.pk for o in it.co],
                    "due_on": it.due.isoformat(),
                    "milestones": "\n".join(f"{d:%Y-%m-%d} {n}" for d, n in milestones)}
            from lvzhi.demo.builder import DemoError

            try:
                it.case = open_case(KIND, "open", self.office, data, congress_id=self.b.city.pk, now=t).case
            except TransitionError as exc:
                raise DemoError(f"重点任务《{it.title}》起草失败：{exc.message} {exc.errors}") from exc
            self.stats["tasks"] += 1

        self.step(self.at(start, it), opened)
        if it.variant == "drafting":
            return
        if late_addition:
            self.step(self.at(b.wd_after(start, 3), it),
                      lambda t: self.fire(it, "submit_for_approval", self.office, now=t))
            if it.variant == "drafting_returned":
                reason = {"reason": "请明确积案化解的数量目标和完成时限"}
                self.step(self.at(b.wd_after(start, 6), it), lambda t: self.fire(
                    it, "return_draft", self.b.users["leader"], reason, now=t))
                return
            if it.variant == "pending":
                return
            self.step(self.at(b.wd_after(start, 8), it), lambda t: self.fire(
                it, "approve", self.b.users["leader"], {"note": "同意增补列入年度重点任务"}, now=t))
            return
        self.step(self.at(submit_day, it), lambda t: self.fire(it, "submit_for_approval", self.office, now=t))
        if it.variant == "cancelled":
            self.step(self.at(b.wd_after(submit_day, 2), it), lambda t: self.fire(
                it, "cancel", self.office, {"reason": "按照厉行节约要求取消，改为线上专题学习"}, now=t))
            return
        leader = self.b.users["leader"]
        if it.title.startswith(RETURNED_AT_APPROVAL):
            self.step(self.at(meeting, it, hour=15), lambda t: self.fire(
                it, "return_draft", leader, {"reason": "请细化工作节点，明确各阶段完成时间"}, now=t))
            self.step(self.at(b.wd_after(meeting, 2), it), lambda t: self.fire(
                it, "submit_for_approval", self.office, now=t))
            self.step(self.at(second_meeting, it, hour=15), lambda t: self.fire(
                it, "approve", leader, {"note": "同意"}, now=t))
        else:
            self.step(self.at(meeting, it, hour=15), lambda t: self.fire(
                it, "approve", leader, {"note": "同意列入年度重点任务"}, now=t))
        day = b.wd_after(assign_day, rng.randint(0, 3))
        self.step(self.at(day, it), lambda t: self.fire(it, "assign", self.office, {
            "mode": "lead", "lead": it.lead.pk, "co": [o.pk for o in it.co],
            "note": "请牵头部门细化工作方案，按月报送推进情况"}, now=t))
        # 签收: each office signs for its task the same working day or within two.
        self.step(self.at(b.wd_after(day, rng.choice((0, 1, 1, 2))), it, hour=16),
                  lambda t: self._acknowledge(t, it))
        if it.co:
            self.step(self.at(b.wd_after(day, rng.randint(8, 15)), it), lambda t: self._co_opinion(t, it))
        slow = it.variant in {"overdue", "red_report"}
        for k, (m_day, _name) in enumerate(milestones):
            if slow and k == len(milestones) - 1:
                continue  # the slow ones have not reached their last step
            done = m_day + dt.timedelta(days=rng.randint(8, 20)) if slow else b.wd_before(m_day, rng.randint(0, 4))
            if done <= day or done >= today:
                continue
            self.step(self.at(done), lambda t, k=k: self._milestone(t, it, k))
        v = it.variant
        if v in {"closed_on_time", "closed_late", "replied", "returned"}:
            if v == "closed_on_time":
                propose = it.due - dt.timedelta(days=rng.randint(12, 20))
                approve = propose + dt.timedelta(days=rng.randint(2, 6))
            elif v == "closed_late":
                propose = it.due + dt.timedelta(days=rng.randint(12, 30))
                approve = propose + dt.timedelta(days=rng.randint(3, 7))
            elif v == "replied":
                propose, approve = b.wd_before(today, rng.randint(2, 4)), None
            else:
                propose, approve = b.wd_before(today, 22), b.wd_before(today, 17)
            self.step(self.at(propose - dt.timedelta(days=1), it), lambda t: self._finish_milestones(t, it))
            self.step(self.at(propose, it), lambda t: self.fire(it, "propose_close_out", self.office, {
                "evidence": EVIDENCE[it.category].format(t=it.title, k=rng.randint(18, 30), s=rng.randint(92, 99))},
                now=t))
            if approve is not None:
                if v == "returned":
                    reason = RETURN_REASONS[self.stats["tasks"] % 2]
                    self.step(self.at(approve, it), lambda t, r=reason: self.fire(
                        it, "close_out", leader, {"approve": "0", "note": r}, now=t))
                else:
                    self.step(self.at(approve, it), lambda t: self.fire(
                        it, "close_out", leader, {"approve": "1", "note": "同意销号"}, now=t))

    # ------------------------------------------------------------------ steps

    def _dispatch(self, t: dt.datetime, due: dt.date, note: str) -> None:
        if not Case.objects.filter(congress=self.b.city, kind=KIND, state=HANDLING).exists():
            return
        start_dispatch(self.office, due, note, now=t)
        self.stats["dispatches"] += 1

    def _lead(self, it: Item) -> Assignment | None:
        return Assignment.objects.filter(case=it.case, role=AssignmentRole.LEAD,
                                         state=AssignmentState.HANDLING).select_related("unit").first()

    def _report(self, t: dt.datetime, it: Item, index: int) -> None:
        if it.case is None:
            return
        it.case.refresh_from_db(fields=["state"])
        lead = self._lead(it) if it.case.state == HANDLING else None
        if lead is None or not deadlines.open_clocks(it.case, [clocks.PROGRESS_REPORT], lead).exists():
            return
        day = t.date()
        start = self.assign_day
        fraction = max(0.05, min(1.0, (day - start).days / max(30, (it.due - start).days)))
        behind = 10 if it.variant in {"overdue", "red_report"} else 0
        percent = min(95, max(5, round(fraction * 20) * 5 - behind))
        pool = PROGRESS[it.category]
        text = pool[min(len(pool) - 1, int(fraction * len(pool)))].format(
            a=self.rng.randint(3, 9), b=self.rng.randint(2, 8), c=self.rng.randint(20, 160))
        text += "下一步：" + self.rng.choice(NEXT_STEPS)
        data = {"assignment": lead.pk, "text": text, "percent": percent}
        self.fire(it, "report_progress", self.staff[lead.unit_id], data, now=t)
        self.stats["reports"] += 1

    def _acknowledge(self, t: dt.datetime, it: Item) -> None:
        for a in Assignment.objects.filter(case=it.case, state=AssignmentState.HANDLING,
                                           received_at__isnull=True):
            user = self.staff.get(a.unit_id)
            if user is not None:
                self.fire(it, "acknowledge", user, {"assignment": a.pk}, now=t)

    def _co_opinion(self, t: dt.datetime, it: Item) -> None:
        for a in Assignment.objects.filter(case=it.case, role=AssignmentRole.CO, state=AssignmentState.HANDLING):
            user = self.staff.get(a.unit_id)
            if user is not None:
                self.fire(it, "give_co_opinion", user, {"assignment": a.pk, "opinion": CO_OPINION}, now=t)

    def _milestone(self, t: dt.datetime, it: Item, k: int) -> None:
        it.case.refresh_from_db(fields=["state"])
        if it.case.state != HANDLING:
            return
        m = list(it.case.milestones.all())[k]
        if m.done_at is None:
            self.fire(it, "mark_milestone", self.staff[self._lead(it).unit_id], {"milestone": m.pk}, now=t)

    def _finish_milestones(self, t: dt.datetime, it: Item) -> None:
        it.case.refresh_from_db(fields=["state"])
        if it.case.state != HANDLING:
            return
        lead = self._lead(it)
        for m in it.case.milestones.filter(done_at__isnull=True):
            self.fire(it, "mark_milestone", self.staff[lead.unit_id], {"milestone": m.pk, "note": "已完成"}, now=t)
            t += dt.timedelta(minutes=7)


def build(builder) -> None:
    """CaseKind.demo: the year's key tasks of the demo city."""
    year = Year(builder)
    year.build()
    builder.stats["key_tasks"] = year.stats["tasks"]
    builder._log(f"  重点任务：{year.stats['tasks']} 项，调度 {year.stats['dispatches']} 次，"
                 f"进展报告 {year.stats['reports']} 份")

