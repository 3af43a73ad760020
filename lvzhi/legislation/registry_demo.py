"""The demo city's regulation registry: some sixty regulations of 北辰市 made 2019–2026, each with
generated text that reads as a regulation (总则, its own chapters, 法律责任, 附则), approved by the
autonomous region's standing committee one to four months after adoption and published in the 公报,
on the website and in 北辰日报; a dozen amended by decision, one revised, a few repealed; implementing
rules (some overdue), three evaluations, and two clean-ups (2024 全面, 2025 民营经济专项) with findings.

Everything goes through the services in date order, so the registry's rules hold for the demo too.
Deterministic: the builder's rng.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from lvzhi.core.workdays import add_months
from lvzhi.legislation import articles
from lvzhi.legislation import registry_demo_data as D
from lvzhi.legislation import registry_services as svc
from lvzhi.legislation.choices import Action
from lvzhi.legislation.models import Regulation, RegulationVersion
from lvzhi.legislation.registry_models import CleanupScope
from lvzhi.legislation.versions import record_version

CITY = "北辰市"
REGION = "北岭省"
DUTIES = (
    "{dept}应当加强对{m}的监督管理，建立健全{m}管理制度，并向社会公布。",
    "{m}应当符合国家和省有关标准和技术规范，{dept}应当会同有关部门定期开展检查。",
    "任何单位和个人不得擅自改变{m}的用途，不得损毁、侵占{m}。",
    "市、县（区）人民政府应当将{m}所需经费纳入本级财政预算，保障{m}工作的开展。",
    "鼓励和支持社会资本参与{m}的建设和运营，依法保障投资者的合法权益。",
    "{dept}应当会同有关部门编制{m}专项规划，报市人民政府批准后实施。",
    "乡乡镇人民政府、街道办事处应当做好本辖区内{m}的日常管理工作，居民委员会、村民委员会予以协助。",
    "{dept}应当建立{m}信息平台，实现信息共享，方便公众查询。",
    "从事{m}相关活动的单位，应当建立安全管理制度，落实安全生产责任，定期开展隐患排查。",
    "发生涉及{m}的突发事件，有关单位应当立即启动应急预案，并向{dept}报告。",
    "{dept}应当畅通投诉举报渠道，对涉及{m}的投诉举报，应当在十五个工作日内依法处理并答复。",
    "对在{m}工作中做出显著成绩的单位和个人，市、县（区）人民政府按照国家和省有关规定给予表彰和奖励。",
)
PENALTIES = (
    "违反本条例第{n}条规定，擅自改变{m}用途的，由{dept}责令限期改正；逾期不改正的，处五千元以上三万元以下罚款。",
    "违反本条例规定，损毁、侵占{m}的，由{dept}责令停止违法行为，恢复原状，可以处一万元以上五万元以下罚款；"
    "造成损失的，依法承担赔偿责任。",
    "违反本条例规定，未按照规定建立{m}管理制度的，由{dept}责令改正，给予警告；拒不改正的，处二千元以上一万元以下罚款。",
)


def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _meeting_day(rng: random.Random, year: int) -> dt.date:
    """A 常委会 meeting: the last Thursday-ish of a meeting month."""
    month = rng.choice((2, 4, 6, 8, 10, 12))
    return dt.date(year, month, rng.randint(24, 28))


def build_text(title: str, unit: str, matters: tuple[str, ...], chapters: tuple[str, ...], effective_on: dt.date,
               rng: random.Random) -> str:
    """A regulation's text, one paragraph a line (what RegulationVersion.text keeps)."""
    subject = title.removeprefix(CITY).removesuffix("条例")
    dept = unit if unit.startswith("市") else f"市有关主管部门和{unit}"
    parts: list[tuple[str, list[str]]] = []
    general = [
        f"为了加强{subject}工作，维护公共利益和公民、法人及其他组织的合法权益，根据有关法律、行政法规和"
        f"{REGION}有关规定，结合本市实际，制定本条例。",
        f"本市行政区域内的{subject}及其监督管理活动，适用本条例。",
        f"{subject}工作应当坚持中国共产党的领导，坚持以人民为中心，遵循统筹规划、属地管理、社会参与的原则。",
        f"市、县（区）人民政府应当加强对{subject}工作的领导，将其纳入国民经济和社会发展规划，建立协调机制，"
        f"解决{subject}工作中的重大问题。",
        f"{dept}负责本市{subject}的监督管理工作。\n发展改革、财政、自然资源、生态环境、住房城乡建设等部门按照各自职责，"
        f"做好{subject}的相关工作。",
        f"广播、电视、报刊和网络等媒体应当开展{subject}法律法规宣传，增强全社会的法治意识。",
    ]
    parts.append(("总则", general))
    n = 0
    for ch in chapters:
        body = []
        for _ in range(rng.randint(4, 9)):
            m = rng.choice(matters)
            body.append(rng.choice(DUTIES).format(dept=dept, m=m))
        parts.append((ch, body))
    n = sum(len(p[1]) for p in parts)
    penalties = [rng.choice(PENALTIES).format(n=articles.int_to_cn(rng.randint(7, n)), m=rng.choice(matters), dept=dept)
                 for _ in range(rng.randint(2, 4))]
    penalties.append("国家机关及其工作人员在" + subject + "工作中滥用职权、玩忽职守、徇私舞弊的，对直接负责的主管人员和"
                     "其他直接责任人员依法给予处分；构成犯罪的，依法追究刑事责任。")
    parts.append(("法律责任", penalties))
    parts.append(("附则", [f"本条例自{effective_on.year}年{effective_on.month}月{effective_on.day}日起施行。"]))
    return articles.compose(title, parts)


def amend_text(text: str, rng: random.Random, matters: tuple[str, ...], unit: str) -> str:
    """A 修正: two or three articles reworded and one article inserted (the later ones renumbered)."""
    parsed = articles.parse(text)
    arts = list(parsed.articles)
    for a in rng.sample(arts[1:-1], k=min(3, len(arts) - 2)):
        i = arts.index(a)
        new = a.text.replace("市、县（区）人民政府", "市和县（区）人民政府").replace("十五个工作日", "十个工作日")
        if new == a.text:
            new = a.text.rstrip("。") + "，并将结果向社会公开。"
        arts[i] = articles.Article(a.number, a.sub, new, a.chapter, a.section)
    at = rng.randint(3, len(arts) - 2)
    m = rng.choice(matters)
    added = f"{unit}应当依托全国一体化政务服务平台，推行{m}相关事项“网上办、掌上办、一次办”。"
    arts.insert(at, articles.Article(0, 0, added, arts[at].chapter, arts[at].section))
    arts = [articles.Article(k, 0, a.text, a.chapter, a.section) for k, a in enumerate(arts, start=1)]
    return articles.render(articles.Parsed(preamble=[parsed.title], articles=arts))


class _Year:
    """The registry's steps, collected with their dates and run in date order."""

    def __init__(self) -> None:
        self.steps: list[tuple[dt.date, int, Callable[[], None]]] = []

    def at(self, day: dt.date, fn: Callable[[], None]) -> None:
        self.steps.append((day, len(self.steps), fn))

    def run(self, until: dt.date) -> None:
        for day, _k, fn in sorted(self.steps, key=lambda s: s[:2]):
            if day <= until:
                fn()


def build_demo(builder) -> None:
    rng: random.Random = random.Random(builder.rng.random())
    congress = builder.city
    clerk = builder.users.get("lawclerk")
    today = builder.today
    committees = {o.short_name: o for o in builder.orgs.values()}
    year = _Year()
    regs: dict[str, Regulation] = {}
    meta: dict[str, tuple] = {}

    def publish(adopted: dt.date) -> dict:
        approved = add_months(adopted, rng.randint(1, 3)) + dt.timedelta(days=rng.randint(0, 20))
        gazette = approved + dt.timedelta(days=rng.randint(5, 15))
        effective = dt.date(approved.year + (approved.month > 9), (approved.month + 2) % 12 + 1, 1)
        return {"approved_on": approved, "approval_decision": f"{REGION}人民代表大会常务委员会关于批准《…》的决定",
                "gazette_issue": f"{gazette.year}年第{(gazette.month + 1) // 2}号", "gazette_on": gazette,
                "website_on": approved + dt.timedelta(days=rng.randint(1, 4)), "newspaper": "北辰日报",
                "newspaper_on": approved + dt.timedelta(days=rng.randint(2, 6)),
                "effective_on": max(effective, gazette)}

    for title, field, unit, committee, y, matters, chapters in D.REGULATIONS:
        adopted = _meeting_day(rng, y)
        if adopted > today:
            continue
        pub = publish(adopted)
        if pub["approved_on"] > today:
            pub = {}
        pub = {k: v for k, v in pub.items() if not isinstance(v, dt.date) or v <= today}
        text = build_text(title, unit, matters, chapters, pub.get("effective_on") or add_months(adopted, 6), rng)
        meta[title] = (unit, matters, chapters)

        def enact(title=title, field=field, unit=unit, committee=committee, adopted=adopted, text=text, pub=pub):
            reg = svc.create_regulation(clerk, congress, title=title, field=field,
                                        lead_committee=committees.get(committee), implementing_body=unit,
                                        joint_note=D.JOINT.get(title, ""))
            pub = dict(pub)
            if "approval_decision" in pub:
                pub["approval_decision"] = pub["approval_decision"].replace("…", title)
            record_version(reg, Action.ENACT, adopted, text=text,
                           decision=f"{CITY}人民代表大会常务委员会第{rng.randint(3, 30)}次会议通过", actor=clerk, **pub)
            regs[title] = reg

        year.at(adopted, enact)

    for title, dates in D.AMENDED.items():
        for y, m, d in dates:
            day = _d(y, m, d)

            def amend(title=title, day=day):
                reg = regs[title]
                unit, matters, _ = meta[title]
                pub = publish(day)
                pub = {k: v for k, v in pub.items() if not isinstance(v, dt.date) or v <= today}
                if "approval_decision" in pub:
                    pub["approval_decision"] = pub["approval_decision"].replace("…", title)
                pub.pop("effective_on", None)  # a 修正 takes effect on publication
                record_version(reg, Action.AMEND_DECISION, day, text=amend_text(reg.current.text, rng, matters, unit),
                               decision=f"{CITY}人民代表大会常务委员会关于修改《{title}》的决定", actor=clerk, **pub)

            year.at(day, amend)

    for title, (y, m, d) in D.REVISED.items():
        day = _d(y, m, d)

        def revise(title=title, day=day):
            unit, matters, chapters = meta[title]
            pub = publish(day)
            pub = {k: v for k, v in pub.items() if not isinstance(v, dt.date) or v <= today}
            if "approval_decision" in pub:
                pub["approval_decision"] = pub["approval_decision"].replace("…", title)
            text = build_text(title, unit, matters, (*chapters, "监督检查"), pub.get("effective_on") or day, rng)
            record_version(regs[title], Action.REVISE, day, text=text, decision=f"{day.year}年{day.month}月{day.day}日"
                           f"{CITY}人民代表大会常务委员会会议修订", actor=clerk, **pub)

        year.at(day, revise)

    def repeal(title: str, day: dt.date, why: str) -> None:
        def fn():
            record_version(regs[title], Action.REPEAL, day, actor=clerk, approved_on=add_months(day, 2),
                           decision=f"{CITY}人民代表大会常务委员会关于废止《{title}》的决定")
        year.at(day, fn)

    for title, (y, m, d) in D.REPEALED_EARLY.items():
        repeal(title, _d(y, m, d), "")

    for title, what, article, unit, months, done in D.RULES:
        def rule(title=title, what=what, article=article, unit=unit, months=months, done=done):
            reg = regs.get(title)
            if reg is None or svc.effective_version(reg) is None:
                return
            org = builder.orgs.get(unit)
            r = svc.add_implementing_rule(clerk, reg, title=what, article=article, responsible_unit=org,
                                          responsible_body="" if org else unit, months=months)
            # a rule comes out after the version it implements, whatever day the demo's draws gave that version
            done_on = done and max(_d(*done[:3]), r.version.adopted_on if r.version else _d(*done[:3]))
            if done_on and done_on <= today:
                svc.complete_implementing_rule(clerk, r, done_on=done_on, document_title=done[3],
                                               document_number=done[4])
        year.at(today, rule)

    for title, y, body, method, findings, conclusion, done in D.EVALUATIONS:
        def evaluate(title=title, y=y, body=body, method=method, findings=findings, conclusion=conclusion, done=done):
            svc.add_evaluation(clerk, regs[title], year=y, body=body, method=method, findings=findings,
                               conclusion=conclusion, done_on=_d(*done))
        year.at(_d(*done), evaluate)

    comprehensive: dict = {}

    def open_2024():
        comprehensive["c"] = svc.create_cleanup(
            clerk, congress, title="2024年地方性法规全面清理", year=2024, scope=CleanupScope.COMPREHENSIVE,
            basis="根据全国人大常委会法工委关于做好地方性法规清理工作的要求，对本市现行有效的地方性法规进行全面清理，"
                  "重点清理与民法典、新修改的上位法不一致和不适应改革发展需要的规定。")
        for reg in comprehensive["c"].regulations.order_by("title"):
            outcome, reason = D.COMPREHENSIVE_2024.get(reg.title, ("keep", ""))
            comprehensive.setdefault("f", {})[reg.title] = svc.add_finding(clerk, comprehensive["c"], reg,
                                                                            outcome=outcome, reason=reason)
        svc.decide_cleanup(clerk, comprehensive["c"], decided_on=_d(2024, 12, 26))

    year.at(_d(2024, 9, 2), open_2024)
    repeal("北辰市城市照明管理条例", _d(2025, 2, 27), "")

    def follow_2024():
        for title, f in comprehensive.get("f", {}).items():
            if f.outcome == "keep":
                continue
            v = regs[title].versions.filter(adopted_on__gte=_d(2024, 9, 2)).exclude(action=Action.ENACT).first()
            if v is not None:
                svc.record_follow_up(clerk, f, version=v)

    year.at(_d(2025, 12, 1), follow_2024)

    def open_2025():
        chosen = [regs[t] for t, *_ in D.SPECIAL_2025 if t in regs]
        c = svc.create_cleanup(clerk, congress, title="涉及民营经济发展的地方性法规专项清理", year=2025,
                               scope=CleanupScope.SPECIAL, subject="涉及民营经济发展",
                               basis="贯彻《中华人民共和国民营经济促进法》，清理含有地方保护、市场分割、"
                                     "妨碍公平竞争内容的地方性法规。", regulations=chosen)
        for t, outcome, reason in D.SPECIAL_2025:
            if t in regs:
                f = svc.add_finding(clerk, c, regs[t], outcome=outcome, reason=reason)
                v = regs[t].versions.filter(adopted_on__gte=_d(2025, 6, 1), action=Action.AMEND_DECISION).first()
                if v is not None:
                    svc.record_follow_up(clerk, f, version=v)

    year.at(_d(2025, 9, 1), open_2025)
    year.run(today)
    # the implementing body's reports of the oldest regulations have come in; the newest are still due
    reported = RegulationVersion.objects.filter(regulation__congress=congress,
                                                implementation_report_due_on__lt=_d(2025, 1, 1))
    for v in reported:
        v.implementation_reported_on = v.implementation_report_due_on - dt.timedelta(days=rng.randint(1, 20))
        v.save(update_fields=["implementation_reported_on"])
