# ruff: noqa: E501  (long lines are Chinese sentences of demo data, kept whole to read)
"""The demo city's public comment: 30 基层立法联系点 across its districts (streets, communities,
companies, schools, a law firm, 行政村), clerks for two of them (the `lawpoint` account enters for
东风街道), and public comment on the drafts of the bills in reading: for a bill with an earlier draft,
a closed period on that draft, sorted, about 85% decided, adopted comments linked to the later
draft's articles and the summary published; an open period on each bill's latest draft.

`build_demo(builder)` runs after the bill area's demo and writes rows directly (a year that has
happened: dates in the past that the services refuse for new input). Until that demo exists it
falls back to two bills of its own (北辰市物业管理条例（修订草案）, 北辰市黄河流域生态保护条例（草案）).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import Role, User
from lvzhi.demo import data as D
from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.choices import BillState
from lvzhi.legislation.comment_models import (
    Channel,
    Comment,
    CommentPeriod,
    CommentSettings,
    ContactPointMeeting,
    Outcome,
    PeriodState,
    Verification,
)
from lvzhi.legislation.models import ContactPoint, Draft
from lvzhi.legislation.permissions import LEGISLATIVE_AFFAIRS

POINT_CLERK = "lawpoint"  # the demo account of 东风街道基层立法联系点's clerk

# (name, kind, district) — streets first: the 东风街道 one is the demo account's.
POINTS: list[tuple[str, str, str]] = [
    ("东风街道基层立法联系点", "街道", "城东区"), ("新华街道基层立法联系点", "街道", "城东区"),
    ("朝阳街道幸福里社区基层立法联系点", "社区", "城东区"), ("和平街道基层立法联系点", "街道", "城东区"),
    ("北辰热力集团有限公司基层立法联系点", "企业", "城东区"), ("北辰市第二中学基层立法联系点", "学校", "城东区"),
    ("西湖街道基层立法联系点", "街道", "城西区"), ("光明街道锦绣苑社区基层立法联系点", "社区", "城西区"),
    ("解放街道基层立法联系点", "街道", "城西区"), ("北辰律师协会基层立法联系点", "律师事务所", "城西区"),
    ("正衡律师事务所基层立法联系点", "律师事务所", "城西区"), ("北辰职业技术学院基层立法联系点", "学校", "城西区"),
    ("科创街道基层立法联系点", "街道", "高新区"), ("金桥街道云锦社区基层立法联系点", "社区", "高新区"),
    ("云谷街道基层立法联系点", "街道", "高新区"), ("北辰稀土新材料股份有限公司基层立法联系点", "企业", "高新区"),
    ("高新区物业服务企业联合会基层立法联系点", "企业", "高新区"), ("北湖街道基层立法联系点", "街道", "北湖区"),
    ("湖滨街道湿地社区基层立法联系点", "社区", "北湖区"), ("长青镇基层立法联系点", "乡镇", "北湖区"),
    ("北辰水务集团有限公司基层立法联系点", "企业", "北湖区"), ("北辰大学法学院基层立法联系点", "学校", "北湖区"),
    ("南山镇基层立法联系点", "乡镇", "南山县"), ("青石镇阿拉坦村基层立法联系点", "行政村", "南山县"),
    ("白云乡乌兰村基层立法联系点", "行政村", "南山县"), ("临河镇基层立法联系点", "乡镇", "临河县"),
    ("柳林镇沿河村基层立法联系点", "行政村", "临河县"), ("沙湾乡巴音村基层立法联系点", "行政村", "临河县"),
    ("临河县黄河滩区农牧民专业合作社基层立法联系点", "企业", "临河县"), ("临河县第一中学基层立法联系点", "学校", "临河县"),
]

# What people say, by the article of the first text they were written on; `_says` moves each to the
# article of the actual draft that speaks of the same thing.
PROPERTY_SAYS: dict[str, list[str]] = {
    "12": ["首次业主大会筹备太慢，建议把六十日缩短为三十日，并明确街道逾期不组织的责任。",
           "很多新小区交房好几年都没有成立业主大会，建议规定建设单位不报告的处罚。"],
    "13": ["建议电子投票要有实名核验，防止有人代投、刷票。", "老年业主不会用手机投票，建议保留纸质表决并上门征求意见。"],
    "15": ["业主委员会任期五年太长，建议改为三年，便于业主监督。", "建议业委会每届任期三年，连任不超过两届。",
           "建议业主委员会委员中应当有一定比例的党员和退休干部。"],
    "16": ["建议明确业主委员会委员收受物业公司好处的，业主可以要求罢免，并向街道举报。"],
    "17": ["业委会半年公布一次账目太少了，建议每季度公布，并在手机上能查到。", "建议业主委员会的经费收支要接受审计，审计结果向全体业主公开。"],
    "20": ["物业管理委员会的成员怎么产生不清楚，建议写明由社区、业主代表组成的程序。"],
    "22": ["很多老小区根本没有物业用房，建议规定老旧小区改造时统筹解决。"],
    "25": ["建议物业公司公示收费标准的同时公示服务人员名单和值班电话。", "物业公示的内容应当在业主群和信息平台同步发布。"],
    "26": ["物业费涨价前应当公布上一年度物业费的收支明细，让业主明明白白交费。",
           "物业费调整前必须公示上一年度物业服务费收支情况，否则业主不同意涨价。",
           "建议物业费收支情况由第三方审计，审计报告向业主公开。", "我们小区物业费三年涨了两次，服务却越来越差，建议规定调价间隔不少于三年。",
           "建议物业费实行质价相符，服务不达标的应当降价。"],
    "27": ["物业公司以停水停电催缴物业费的情况很常见，条例禁止得很好，建议加大处罚。",
           "建议对长期恶意拖欠物业费的业主纳入信用记录。"],
    "28": ["我们楼的电梯三天两头坏，物业说没钱修，建议规定物业每月公示电梯维保记录。",
           "电梯维保记录应当每月公示，业主有权查看维保单位的维保情况。", "建议老旧电梯更新改造由政府给予一定补贴。"],
    "29": ["小区车位只卖不租，租金还一年比一年高，建议规定车位租金上涨幅度。",
           "开发商把车位只售不租，业主没有车位停车，建议明确只售不租的处罚。",
           "小区车位只售不租，建议条例明确开发商必须出租车位并公示租金。",
           "建议地面公共车位的收费收益每年向业主公布，用于补充维修资金。", "建议车位出租租期不要太长，避免少数人长期占用。"],
    "31": ["物业公司被解聘后赖着不走的情况不少，建议明确街道和公安可以协助交接。"],
    "35": ["电动自行车在楼道充电太危险，建议小区必须建设集中充电设施。", "建议明确高空抛物的调查责任，物业应当配合安装监控。"],
    "36": ["电梯广告和快递柜的收入都被物业拿走了，建议规定共有部分收益每半年公布一次。",
           "小区电梯广告收益应当归全体业主，建议明确公布和分配办法。"],
    "37": ["供热管网入户前的部分经常漏水，建议明确热力公司的维修时限。"],
    "40": ["电梯坏了申请维修资金程序太复杂，要走好几个月，建议紧急情况五个工作日内审批。",
           "紧急使用维修资金的审批时限应当写进条例，建议不超过五个工作日。",
           "建议屋顶漏水、外墙脱落等紧急维修可以先修后补手续。"],
    "41": ["维修资金的使用情况一年公布一次太少，建议每半年公布，并能在网上查询本户余额。",
           "建议专项维修资金每半年公布一次，业主可以随时在信息平台查询。"],
    "42": ["维修资金续交标准不清楚，建议明确续交金额的计算方法。"],
    "": ["建议条例增加对老旧小区物业管理的专门规定，老旧小区没有物业的问题很突出。",
         "条例整体不错，建议增加对物业服务质量第三方评估的规定。", "建议增加关于物业服务企业退出交接的示范文本。"],
}
YELLOW_RIVER_SAYS: dict[str, list[str]] = {
    "7": ["建议与包头、鄂尔多斯的协同机制写得更具体，比如联合执法的启动程序和信息共享平台。"],
    "11": ["一公里范围禁止新建化工项目很好，建议对已有的化工企业规定搬迁改造期限。",
           "建议明确干流岸线一公里的起算点，是从堤防还是从水边线算。"],
    "13": ["建议湿地保护名录每年更新一次，并在湿地周边设立明显标志。"],
    "14": ["湿地里放牧对牧民影响很大，建议禁止放牧的同时给予草场补贴。",
           "建议湿地禁牧要给牧民过渡期和生态补偿，不要一刀切。", "湿地周边有人偷偷挖沙取土，建议加大巡查力度。"],
    "16": ["禁渔期的具体时间建议在条例里写明，方便群众知晓。", "建议禁渔期内允许休闲垂钓但要限制数量。"],
    "17": ["建议明确生态补水的水量保障，枯水期也要保证湿地用水。"],
    "19": ["生态补偿标准太笼统，建议写明补偿的对象、标准和发放方式。",
           "建议生态保护补偿向退牧还草的农牧民倾斜，标准每三年调整一次。"],
    "21": ["累进加价对农业用水要区别对待，不要增加农牧民负担。"],
    "22": ["推广滴灌很好，但设备投入大，建议政府给予补贴并提供技术指导。"],
    "24": ["地下水超采区的范围建议向社会公布，并明确已有机井的关停时间表。"],
    "26": ["河边还有企业偷偷排污，建议排污口整治要有时限，并公开整治进度。",
           "建议排污口整治进度每季度向社会公开，接受群众监督。", "建议偷排行为实行按日连续处罚。"],
    "27": ["农村牧区的污水收集处理还很薄弱，建议明确管网延伸的时间表。", "城乡结合部污水直排河道的问题突出，建议加快管网建设。"],
    "28": ["畜禽粪污资源化利用建议给养殖户补贴，不然小散户做不到。"],
    "30": ["水质自动监测的数据建议实时公开，让老百姓在手机上能看到。", "建议跨界断面水质数据与包头、鄂尔多斯共享并每月公开。"],
    "34": ["堤防上晒粮食是多年的习惯，建议划定专门的晒场，给群众出路。"],
    "35": ["河道采砂问题很严重，建议规定采砂现场必须安装监控并联网。"],
    "37": ["举报奖励的标准建议写清楚，最好规定最低奖励金额。"],
    "38": ["湿地开垦的罚款标准偏低，建议提高到每平方米一千元以上。"],
    "": ["建议条例增加黄河文化保护的内容，把沿黄的历史遗迹一并保护。",
         "建议设立黄河生态保护志愿者制度，鼓励群众参与巡河护河。", "条例总体很好，建议增加对沿黄旅游开发的约束性规定。"],
}
GENERIC_SAYS = ["建议进一步细化本条的表述，明确责任主体和办理时限。", "本条规定较原则，建议增加可操作的具体措施。",
                "建议本条与上位法的表述保持一致，避免执行中产生歧义。"]
OPENERS = ["", "", "", "我是小区业主，", "作为一名退休职工，", "我在社区工作多年，", "看了草案，", "提个意见：", "个人认为，"]
CLOSERS = ["", "", "", "希望采纳。", "谢谢！", "请立法机关考虑。", "这是很多居民的共同心声。"]
NOT_REASONS = ["上位法已有明确规定，本条例不再重复规定", "属于具体执行问题，已转市住房和城乡建设局研究办理",
               "该意见涉及的事项不属于地方立法权限", "与上位法规定不一致，不宜采纳", "可在配套规范性文件中予以明确"]
PARTLY_REASONS = ["吸收了意见的主要内容，具体标准由配套文件规定", "部分吸收，时限要求作了调整",
                  "采纳公开的要求，审计的具体办法另行规定"]
NAMES_FOR_POINTS = ["居民代表", "楼栋长", "业主", "物业项目经理", "退休教师", "个体工商户", "牧民", "村民代表", "律师", "教师"]


def _rng(builder: Any) -> random.Random:
    return getattr(builder, "rng", None) or random.Random(20260110)


def _points(builder: Any) -> list[ContactPoint]:
    city = builder.city
    today = builder.today
    existing = {p.name for p in ContactPoint.objects.filter(congress=city)}
    rng = _rng(builder)
    addresses = {d: streets for d, _n, streets, _c in D.DISTRICTS}
    new = []
    for i, (name, kind, district) in enumerate(POINTS):
        if name in existing:
            continue
        street = next((s for s in addresses.get(district, []) if s in name), district)
        place = name.removesuffix("基层立法联系点")
        new.append(ContactPoint(congress=city, name=name, kind=kind, district=district,
                                address=f"{district}{street}党群服务中心" if kind in ("街道", "社区") else f"{district}{place}",
                                contact_name=rng.choice(D.SURNAMES) + rng.choice(["丽", "军", "敏", "强", "芳", "伟"]),
                                established_on=today.replace(year=today.year - 1 - i % 3, month=1 + i % 12, day=15)))
    ContactPoint.objects.bulk_create(new)
    return list(ContactPoint.objects.filter(congress=city).order_by("pk"))


def _clerks(builder: Any, points: list[ContactPoint]) -> list[User]:
    """Two contact points' clerks. A contact point is outside the standing committee's bodies: its
    account is a clerk with no organization, so it holds no office of any case kind and sees its own
    point's pages (comment_permissions.own_contact_points), not the sorting pages."""
    password = getattr(builder, "password_hash", None) or make_password(D.DEMO_PASSWORD)
    out = []
    for username, name, point in ((POINT_CLERK, "刘晓红", points[0]), ("cp02_clerk", "白音", points[23])):
        user, _ = User.objects.get_or_create(username=username, defaults=dict(
            role=Role.CLERK, display_name=name, congress=builder.city, password=password,
            must_change_password=False))
        point.clerk, point.contact_name = user, name
        point.save(update_fields=["clerk", "contact_name"])
        out.append(user)
    return out


def _drafts(builder: Any) -> list[Draft]:
    latest: dict[int, Draft] = {}
    for d in Draft.objects.filter(bill__congress=builder.city, bill__state=BillState.IN_READING).order_by("pk"):
        latest[d.bill_id] = d
    return list(latest.values())  # the two bills the plan demo leaves in reading


def _says(draft: Draft) -> dict[str, list[str]]:
    title = draft.bill.regulation.title
    keys = {a.key for a in draft.parsed().articles}
    pool = PROPERTY_SAYS if "物业" in title else YELLOW_RIVER_SAYS if "黄河" in title else None
    if pool is not None:
        # what people say goes to the article of this draft that speaks of the same thing: the
        # drafts' numbering is the bill's, not the one the sayings were written against
        arts = draft.parsed().articles
        grams = {a.key: _bigrams(a.text) for a in arts}
        out: dict[str, list[str]] = {}
        for key, texts in pool.items():
            if key == "" or not arts:
                out.setdefault("", []).extend(texts)
                continue
            said = set().union(*(_bigrams(t) for t in texts))
            best = max(arts, key=lambda a: (len(said & grams[a.key]), a.key == key))
            out.setdefault(best.key if best.key in keys else "", []).extend(texts)
        return out
    arts = draft.parsed().articles
    return {a.key: GENERIC_SAYS for a in arts[1:len(arts):max(1, len(arts) // 8)]}


_COMMON = set("的和应当本条例市有关部门人民政府")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if not (set(text[i:i + 2]) & _COMMON)}


class _Receipts:
    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set(Comment.objects.values_list("receipt", flat=True))

    def __call__(self) -> str:
        while True:
            code = "".join(self.rng.choice(svc.RECEIPT_ALPHABET) for _ in range(svc.RECEIPT_LENGTH))
            if code not in self.used:
                self.used.add(code)
                return code


def _at(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.randint(0, 59))))


def _text(rng: random.Random, base: str) -> str:
    return f"{rng.choice(OPENERS)}{base}{rng.choice(CLOSERS)}"


def _period(builder: Any, draft: Draft, *, opens_on: dt.date, n: int, decided: float, closed: bool,
            later: Draft | None, clerk: User | None, points: list[ContactPoint], people: dict[str, list[User]],
            receipts: _Receipts) -> CommentPeriod:
    rng = _rng(builder)
    today = builder.today
    days = svc.min_days(builder.city.pk)
    closes_on = opens_on + dt.timedelta(days=days - 1)
    period = CommentPeriod.objects.create(
        congress=builder.city, draft=draft, opens_on=opens_on, closes_on=closes_on, channels=list(Channel.values),
        verification=Verification.ARITHMETIC, opened_by=clerk, state=PeriodState.OPEN,
        opened_at=timezone.make_aware(dt.datetime.combine(opens_on, dt.time(9))),
        note=f"为增强立法的公开性和透明度，现将《{draft.bill.regulation.title}》{draft.label}全文公布，征求社会各界意见。"
             "可以在本页逐条提出意见，也可以通过所在地的基层立法联系点、人大代表反映。")
    says = _says(draft)
    keys = list(says)
    weights = [len(says[k]) * (3 if k in ("26", "29", "14", "26", "40") else 1) for k in keys]
    last = min(today, closes_on)
    rows: list[Comment] = []

    def add(channel: str, **kw: Any) -> None:
        key = kw.pop("key", None) or rng.choices(keys, weights)[0]
        rows.append(Comment(period=period, article_key=key, submitted_key=key, channel=channel,
                            text=_text(rng, rng.choice(says[key])), receipt=receipts(), **kw))

    portal = int(n * 0.62)
    for i in range(portal):
        c_at = _at(rng, opens_on, last)
        add(Channel.PORTAL, created_at=c_at, name=rng.choice(["", "", "王女士", "李先生", "张师傅", "刘老师"]),
            ip_hash=sm3_hex(f"demo-ip:{i % (portal // 2 + 1)}"))
    for user in rng.sample(people["deputy"], min(len(people["deputy"]), int(n * 0.1))):
        add(Channel.DEPUTY, created_at=_at(rng, opens_on, last), author=user, name=user.name)
    for user in people["committee"][:3] + rng.sample(people["unit"], min(len(people["unit"]), 5)):
        channel = Channel.COMMITTEE if user.role == Role.COMMITTEE_STAFF else Channel.UNIT
        add(channel, created_at=_at(rng, opens_on, last), author=user, name=user.name, organization=user.organization)
    meetings = []
    for point in rng.sample(points, 10) + [points[0], points[23]]:
        held = opens_on + dt.timedelta(days=rng.randint(3, max(3, (last - opens_on).days)))
        if held > last:
            continue
        meetings.append(ContactPointMeeting(contact_point=point, period=period, held_on=held,
                                            place=point.address or point.name, participants=rng.randint(8, 35),
                                            entered_by=point.clerk, created_at=_at(rng, held, held)))
    ContactPointMeeting.objects.bulk_create(meetings)
    for m in meetings:
        for _ in range(rng.randint(3, 7)):
            add(Channel.CONTACT_POINT, created_at=m.created_at, contact_point=m.contact_point, meeting=m,
                author=m.contact_point.clerk, name=rng.choice(NAMES_FOR_POINTS))
    for c in rows[: max(1, portal // 5)]:
        c.contact = f"139{rng.randint(10000000, 99999999)}"
    Comment.objects.bulk_create(rows)
    # Duplicates grouped by the real similar module, as the clerk's button does.
    if clerk is not None:
        svc.group_duplicates(clerk, period, now=timezone.make_aware(dt.datetime.combine(last, dt.time(17))))
    _decide(builder, period, decided, later, clerk)
    if closed:
        period.state = PeriodState.CLOSED
        period.closed_at = timezone.make_aware(dt.datetime.combine(closes_on + dt.timedelta(days=1), dt.time(0, 5)))
        period.save(update_fields=["state", "closed_at"])
        if decided >= 0.8:
            period.summary = svc.summary_text(period)
            period.summary_published_at = timezone.make_aware(dt.datetime.combine(closes_on + dt.timedelta(days=20),
                                                                                  dt.time(10)))
            period.state = PeriodState.PUBLISHED
            period.save(update_fields=["summary", "summary_published_at", "state"])
    return period


def _decide(builder: Any, period: CommentPeriod, share: float, later: Draft | None, clerk: User | None) -> None:
    rng = _rng(builder)
    heads = list(Comment.objects.filter(period=period, duplicate_of__isnull=True).order_by("created_at", "pk"))
    changed = {a.key for a in later.parsed().articles if period.draft.parsed().get(a.key) is None
               or period.draft.parsed().get(a.key).text != a.text} if later else set()
    when = timezone.make_aware(dt.datetime.combine(min(builder.today, period.closes_on), dt.time(16)))
    for head in rng.sample(heads, int(len(heads) * share)):
        if head.article_key in changed:
            outcome = rng.choice([Outcome.ADOPTED, Outcome.PARTLY, Outcome.NOT_ADOPTED])
        else:
            outcome = rng.choice([Outcome.NOT_ADOPTED, Outcome.NOT_ADOPTED, Outcome.NOT_ADOPTED, Outcome.PARTLY])
        reason = {Outcome.ADOPTED: "", Outcome.PARTLY: rng.choice(PARTLY_REASONS),
                  Outcome.NOT_ADOPTED: rng.choice(NOT_REASONS)}[outcome]
        link = later if later and head.article_key in changed and outcome != Outcome.NOT_ADOPTED else None
        extra = [k for k in changed if k.startswith(f"{head.article_key}-")] if link else []
        fields = dict(outcome=outcome, reason=reason, decided_by=clerk, decided_at=when, adopted_in=link,
                      adopted_keys=",".join([head.article_key, *extra]) if link else "")
        Comment.objects.filter(pk=head.pk).update(**fields)
        Comment.objects.filter(duplicate_of=head).update(**fields)


def build_demo(builder: Any) -> None:
    city = builder.city
    today = builder.today
    rng = _rng(builder)
    with transaction.atomic():
        CommentSettings.objects.update_or_create(congress=city, defaults={"verification": Verification.ARITHMETIC,
                                                                          "per_hour": 5})
        points = _points(builder)
        _clerks(builder, points)
        clerk = User.objects.filter(congress=city, role=Role.CLERK,
                                    organization__function=LEGISLATIVE_AFFAIRS).order_by("pk").first()
        people = {"deputy": list(User.objects.filter(congress=city, role=Role.DEPUTY).order_by("pk")[:80]),
                  "committee": list(User.objects.filter(congress=city, role=Role.COMMITTEE_STAFF,
                                                        organization__isnull=False).order_by("pk")),
                  "unit": list(User.objects.filter(congress=city, role=Role.UNIT_HANDLER,
                                                   organization__isnull=False).order_by("pk")[:20])}
        receipts = _Receipts(rng)
        for i, draft in enumerate(_drafts(builder)):
            earlier = Draft.objects.filter(bill=draft.bill, pk__lt=draft.pk).order_by("-pk").first()
            # the first bill shows a whole round (an earlier period decided and fed back into this draft)
            if earlier is not None and i == 0:
                _period(builder, earlier, opens_on=today - dt.timedelta(days=95), n=150, decided=0.85, closed=True,
                        later=draft, clerk=clerk, points=points, people=people, receipts=receipts)
                _period(builder, draft, opens_on=today - dt.timedelta(days=6), n=70, decided=0.0, closed=False,
                        later=None, clerk=clerk, points=points, people=people, receipts=receipts)
            else:
                _period(builder, draft, opens_on=today - dt.timedelta(days=18 + i), n=140, decided=0.15,
                        closed=False, later=None, clerk=clerk, points=points, people=people, receipts=receipts)
