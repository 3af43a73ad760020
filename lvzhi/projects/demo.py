"""Demo year for 民生实事项目 (Section demo): two district congresses of the demo city each run a
round — ideas from the public, deputies and departments (征集), the government's candidates (初定),
its explanation (审议), the vote (票决) — then the chosen projects' milestones, funds, mid-year
report and the year-end grading. 城东区 deputies vote on their phones (one ballot over N marks is
invalid); 城西区 counts paper ballots entered twice by two clerks (one mismatch refused first).

Every write goes through lvzhi.projects.services, so the counts and results are the services' own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Count

from lvzhi.core.models import Congress, CongressLevel, Organization, OrganizationKind, Role, Term, User
from lvzhi.deputies import activity_services
from lvzhi.deputies.activity_models import ActivityKind
from lvzhi.deputies.models import Delegation, Deputy, Gender
from lvzhi.projects import services
from lvzhi.projects.models import IdeaSource, LivelihoodProject, ProjectRound, Stage, Threshold, TieRule
from lvzhi.votes.ballots import VoteRefused

PASSWORD = "Lvzhi@2026"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰红建国志文斌宏波辉鹏飞雪梅琳晓东海燕"
DEPARTMENTS = ["民政局", "住房和城乡建设局", "城市管理综合执法局", "教育局", "商务局", "水务局", "卫生健康委员会",
               "交通运输局"]
# (title template, budget 万元, department, expected): {s} a street of the district.
POOL: list[tuple[str, int, str, str]] = [
    ("{s}区域养老服务中心建设", 4200, "民政局", "新增养老床位120张，为辖区老年人提供日间照料、助餐助浴和康复护理服务"),
    ("{s}老旧小区综合改造", 8600, "住房和城乡建设局", "改造老旧小区18个、楼栋96栋，完成外墙保温、屋面防水和管网更新，"
     "惠及居民4200户"),
    ("{s}背街小巷整治", 3100, "城市管理综合执法局", "整治背街小巷26条，修复路面、规范停车、补齐路灯，消除积水点"),
    ("中小学校供暖设施改造", 5200, "教育局", "改造12所中小学校供暖管网和换热站，冬季教室温度稳定达到18℃以上"),
    ("{s}社区老年食堂建设", 1800, "民政局", "新建社区食堂8处，为60岁以上老人提供平价助餐，日供餐能力1500人次"),
    ("{s}口袋公园建设", 2400, "住房和城乡建设局", "利用边角地新建口袋公园10处，新增绿地3.2万平方米，居民步行5分钟可达"),
    ("{s}农贸市场提升改造", 3600, "商务局", "改造标准化农贸市场4个，完善冷链、排水和消防设施，实行明码标价和溯源管理"),
    ("居住区公共停车泊位建设", 4800, "交通运输局", "新增公共停车泊位2600个，建设智慧停车引导系统，缓解老旧小区停车难"),
    ("城区公厕提升改造", 1500, "城市管理综合执法局", "改造公厕40座，增设第三卫生间和冬季保温设施，实行24小时开放"),
    ("老旧供水管网更新改造", 7200, "水务局", "更新老旧供水管网46公里，管网漏损率降至9%以下，解决高层住户水压不足"),
    ("{s}社区卫生服务站标准化建设", 2100, "卫生健康委员会", "改造社区卫生服务站9个，"
     "配齐全科诊室、中医馆和慢病管理设备"),
    ("既有住宅加装电梯", 3900, "住房和城乡建设局", "为老旧住宅加装电梯60部，方便高龄和行动不便居民出行"),
    ("冬季清雪除冰能力提升", 1300, "城市管理综合执法局", "购置小型清雪设备30台，背街小巷和人行道雪后24小时内清理完毕"),
    ("{s}雨污分流改造", 6400, "水务局", "完成雨污分流改造管线28公里，消除汛期内涝点7处"),
    ("普惠托育服务点建设", 1700, "卫生健康委员会", "新建普惠托育点6处，新增托位360个，收费低于市场价三成"),
    ("{s}全民健身场地建设", 1200, "教育局", "新建多功能运动场12处，学校体育场地课后向社会免费开放"),
]
MILESTONES = [("方案设计和招标", 1), ("开工建设", 2), ("主体工程完工", 4), ("竣工验收", 2)]
PUBLIC_IDEAS = [
    ("小区没有电梯，老人上下楼太难", "我们小区都是六层老楼，住了很多七八十岁的老人，希望政府支持加装电梯。"),
    ("希望附近建个老年食堂", "家里老人自己做饭不方便，附近没有吃饭的地方，希望社区开办老年食堂。"),
    ("冬天学校教室太冷", "孩子所在学校暖气管道老化，冬天教室里穿棉袄上课，希望改造供暖。"),
    ("背街小巷路面坑洼、晚上没有路灯", "小巷子路面破损严重，下雨积水，晚上黑，希望尽快整治。"),
    ("老小区停车难", "小区车位太少，车停在消防通道上，希望周边建公共停车场。"),
    ("菜市场环境脏乱差", "菜市场地面湿滑、没有排水，夏天气味大，希望提升改造。"),
    ("家门口想要个小公园", "附近没有公园，老人孩子没地方活动，希望利用空地建口袋公园。"),
    ("自来水水压低、经常发黄", "高层住户白天水压不够，水有时发黄，希望更换老旧管网。"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _district(city: Congress, name: str) -> Congress:
    # The builder creates the county-level congresses; a smaller world (tests) may not have them.
    return Congress.objects.filter(parent=city, short_name=f"{name}人大").first() or Congress.objects.create(
        name=f"{city.short_name.removesuffix('人大')}{name}人民代表大会", short_name=f"{name}人大",
        level=CongressLevel.COUNTY, parent=city)


def _marks(targets: list[int], voters: int, per_voter: int) -> list[list[int]]:
    """Ballots giving candidate i exactly targets[i] marks: each mark to the voters with fewest so far."""
    ballots: list[list[int]] = [[] for _ in range(voters)]
    for i in sorted(range(len(targets)), key=lambda k: -targets[k]):
        order = sorted(range(voters), key=lambda v: (len(ballots[v]), v))[:targets[i]]
        for v in order:
            ballots[v].append(i)
    assert all(1 <= len(b) <= per_voter for b in ballots)
    return ballots


class _District:
    def __init__(self, builder, city: Congress, name: str, streets: list[str], prefix: str, year: int,
                 rng: random.Random, password_hash: str) -> None:
        self.b, self.name, self.streets, self.prefix, self.year, self.rng = builder, name, streets, prefix, year, rng
        self.congress = c = _district(city, name)
        self.term = Term.objects.filter(congress=c).first() or Term.objects.create(
            congress=c, number=12, start_on=dt.date(year - 4, 1, 5))
        gov = Organization.objects.create(congress=c, kind=OrganizationKind.UNIT, name=f"{name}人民政府",
                                          short_name=f"{name}政府", field="其他", sort_order=1)
        self.units = {d: Organization.objects.create(congress=c, kind=OrganizationKind.UNIT, name=f"{name}{d}",
                                                     short_name=f"{name[:2]}{d[:2]}", field="其他", sort_order=i)
                      for i, d in enumerate(DEPARTMENTS, start=2)}

        def user(username: str, role: str, display: str, org: Organization | None = None) -> User:
            return User.objects.create(username=f"{prefix}_{username}", role=role, display_name=display, congress=c,
                                       organization=org, password=password_hash, must_change_password=False)

        office = Organization.objects.create(congress=c, kind=OrganizationKind.WORKING_BODY,
                                             name=f"{name}人大常委会办公室", short_name="办公室", sort_order=20)
        self.clerk = user("clerk", Role.CLERK, _name(rng), office)
        self.clerk2 = user("clerk2", Role.CLERK, _name(rng), office)
        self.gov = user("gov", Role.UNIT_HANDLER, _name(rng), gov)
        self.password_hash = password_hash

    def deputies(self, n: int, *, accounts: bool) -> list[Deputy]:
        groups = {s: Delegation.objects.create(congress=self.congress, name=f"{s}代表组") for s in self.streets}
        users = [User(username=f"{self.prefix}_d{i:03d}", role=Role.DEPUTY, display_name=_name(self.rng),
                      congress=self.congress, password=self.password_hash, must_change_password=False)
                 for i in range(1, n + 1)] if accounts else []
        if users:
            User.objects.bulk_create(users)
            users = list(User.objects.filter(congress=self.congress, role=Role.DEPUTY).order_by("username"))
        rows = [Deputy(congress=self.congress, term=self.term, user=users[i] if users else None,
                       name=users[i].display_name if users else _name(self.rng),
                       gender=Gender.FEMALE if self.rng.random() < 0.4 else Gender.MALE,
                       occupation=f"{self.streets[i % len(self.streets)]}居民代表",
                       delegation=groups[self.streets[i % len(self.streets)]]) for i in range(n)]
        Deputy.objects.bulk_create(rows)
        return list(Deputy.objects.filter(congress=self.congress).select_related("user").order_by("id"))

    def round(self, n: int, places: int, deputies: list[Deputy]) -> ProjectRound:
        y, rng = self.year, self.rng
        rnd = services.create_round(self.clerk, self.congress, year=y, places=places,
                                    threshold=Threshold.ALL_DEPUTIES, tie_rule=TieRule.REVOTE)
        ideas = []
        for title, content in PUBLIC_IDEAS:
            ideas.append(services.submit_idea(rnd, source=IdeaSource.PUBLIC, title=title, content=content,
                                              district=f"{self.name}{rng.choice(self.streets)}",
                                              proposer_name=rng.choice(SURNAMES) + rng.choice("先生女士"),
                                              proposer_phone=f"139{rng.randrange(10**8):08d}"))
        with_accounts = [d for d in deputies if d.user_id]
        pool = POOL[:n] if n <= len(POOL) else POOL
        for k, (tpl, _b, dept, expected) in enumerate(pool):
            street = self.streets[k % len(self.streets)]
            title = tpl.format(s=street)
            if k % 3 == 0 and with_accounts:
                ideas.append(services.submit_idea(rnd, source=IdeaSource.DEPUTY, title=f"建议实施{title}",
                                                  content=f"{street}群众反映强烈，建议列入{y}年民生实事。{expected}。",
                                                  user=with_accounts[k % len(with_accounts)].user))
            elif k % 3 == 1:
                ideas.append(services.submit_idea(rnd, source=IdeaSource.DEPARTMENT, title=title,
                                                  content=f"{self.name}{dept}申报：{expected}。", user=self.gov))
        services.advance(self.clerk, rnd, Stage.SCREENING)
        for k, (tpl, budget, dept, expected) in enumerate(pool):
            street = self.streets[k % len(self.streets)]
            title = tpl.format(s=street)
            words = [w for w in ("养老", "食堂", "供暖", "小巷", "停车", "菜市场", "公园", "水", "电梯") if w in title]
            src = [i for i in ideas if i.title.endswith(title) or any(w in i.title for w in words[:1])]
            start = dt.date(y, 3, 1) + dt.timedelta(days=7 * (k % 8))
            end = [dt.date(y, 10, 31), dt.date(y, 12, 31), dt.date(y, 11, 30)][k % 3]
            services.add_candidate(self.gov, rnd, title=title, budget_wan=Decimal(budget + 100 * rng.randint(-5, 5)),
                                   department=self.units[dept], location=f"{self.name}{street}", start_on=start,
                                   end_on=end, expected=expected, ideas=src[:3])
        services.set_explanation(self.gov, rnd, (
            f"{self.name}人民政府在广泛征集群众、人大代表和有关部门意见建议的基础上，经梳理、论证和财力评估，"
            f"提出{y}年民生实事候选项目{n}个，按照差额票决的要求，提请区人民代表大会票决产生{places}个正式项目。"
            "候选项目聚焦养老、教育、城市更新和冬季民生保障，资金已纳入年度预算统筹安排。"))
        return services.advance(self.clerk, rnd, Stage.REVIEW)

    def implement(self, rnd: ProjectRound, today: dt.date) -> None:
        """Milestones, funds, mid-year report: the first ranks completed, the middle on track, the last lagging."""
        projects = list(rnd.projects.select_related("candidate").order_by("rank"))
        n = len(projects)
        for p in projects:
            c = p.candidate
            span = (c.end_on - c.start_on).days
            state = "completed" if p.rank <= n * 2 // 5 else ("lagging" if p.rank > n - 2 else "on_track")
            if state == "completed":  # a completed project finishes by the end of October
                c_end = min(c.end_on, dt.date(self.year, 10, 31))
                span = (c_end - c.start_on).days
            shares = [0.12, 0.35, 0.75, 1.0]
            ms = [services.add_milestone(self.gov, p, title=t, weight=w,
                                         planned_on=c.start_on + dt.timedelta(days=int(span * s)))
                  for (t, w), s in zip(MILESTONES, shares, strict=True)]
            for m in ms:
                if state == "lagging" and m.title != MILESTONES[0][0] and m.title != MILESTONES[1][0]:
                    break  # 主体工程 overdue: behind time
                if m.planned_on > today:
                    break
                done = min(m.planned_on + dt.timedelta(days=self.rng.randint(-6, 8)), today)
                services.complete_milestone(self.gov, m, done, today=today)
            share = {"completed": (92, 99), "on_track": (60, 82), "lagging": (28, 45)}[state]
            services.record_funds(self.gov, p, (c.budget_wan * self.rng.randint(*share) / 100).quantize(Decimal("1")))
        lagging = [p.candidate.title for p in projects if services.is_lagging(p, today)]
        services.set_mid_report(self.clerk, rnd, (
            f"区人大常委会组织代表对{rnd.year}年{n}个民生实事项目开展年中视察。总体看，各责任单位认真落实票决结果，"
            "项目建设有序推进。" + (f"其中{'、'.join(lagging)}进度滞后，主要是征拆协调和管网迁改耗时较长，"
                             "建议责任单位倒排工期、加强调度，确保年底前完成。" if lagging else "")),
            min(dt.date(rnd.year, 7, 15), today))


def _inspections(d: _District, rnd: ProjectRound, deputies: list[Deputy], today: dt.date) -> None:
    """Deputies' 视察 of the projects, recorded as duty activities (each waits for the deputy's 确认)."""
    projects = list(rnd.projects.select_related("candidate").order_by("rank"))
    visits = [(min(dt.date(rnd.year, 7, 10), today), projects[:5], "年中视察"),
              (min(dt.date(rnd.year, 11, 12), today), [p for p in projects if services.is_lagging(p, today)]
               or projects[-2:], "专题视察进度滞后项目")]
    for k, (day, group, what) in enumerate(visits):
        titles = "、".join(p.candidate.title for p in group)
        present = deputies[k * 12:k * 12 + 10]
        activity_services.record(d.clerk, {
            "kind": ActivityKind.INSPECTION, "title": f"{rnd.year}年民生实事项目{what}", "held_on": day,
            "place": "、".join(sorted({p.candidate.location for p in group})),
            "summary": f"代表实地察看{titles}，听取责任单位汇报，就工期、资金和群众意见提出建议。",
            "hours": Decimal(3)}, activity_services.Roll(present=present, leave=deputies[k * 12 + 10:k * 12 + 11],
                                                        leave_reason="外出开会"))


def build(builder) -> None:
    city: Congress = builder.city
    today: dt.date = getattr(builder, "latest", None) or builder.today
    year = today.year
    rng = random.Random(2026)
    password_hash = getattr(builder, "password_hash", None) or make_password(PASSWORD)
    from lvzhi.demo import data as D

    streets = {d: s for d, _n, s, _a in D.DISTRICTS}
    # 城东区: deputies on their phones.
    a = _District(builder, city, "城东区", streets["城东区"], "cd", year, rng, password_hash)
    deps_a = a.deputies(40, accounts=True)
    rnd_a = a.round(12, 10, deps_a)
    box = services.open_vote(a.clerk, rnd_a)
    voters = [d.user for d in deps_a][:38]  # two deputies away
    targets = [36, 35, 33, 32, 31, 29, 28, 27, 25, 23, 14, 9]
    for user, marks in zip(voters[:37], _marks(targets, 37, 10), strict=True):
        services.cast(box, user, [box.choices[i][0] for i in marks])
    services.cast(box, voters[37], [c for c, _l in box.choices[:11]])  # 11 of 10: invalid
    services.close_vote(a.clerk, box, present=38)
    rnd_a.refresh_from_db()
    a.implement(rnd_a, today)
    _inspections(a, rnd_a, deps_a, today)
    # Year-end grading on the deputies' phones: completed projects mostly 满意, lagging ones less.
    boxes = services.open_grading(a.clerk, rnd_a)
    for g in boxes:
        p = g.project
        bad = 0.25 if services.is_lagging(p, today) else 0.04
        for user in voters[:36]:
            r = rng.random()
            services.grade(user, g, "unsatisfied" if r < bad else ("basic" if r < bad + 0.25 else "satisfied"))
    services.close_grading(a.clerk, rnd_a)
    # 城西区: paper ballots, entered twice by two clerks.
    b = _District(builder, city, "城西区", streets["城西区"], "cx", year, rng, password_hash)
    b.deputies(45, accounts=False)
    rnd_b = b.round(15, 12, [])
    box_b = services.open_vote(b.clerk, rnd_b, paper=True)
    targets_b = [41, 40, 38, 37, 36, 35, 33, 32, 30, 29, 27, 25, 18, 14, 10]
    counts = {box_b.choices[i][0]: t for i, t in enumerate(targets_b)}
    services.enter_paper(b.clerk, box_b, cast_n=44, invalid=2, counts=counts)
    wrong = dict(counts, **{box_b.choices[0][0]: 40})
    with contextlib.suppress(VoteRefused):  # the second clerk's first count is off by one: refused, recounted
        services.enter_paper(b.clerk2, box_b, cast_n=44, invalid=2, counts=wrong)
    services.enter_paper(b.clerk2, box_b, cast_n=44, invalid=2, counts=counts)
    rnd_b.refresh_from_db()
    b.implement(rnd_b, today)


def summary(congress: Congress) -> str:
    rounds = (ProjectRound.objects.filter(congress__parent=congress).select_related("congress")
              .annotate(n=Count("candidates", distinct=True)).order_by("congress_id"))
    parts = [f"{r.congress.short_name}{r.n}选{r.places}" for r in rounds]
    chosen = LivelihoodProject.objects.filter(round__congress__parent=congress).count()
    projects = list(LivelihoodProject.objects.filter(round__congress__parent=congress)
                    .select_related("candidate").prefetch_related("milestones"))
    done = sum(1 for p in projects if p.completed_on)
    behind = sum(1 for p in projects if services.is_lagging(p))
    return (f"区级票决 {len(parts)} 个（{'、'.join(parts)}），民生实事项目 {chosen} 个，"
            f"已完成 {done} 个、进度滞后 {behind} 个")
