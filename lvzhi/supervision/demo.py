"""The 北辰市 demo year of supervision (CaseKind.demo of `problem`): ten topics deliberated
through the year, each with its 审议意见 drafted, approved by the 主任会议 and sent to the
government, and its problem list driven through the engine — listed, assigned, rectified,
evaluated, 销号, some sent back, some reopened on 回头看, some still overdue — with past `now`s,
all steps of all topics in time order so each record's history reads as a year.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from typing import Any

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.models import Role, User
from lvzhi.supervision import opinions
from lvzhi.supervision.demo_data import TOPICS
from lvzhi.supervision.models import Opinion, Topic

# The forms a 常委会 deliberates, producing a 审议意见 (a research report or a visit does not).
DELIBERATED = ("work_report", "law_inspection", "inquiry", "appraisal")
PROGRESS = "已制定整改方案，明确责任分工和时间节点，召开专题会议部署，正在逐项推进。"
REPORTS = [
    "针对审议意见指出的问题，我单位制定整改方案，逐项明确责任人和完成时限；已完成专项检查和督导，"
    "建立长效管理机制，相关制度文件已印发实施。",
    "我单位成立整改工作专班，开展专项排查，对发现的问题建立台账、逐项销号；同步完善考核办法，"
    "整改情况已在门户网站公开。",
]
EVIDENCE = ["整改方案、工作台账及现场核查照片已归档", "专项检查通报及制度文件（见附件文号）",
            "第三方评估报告及验收记录"]
CANCEL = "该问题与本年度另一审议意见问题重复，已合并"
UNSATISFIED = "整改措施针对性不强，长效机制尚未建立"
OPINION_EVAL = ("{body}认真贯彻落实相关法律法规和常委会决策部署，工作取得积极进展，{field}方面成效明显，"
                "群众获得感有所增强。同时，工作中还存在一些问题和不足，需要认真研究解决。")
OPINION_SUGG = ("一是进一步提高思想认识，压实主体责任；二是聚焦问题清单逐项整改，明确时限和责任单位；"
                "三是健全长效机制，加强督促检查；四是加强宣传引导，主动接受人大监督和社会监督。")


class Year:
    def __init__(self, builder) -> None:
        self.b = builder
        self.rng = builder.rng
        self.y = builder.today.year if builder.today.month >= 7 else builder.today.year - 1
        self.office: User = builder.users["office"]
        self.leader: User = builder.users["leader"]
        self.steps: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = []
        self.n = 0
        self.numbers = 0
        self.stats = {"topics": 0, "opinions": 0, "problems": 0}

    def user(self, org, role: str) -> User:
        u = User.objects.filter(organization=org, role=role, is_active=True).order_by("pk").first()
        if u is None:
            from lvzhi.demo.builder import DemoError

            raise DemoError(f"{org.name} 没有{role}账户")
        return u

    def when(self, day: dt.date) -> dt.datetime | None:
        return None if day > self.b.latest else self.b.at(None, day)

    def step(self, day: dt.date, fn: Callable[[dt.datetime], None]) -> bool:
        at = self.when(day)
        if at is None:
            return False
        self.n += 1
        heapq.heappush(self.steps, (at, self.n, fn))
        return True

    def fire(self, holder: dict[str, Any], name: str, actor: User, data: dict | None, now: dt.datetime) -> None:
        from lvzhi.demo.builder import DemoError

        if holder.get("case") is None:
            return  # an earlier step stopped (the year ended first)
        try:
            holder["case"] = fire(holder["case"], name, actor, data or {}, now=now).case
        except TransitionError as exc:
            raise DemoError(f"监督问题《{holder['title']}》{name} 失败：{exc.message} {exc.errors}") from exc

    # ------------------------------------------------------------------ the year

    def build(self) -> dict[str, int]:
        congress = self.b.city
        for title, form, committee, body, month, day, problems in TOPICS:
            topic, _ = Topic.objects.get_or_create(
                congress=congress, year=self.y, title=title,
                defaults={"form": form, "lead_committee": self.b.orgs[committee], "supervised_body": body,
                          "meeting_on": dt.date(self.y, month, day)})
            meeting = topic.meeting_on or dt.date(self.y, month, day)
            if meeting + dt.timedelta(days=8) > self.b.latest:
                continue
            self.stats["topics"] += 1
            self.plan_topic(topic, meeting, problems)
        # The plan's other deliberated topics get their 审议意见 too (their problems are not listed
        # in the demo): a past meeting without an opinion shows red on the plan page.
        listed = {t[0] for t in TOPICS}
        for topic in Topic.objects.filter(congress=congress, year=self.y, meeting_on__isnull=False,
                                          form__in=DELIBERATED).exclude(title__in=listed).order_by("meeting_on"):
            if topic.meeting_on + dt.timedelta(days=8) <= self.b.latest:
                self.stats["topics"] += 1
                self.plan_topic(topic, topic.meeting_on, [])
        while self.steps:
            at, _n, fn = heapq.heappop(self.steps)
            fn(at)
        self.link_bundles(congress)
        return self.stats

    def link_bundles(self, congress) -> None:
        """The suggestions bundled for 督办 show on the topics that take them up."""
        from lvzhi.cases.models import Bundle
        from lvzhi.supervision.topic_links import link_bundle

        wanted = {"老旧小区改造与物业服务管理": ("老旧小区改造", "物业管理"),
                  "义务教育学位供给与校外培训治理": ("义务教育",)}
        for bundle in Bundle.objects.filter(congress=congress, title__in=wanted):
            for word in wanted[bundle.title]:
                for topic in Topic.objects.filter(congress=congress, year=self.y, title__contains=word):
                    link_bundle(topic, bundle.pk, self.office)

    def plan_topic(self, topic: Topic, meeting: dt.date, problems: list) -> None:
        staff = self.user(topic.lead_committee, Role.COMMITTEE_STAFF)
        box: dict[str, Opinion | None] = {"o": None}
        field = topic.title.replace("市政府关于", "").replace("工作情况的报告", "").replace("情况", "")

        def draft(now):
            box["o"] = opinions.draft(topic, staff, {
                "title": opinions.default_title(topic), "recipient": topic.supervised_body,
                "evaluation": OPINION_EVAL.format(body=topic.supervised_body, field=field[:20]),
                "suggestions": OPINION_SUGG}, now=now)
            self.stats["opinions"] += 1

        def submit(now):
            opinions.submit(box["o"], staff, now=now)

        def approve(now):
            opinions.decide(box["o"], self.leader, approve=True, now=now)

        def send(now):
            self.numbers += 1
            opinions.send(box["o"], self.office, number=f"北人常办〔{self.y}〕{self.numbers + 10}号", now=now)

        def report(now):
            opinions.record_report(box["o"], self.office, "市人民政府高度重视审议意见，逐条研究制定整改措施，"
                                   "问题清单所列问题已明确责任单位和整改时限，多数已整改到位，其余正在推进。", now=now)

        def publish(now):
            opinions.publish(box["o"], self.office, now=now)

        self.step(meeting + dt.timedelta(days=2), draft)
        self.step(meeting + dt.timedelta(days=3), submit)
        self.step(meeting + dt.timedelta(days=6), approve)
        self.step(meeting + dt.timedelta(days=8), send)
        if self.step(meeting + dt.timedelta(days=80), report):
            self.step(meeting + dt.timedelta(days=84), publish)
        for i, p in enumerate(problems):
            self.plan_problem(topic, staff, box, meeting + dt.timedelta(days=3, hours=i), p)

    def plan_problem(self, topic: Topic, staff: User, box: dict, start: dt.date, p: tuple) -> None:
        title, body, requirement, unit_names, outcome = p
        units = [self.b.orgs[n] for n in unit_names]
        h: dict[str, Any] = {"case": None, "title": title}
        due = start + dt.timedelta(days=45 if outcome == "overdue" else 120)
        if outcome == "overdue" and due >= self.b.latest:
            outcome = "handling"

        def open_(now):
            h["case"] = open_case("problem", "open", staff, {
                "title": title, "body": body, "requirement": requirement, "due_on": due.isoformat(),
                "opinion": box["o"].pk}, congress_id=topic.congress_id, now=now).case
            self.stats["problems"] += 1

        day = start
        steps: list[tuple[int, Callable[[dt.datetime], None]]] = [(0, open_)]
        add = steps.append
        if outcome != "drafting":
            add((4, lambda now: self.fire(h, "enlist", self.office, {}, now)))
        if outcome == "cancelled":
            add((6, lambda now: self.fire(h, "cancel", self.office, {"reason": CANCEL}, now)))
        if outcome not in ("drafting", "registered", "cancelled"):
            mode = {"mode": "lead", "lead": units[0].pk, "co": []} if len(units) == 1 else \
                {"mode": "split", "split": [u.pk for u in units]}
            add((6, lambda now: self.fire(h, "assign", self.office, mode, now)))
            for u in units:
                add((8, lambda now, u=u: self.fire(h, "acknowledge", self.user(u, Role.UNIT_HANDLER),
                                                   {"assignment": self._a(h, u)}, now)))
                add((30, lambda now, u=u: self.fire(h, "report_progress", self.user(u, Role.UNIT_HANDLER),
                                                    {"assignment": self._a(h, u), "text": PROGRESS,
                                                     "percent": self.rng.choice((30, 40, 50, 60))}, now)))
        done = outcome in ("replied", "evaluated", "proposed", "closed", "reopened", "regressed", "returned")
        if done:
            self._report(h, units, 55, add)
        if outcome == "reopened":
            add((62, lambda now: self.fire(h, "evaluate", staff, {"verdict": "unsatisfied",
                                                                  "comment": UNSATISFIED}, now)))
            self._report(h, units, 78, add)
        if outcome in ("evaluated", "proposed", "closed", "reopened", "regressed", "returned"):
            add((85, lambda now: self.fire(h, "evaluate", staff, {"verdict": self.rng.choice(
                ("satisfied", "satisfied", "basically"))}, now)))
        if outcome in ("proposed", "closed", "reopened", "regressed", "returned"):
            add((90, lambda now: self.fire(h, "propose_close_out", staff,
                                           {"evidence": f"经实地核查，{self.rng.choice(EVIDENCE)}，整改到位。"},
                                           now)))
        if outcome in ("closed", "reopened", "regressed"):
            add((96, lambda now: self.fire(h, "close_out", self.leader, {"approve": "1", "note": "同意销号"}, now)))
        if outcome == "returned":
            add((96, lambda now: self.fire(h, "close_out", self.leader,
                                           {"approve": "0", "note": "长效机制尚未建立，请继续整改"}, now)))
        if outcome == "regressed":
            add((220, lambda now: self.fire(h, "revisit", self.office, {
                "finding": "回头看发现部分问题出现反弹，整改成效未能巩固", "reopen": "1"}, now)))
        for offset, fn in steps:
            if not self.step(day + dt.timedelta(days=offset), fn):
                break

    def _a(self, h: dict, unit) -> int:
        return h["case"].assignments.get(unit=unit).pk

    def _report(self, h: dict, units, offset: int, add) -> None:
        for i, u in enumerate(units):
            add((offset + i, lambda now, u=u: self.fire(h, "submit_rectification", self.user(u, Role.UNIT_HEAD), {
                "assignment": self._a(h, u), "text": self.rng.choice(REPORTS),
                "evidence": self.rng.choice(EVIDENCE)}, now)))


def build(builder) -> None:
    """CaseKind.demo: the year's supervision topics, 审议意见 and problem lists of the demo city."""
    from lvzhi.supervision import plan_demo

    year = Year(builder)
    plan_demo.build(builder.city, year.y)  # the year's plan first: the opinions hang from its topics
    stats = year.build()
    builder.stats["problems"] = stats["problems"]
    # The forms' own steps and the satisfaction votes, on the same year's topics.
    from django.apps import apps

    from lvzhi.supervision import activity_demo

    topics = list(Topic.objects.filter(congress=builder.city, year=year.y).order_by("meeting_on", "pk"))
    filled = activity_demo.build(builder.city, topics)
    builder._log(f"  监督形式记录：{filled}")
    if apps.is_installed("lvzhi.votes"):
        from lvzhi.votes import demo as votes_demo

        builder._log(f"  满意度测评：{votes_demo.build(builder.city, topics, year.y)}")
    builder._log(f"  监督：议题 {stats['topics']} 个，审议意见 {stats['opinions']} 份，问题 {stats['problems']} 个")
