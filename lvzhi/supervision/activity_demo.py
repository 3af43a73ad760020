"""The demo's supervision work: fills each topic's steps and documents for a realistic year
of 北辰市. `build(congress, topics)` takes the lead's demo topics; given none, it creates a
handful itself. Steps whose date has not come are left undone (the page shows them pending);
one 专项工作报告 draft is sent late so a red light shows. Writes go through the services, as
the lead committee's staff (or the 办公厅) would record them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from django.utils import timezone

from lvzhi.core.models import Congress, Organization, OrganizationKind, Role, User
from lvzhi.supervision import activity_services as S
from lvzhi.supervision import timeline
from lvzhi.supervision.models import Topic, TopicForm

OWN_TOPICS = [  # (title, form, supervised body, days from today to the meeting)
    ("全市住宅小区物业管理工作情况", TopicForm.WORK_REPORT, "市人民政府", -70),
    ("老旧小区改造工作情况", TopicForm.WORK_REPORT, "市人民政府", 12),
    ("2025年度市级预算执行和其他财政收支审计查出问题整改情况", TopicForm.WORK_REPORT, "市人民政府", 40),
    ("《中华人民共和国大气污染防治法》实施情况", TopicForm.LAW_INSPECTION, "市人民政府", -30),
    ("《北辰市物业管理条例》实施情况", TopicForm.LAW_INSPECTION, "市人民政府", 20),
    ("城市内涝治理工作", TopicForm.INQUIRY, "市人民政府", -45),
    ("市中级人民法院、市人民检察院部分法官检察官履职评议", TopicForm.APPRAISAL, "市中级人民法院、市人民检察院", -20),
    ("全市养老服务体系建设", TopicForm.RESEARCH, "市民政局", -50),
    ("义务教育阶段“双减”政策落实", TopicForm.VISIT, "市教育局", -15),
    ("食品安全工作", TopicForm.RESEARCH, "市市场监督管理局", 60),
]

OFFICIALS = [("张建国", "市住房和城乡建设局局长"), ("刘海涛", "市水务局局长"), ("孙明", "市城市管理局局长"),
             ("陈丽华", "市人民政府副市长"), ("赵卫东", "市自然资源和规划局局长")]
QUESTIONS = [
    "去年汛期主城区出现多处积水点，今年排查出的易涝点整改完成了多少？资金是否到位？",
    "雨污分流改造进度滞后的原因是什么？下一步有何时间表？",
    "老旧小区地下管网改造与城市内涝治理如何统筹推进？",
    "城市排水防涝应急预案是否已覆盖各区街道？群众如何及时获取预警信息？",
    "海绵城市建设项目的后期运营维护责任如何落实？",
]
ANSWERS = [
    "今年排查出易涝点42处，已完成整改35处，其余7处纳入明年计划，市财政安排专项资金1.2亿元。",
    "主要是部分老城区地下空间受限、征迁难度大，计划分三年完成，今年底完成主城区60%。",
    "已将管网改造纳入老旧小区改造清单同步实施，住建、水务两部门建立联席会议制度。",
    "应急预案已覆盖全部街道，通过短信、应急广播和“北辰发布”同步推送预警信息。",
    "按照“谁建设、谁管理”原则，明确由各区政府负责运营维护，并纳入年度考核。",
]
GENERIC_CHECKS = [
    ("meeting", "市人大常委会机关", "召开座谈会，听取市政府有关部门和各区汇报，共收集意见建议{n}条。"),
    ("site", "城东区、城南区", "实地检查{n}个点位，查看法定制度落实和群众反映问题整改情况，现场交办问题清单。"),
    ("spot", "随机抽取的街道社区", "随机抽查{n}个社区，对照法规条款逐项核查，发现部分配套制度未落实。"),
    ("survey", "全市各区", "面向市民发放问卷2000份，回收有效问卷{n}份，了解群众对法规实施的评价。"),
]
CHECKS = [
    ("meeting", "市生态环境局", "召开座谈会，听取市生态环境局、发展改革委等8个部门汇报，共收集意见建议26条。"),
    ("site", "北辰经济技术开发区化工园区",
     "实地查看重点企业挥发性有机物治理设施运行和在线监测情况，发现2家企业设施未正常运行。"),
    ("spot", "城南区建筑工地", "随机抽查5个建筑工地扬尘防治“六个百分之百”落实情况，3个工地存在裸土未覆盖问题。"),
    ("survey", "全市各区", "面向市民发放问卷2100份，回收有效问卷1986份，群众对空气质量改善满意率为82.3%。"),
]
GROUP_DUTIES = ["组长", "副组长", "成员", "成员", "成员", "成员"]
CRITERIA = [("依法履职", 30), ("公正司法", 30), ("司法为民", 20), ("廉洁自律", 20)]
APPRAISEES = [("judge", "周立新", "市中级人民法院审判委员会委员、民事审判第一庭庭长"),
              ("judge", "吴晓燕", "市中级人民法院刑事审判庭审判员"),
              ("prosecutor", "郑国强", "市人民检察院检察委员会委员、第二检察部主任"),
              ("body", "市中级人民法院执行局", "")]
VISIT_PLACES = {  # by a word of the topic's title; the last one for any other topic
    "教育": ["北辰市实验小学", "城南区第三中学", "河西县城关镇中心小学", "城东区青少年活动中心"],
    "食品": ["北辰市农产品批发市场", "城东区锦绣路农贸市场", "北辰经济技术开发区食品产业园", "城南区第二中学食堂"],
    "养老": ["北辰区第一社会福利院", "城东区锦绣社区居家养老服务中心", "河西县农村互助幸福院",
             "城南区长者食堂"],
    "": ["城东区人民政府", "城南区锦绣街道", "河西县城关镇", "北辰经济技术开发区管委会"],
}


def _recorder(topic: Topic) -> User | None:
    staff = User.objects.filter(organization=topic.lead_committee, role__in=(Role.COMMITTEE_STAFF, Role.CLERK),
                                is_active=True).order_by("id").first()
    return staff or User.objects.filter(congress=topic.congress, role=Role.CLERK,
                                        organization__function="general_office").order_by("id").first()


def _people(congress: Congress, roles, n: int, rng: random.Random) -> list[User]:
    pool = list(User.objects.filter(congress=congress, role__in=roles, is_active=True).order_by("id")[:200])
    return rng.sample(pool, min(n, len(pool)))


def _own_topics(congress: Congress) -> list[Topic]:
    committee = (Organization.objects.filter(congress=congress, kind=OrganizationKind.COMMITTEE)
                 .order_by("id").first())
    if committee is None:
        return []
    today = timezone.localdate()
    return [Topic.objects.create(congress=congress, year=today.year, title=t, form=f, lead_committee=committee,
                                 supervised_body=body, meeting_on=today + dt.timedelta(days=d))
            for t, f, body, d in OWN_TOPICS]


def build(congress: Congress, topics: Iterable[Topic] | None = None, seed: int = 9) -> dict[str, int]:
    """Fill the topics' work; returns how many topics of each form got records."""
    rng = random.Random(seed)
    topics = list(topics) if topics is not None else _own_topics(congress)
    filled: dict[str, int] = {}
    for i, topic in enumerate(topics):
        who = _recorder(topic)
        if who is None:
            continue
        fill = FILLERS.get(topic.form)
        if fill and fill(topic, who, rng, late=(i == 1)):
            filled[topic.form] = filled.get(topic.form, 0) + 1
    return filled


def _past(day: dt.date) -> bool:
    return day <= timezone.localdate()


def _work_report(topic: Topic, who: User, rng: random.Random, late: bool = False) -> bool:
    m = topic.meeting_on
    if m is None:
        return False
    summary_on = m - dt.timedelta(days=25)
    if _past(summary_on):
        S.record_step(who, topic, {"step": "summary", "done_on": summary_on,
                                   "note": "汇总代表建议、组成人员意见和群众来信来访反映的意见共"
                                           f"{rng.randint(18, 45)}条，已交市人民政府研究并在报告中回应。"})
    notes = {"draft": "北辰政函〔{y}〕{n}号（征求意见稿）", "revised": "北辰政文〔{y}〕{n}号",
             "to_members": "随会议通知印发组成人员", "deliberated": "市第十六届人大常委会第{n}次会议"}
    for rule in timeline.steps(topic.congress_id)[1:]:
        due = timeline.due_on(m, rule)
        done = due + dt.timedelta(days=3) if (late and rule.code == "draft") else due - dt.timedelta(
            days=rng.randint(0, 2) if rule.code != "deliberated" else 0)
        if _past(done):
            S.record_step(who, topic, {"step": rule.code, "done_on": done,
                                       "note": notes[rule.code].format(y=m.year, n=rng.randint(8, 60))})
    return True


def _inspection(topic: Topic, who: User, rng: random.Random, late: bool = False) -> bool:
    m = topic.meeting_on or timezone.localdate()
    starts = m - dt.timedelta(days=75)
    law = topic.title.split("》")[0] + "》" if "》" in topic.title else "《中华人民共和国大气污染防治法》"
    S.record_plan(who, topic, {"law": law, "scope": "市本级和六个区；重点检查法定职责落实、配套制度建设、"
                                                    "执法监管和群众反映强烈的突出问题。",
                               "starts_on": starts, "ends_on": m - dt.timedelta(days=25)})
    members = _people(topic.congress, (Role.LEADER,), 2, rng) + _people(topic.congress, (Role.DEPUTY,), 4, rng)
    for duty, user in zip(GROUP_DUTIES, members, strict=False):
        S.add_member(who, topic, {"user": user, "duty": duty})
    air = "大气" in topic.title
    for k, (kind, place, notes) in enumerate(CHECKS if air else GENERIC_CHECKS):
        day = starts + dt.timedelta(days=7 + 10 * k)
        if _past(day):
            people = f"检查组成员{rng.randint(5, 12)}人、人大代表{rng.randint(2, 5)}人"
            S.log_check(who, topic, {"kind": kind, "held_on": day, "place": place, "participants": people,
                                     "notes": notes.format(n=rng.randint(12, 1900) if kind == "survey" else
                                                           rng.randint(6, 30))})
    done = m - dt.timedelta(days=12)
    if _past(done) and not air:
        S.record_report(who, topic, {
            "evaluation": f"{law}实施以来，市政府及有关部门认真履行法定职责，配套制度基本健全，实施总体情况良好。",
            "problems": "一是部分配套制度落实不到位；二是部门之间监管协同不够；三是基层执法力量薄弱，"
                        "群众反映的突出问题解决不够及时。",
            "suggestions": "压实属地和部门责任，健全联合执法和信息共享机制，充实基层执法力量，加强普法宣传。",
            "amendments": "", "done_on": done})
    elif _past(done):
        S.record_report(who, topic, {
            "evaluation": "法律实施总体情况良好，全市空气质量优良天数比例同比提高3.2个百分点，PM2.5平均浓度下降6.1%。",
            "problems": "一是部分企业治污设施运行不稳定；二是建筑工地扬尘管控不到位；三是基层执法力量不足，"
                        "联合执法机制不健全。",
            "suggestions": "压实企业主体责任，推进重点行业深度治理；建立扬尘防治“红黑榜”；充实基层执法力量。",
            "amendments": "建议修改《北辰市扬尘污染防治条例》第十八条，增加对未落实覆盖措施的处罚规定。",
            "done_on": done})
    return True


def _inquiry(topic: Topic, who: User, rng: random.Random, late: bool = False) -> bool:
    officials = [S.add_official(who, topic, {"name": n, "post": p, "present": True}) for n, p in OFFICIALS]
    if topic.meeting_on and not _past(topic.meeting_on):
        return True  # not held yet: officials invited, no questions
    askers = _people(topic.congress, (Role.LEADER, Role.COMMITTEE_STAFF), 5, rng)
    for k, (q, a, official) in enumerate(zip(QUESTIONS, ANSWERS, officials, strict=True)):
        if askers:  # a small congress: the same member may ask twice
            S.add_question(who, topic, {"asker": askers[k % len(askers)], "text": q, "addressed_to": official,
                                        "answer": a})
    held = topic.meeting_on or timezone.localdate()
    first = S.add_follow_up(who, topic, {"item": "研究制定主城区易涝点三年整治计划并向常委会报告",
                                         "body": "市人民政府", "due_on": held + dt.timedelta(days=90)})
    S.add_follow_up(who, topic, {"item": "建立排水防涝设施运营维护考核制度", "body": "市水务局",
                                 "due_on": held + dt.timedelta(days=30)})
    if _past(held + dt.timedelta(days=28)):
        S.report_follow_up(who, topic, {
            "follow_up": first, "reported_on": held + dt.timedelta(days=28),
            "report": "市人民政府已印发《主城区易涝点三年整治计划》，明确42处易涝点整治时限和责任单位。"})
    return True


def _appraisal(topic: Topic, who: User, rng: random.Random, late: bool = False) -> bool:
    appraisees = [S.add_appraisee(who, topic, {"kind": k, "name": n, "post": p}) for k, n, p in APPRAISEES]
    for name, weight in CRITERIA:
        S.add_criterion(who, topic, {"name": name, "weight": weight})
    if topic.meeting_on and not _past(topic.meeting_on):
        return True
    criteria = list(topic.criteria.all())
    members = _people(topic.congress, (Role.LEADER, Role.COMMITTEE_STAFF, Role.DEPUTY), 15, rng)
    centres = [93, 84, 76, 66]
    for a, centre in zip(appraisees, centres, strict=False):
        for member in members:
            S.record_sheet(who, topic, a, member,
                           {c.pk: max(0, min(100, round(rng.gauss(centre, 4)))) for c in criteria})
    return True


def _research(topic: Topic, who: User, rng: random.Random, late: bool = False) -> bool:
    m = topic.meeting_on or timezone.localdate()
    places = next(v for k, v in VISIT_PLACES.items() if k in topic.title)
    for k, place in enumerate(rng.sample(places, 3)):
        day = m - dt.timedelta(days=40 - 9 * k)
        if _past(day):
            people = f"常委会副主任1人、委员{rng.randint(3, 6)}人、人大代表{rng.randint(2, 5)}人"
            S.add_visit(who, topic, {"visited_on": day, "place": place, "participants": people,
                                     "notes": f"听取{place}情况介绍，实地查看，与工作人员和群众座谈，"
                                              "了解存在的困难和意见建议。"})
    if _past(m - dt.timedelta(days=5)):
        S.record_report(who, topic, {
            "findings": "基层服务设施利用率不高，专业人员缺口较大，农村地区服务供给薄弱。",
            "text": f"关于{topic.title}情况的{'视察' if topic.form == TopicForm.VISIT else '调研'}报告："
                    "建议加大财政投入，完善人才培养和激励机制，推动优质资源向基层和农村延伸，"
                    "建立常态化评估机制。",
            "done_on": m - dt.timedelta(days=5)})
    return True


FILLERS = {
    TopicForm.WORK_REPORT: _work_report, TopicForm.LAW_INSPECTION: _inspection, TopicForm.INQUIRY: _inquiry,
    TopicForm.APPRAISAL: _appraisal, TopicForm.RESEARCH: _research, TopicForm.VISIT: _research,
}
