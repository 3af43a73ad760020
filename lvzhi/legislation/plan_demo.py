"""The demo city's legislative year: this year's plan (5 正式项目, 6 预备项目, 8 调研项目, one
research item added mid-year and one reserve item dropped), the deputies' motions linked to the
items that answer them, ~160 legislative suggestions of last year (the plan's sources) and ~40 of
this year so far, and bills in every stage, written through lvzhi.legislation.bills:

- 北辰市历史建筑保护条例: three readings, approved, published and in force;
- 北辰市养犬管理条例（修改）: two readings (with the reason), approved, awaiting publication;
- 北辰市电动自行车管理条例: three readings, submitted for approval;
- 北辰市物业管理条例（修订草案） and 北辰市黄河流域生态保护条例（草案）: exactly the two bills
  审议中, their 一审 held and a draft labelled 草案（征求意见稿） (the comment area opens public
  comment on them).

Runs after the registry's demo: existing regulations are looked up by title (and entered with their
first version only when the registry did not); new ones are created by open_bill. Deterministic
(builder.rng), dates relative to builder.today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.models import Case
from lvzhi.core.models import Organization, User
from lvzhi.legislation import bills
from lvzhi.legislation import plan_demo_texts as T
from lvzhi.legislation.choices import Action, Field, RegulationStatus
from lvzhi.legislation.models import Bill, ContactPoint, Regulation
from lvzhi.legislation.plan_models import (
    ItemKind,
    LegislativePlan,
    LegislativeSuggestion,
    PlanAdjustment,
    PlanAdjustmentKind,
    PlanItem,
    PlanState,
    SuggestionChannel,
    SuggestionOutcome,
)
from lvzhi.legislation.versions import record_version

K = ItemKind
ENACT, REVISE, AMEND = Action.ENACT, Action.REVISE, Action.AMEND
R2, READY = "10月一审、次年二审", "条件成熟时提请审议"
CJ, FZ, JKW, SH = "城乡建设环境与资源保护委员会", "法制委员会", "教育科学文化卫生委员会", "社会建设委员会"
# (title, kind, action, existing regulation, drafting body, committee, planned readings, motion keywords)
ITEMS: list[tuple[str, str, str, str, str, str, str, tuple[str, ...]]] = [
    ("北辰市物业管理条例（修订）", K.FORMAL, REVISE, "北辰市物业管理条例", "市住房和城乡建设局", CJ, R2, ("物业",)),
    ("北辰市黄河流域生态保护条例", K.FORMAL, ENACT, "", "市生态环境局", CJ, R2, ("黄河", "湿地")),
    ("北辰市养犬管理条例（修改）", K.FORMAL, AMEND, "北辰市养犬管理条例", "市公安局", FZ, "二审", ("养犬", "犬")),
    ("北辰市历史建筑保护条例", K.FORMAL, ENACT, "", "市住房和城乡建设局", JKW, "三审", ("历史文化", "历史建筑")),
    ("北辰市电动自行车管理条例", K.FORMAL, ENACT, "", "市公安局", FZ, "二审、三审", ("电动自行车",)),
    ("北辰市停车场建设和管理条例", K.RESERVE, ENACT, "", "市住房和城乡建设局", CJ, READY, ("停车",)),
    ("北辰市生活垃圾分类管理条例", K.RESERVE, ENACT, "", "市城市管理综合执法局", CJ, READY, ("垃圾",)),
    ("北辰市养老服务条例", K.RESERVE, ENACT, "", "市民政局", SH, READY, ("养老",)),
    ("北辰市城市供水用水条例（修改）", K.RESERVE, AMEND, "北辰市城市供水用水条例", "市水务局", CJ, READY,
     ("供水",)),
    ("北辰市城市供热条例", K.RESERVE, ENACT, "", "市住房和城乡建设局", CJ, READY, ("供热",)),
    ("北辰市文明行为促进条例（修改）", K.RESERVE, AMEND, "北辰市文明行为促进条例", "市委宣传部（市文明办）", FZ,
     READY, ("文明行为",)),
    ("北辰市燃气管理条例", K.RESERVE, ENACT, "", "市住房和城乡建设局", CJ, READY, ("燃气",)),
    ("北辰市城市更新条例", K.RESEARCH, ENACT, "", "市住房和城乡建设局", CJ, "", ("城市更新", "老旧小区")),
    ("北辰市既有住宅加装电梯条例", K.RESEARCH, ENACT, "", "市住房和城乡建设局", CJ, "", ("电梯",)),
    ("北辰市防沙治沙条例", K.RESEARCH, ENACT, "", "市林业和草原局", CJ, "", ("沙",)),
    ("北辰市学前教育条例", K.RESEARCH, ENACT, "", "市教育局", JKW, "", ("学前教育",)),
    ("北辰市湿地保护条例", K.RESEARCH, ENACT, "", "市林业和草原局", CJ, "", ("湿地保护",)),
    ("北辰市基层治理促进条例", K.RESEARCH, ENACT, "", "市民政局", SH, "", ("基层治理", "社区治理")),
    ("北辰市红色资源保护传承条例", K.RESEARCH, ENACT, "", "市退役军人事务局", JKW, "", ("红色",)),
    ("北辰市户外广告设施设置管理条例", K.RESEARCH, ENACT, "", "市城市管理综合执法局", CJ, "", ("广告",)),
]
ADDED_MID_YEAR = "北辰市户外广告设施设置管理条例"
DROPPED = "北辰市燃气管理条例"

# What the registry holds of the regulations these items amend, if it did not enter them itself.
EXISTING = {
    "北辰市物业管理条例": ("2019-06-28", Field.URBAN),
    "北辰市养犬管理条例": ("2018-10-26", Field.URBAN),
    "北辰市城市供水用水条例": ("2017-08-30", Field.URBAN),
    "北辰市文明行为促进条例": ("2020-04-29", Field.GOVERNANCE),
}
DOG_TEXT = T.short_text("北辰市养犬管理条例", "养犬管理", "规范养犬行为，保障公民人身安全", "市公安局", "2019年1月1日")

PROPOSERS = ["张立新", "王晓燕", "李建国", "刘海霞", "陈志强", "杨丽华", "赵永刚", "黄丽娟", "周国庆", "吴秀兰",
             "徐文斌", "孙艳红", "马振华", "朱玉梅", "胡建军", "郭淑珍", "高峰", "林晓", "其木格", "巴特尔", "乌云",
             "斯琴", "额尔敦", "娜仁"]
# (title, text, channels it tends to come through)
SUGGESTIONS: list[tuple[str, str]] = [
    ("建议修订北辰市物业管理条例",
     "部分小区物业服务质量差、收费不透明，业主委员会成立难，"
     "建议修订条例，明确物业服务标准和退出交接程序。"),
    ("建议制定电动自行车管理条例",
     "电动自行车数量快速增长，楼道充电、飞线充电引发火灾隐患，"
     "建议尽快立法规范登记、通行和停放充电。"),
    ("建议加强黄河流域生态保护立法",
     "黄河北辰段滩区违建、非法采砂时有发生，"
     "建议制定专门条例，明确岸线管控和生态补偿。"),
    ("建议修改养犬管理条例",
     "不文明养犬扰民伤人事件频发，现行条例对大型犬、烈性犬的管理规定不够具体，"
     "建议修改完善。"),
    ("建议制定历史建筑保护条例",
     "老城区一批近现代建筑缺乏保护依据，拆改时有发生，"
     "建议立法明确历史建筑认定和保护责任。"),
    ("建议制定停车场建设和管理条例",
     "老旧小区和医院、学校周边停车难问题突出，"
     "建议立法统筹停车设施规划建设和收费管理。"),
    ("建议制定生活垃圾分类管理条例",
     "垃圾分类推进缓慢，居民参与度不高，缺乏强制性规定，"
     "建议制定地方性法规。"),
    ("建议制定养老服务条例",
     "社区居家养老服务设施不足，养老服务补贴政策分散，"
     "建议立法保障养老服务体系建设。"),
    ("建议制定城市供热条例",
     "冬季供热温度不达标、报停收费争议较多，"
     "建议立法明确供热企业义务和用户权利。"),
    ("建议研究制定城市更新条例",
     "老旧小区改造和城市更新项目缺少统一规则，"
     "建议研究制定城市更新条例。"),
    ("建议制定既有住宅加装电梯条例",
     "加装电梯意见难统一、审批程序复杂，"
     "建议立法明确表决规则、审批流程和补贴标准。"),
    ("建议制定防沙治沙条例",
     "北部沙区生态脆弱，防沙治沙工程后续管护责任不清，"
     "建议立法巩固治理成果。"),
    ("建议制定学前教育条例",
     "普惠性幼儿园学位不足，幼儿园教师待遇偏低，"
     "建议立法保障学前教育发展。"),
    ("建议制定湿地保护条例",
     "城郊湿地被侵占、填埋现象时有发生，"
     "建议制定湿地保护条例，划定保护范围。"),
    ("建议制定户外广告设施设置管理条例",
     "户外广告设置混乱、安全隐患多，"
     "建议立法规范户外广告设施的规划和设置。"),
    ("建议制定基层治理促进条例",
     "社区事务多、负担重，网格员职责不清，"
     "建议立法明确基层治理各方责任。"),
    ("建议制定燃气管理条例",
     "燃气管道老化、用户安全意识不足，"
     "建议立法加强燃气安全管理。"),
    ("建议制定无障碍环境建设条例",
     "公共场所无障碍设施建设不规范、被占用，"
     "建议立法保障残疾人和老年人出行。"),
    ("建议制定网约车管理条例",
     "网约车与出租车管理标准不一，"
     "建议立法规范网约车经营服务。"),
    ("建议制定公园管理条例",
     "公园内商业经营、噪声扰民问题较多，"
     "建议制定公园管理条例。"),
]
SC = SuggestionChannel
CHANNEL_WEIGHTS = [(SC.PUBLIC, 45), (SC.DEPUTY, 25), (SC.CONTACT_POINT, 15), (SC.GOVERNMENT, 7), (SC.COMMITTEE, 5),
                   (SC.OTHER, 3)]
REPORT = ("法制委员会召开全体会议，根据常委会组成人员和有关方面的意见，对草案进行了统一审议，"
          "认为草案已经比较成熟，建议本次常委会会议审议通过。")
SUMMARY = "组成人员普遍认为草案总体可行，建议进一步增强针对性和可操作性，细化法律责任。"
DECLINE_REASONS = ["现行法律、法规已有规定", "不属于设区的市立法权限", "立法条件尚不成熟，继续研究"]
GOV_BODIES = ["市住房和城乡建设局", "市公安局", "市生态环境局", "市民政局", "市司法局", "市城市管理综合执法局"]


def _d(builder, days_ago: int) -> dt.date:
    return builder.today - dt.timedelta(days=days_ago)


def _regulation(builder, title: str) -> Regulation | None:
    reg = Regulation.objects.filter(congress=builder.city, title=title).first()
    if reg is None and title in EXISTING:
        adopted, field = EXISTING[title]
        reg = Regulation.objects.create(congress=builder.city, title=title, field=field)
        body = DOG_TEXT if "养犬" in title else T.short_text(title, title[3:-2], "规范相关活动", "市人民政府有关部门",
                                                              f"{int(adopted[:4]) + 1}年1月1日")
        record_version(reg, ENACT, dt.date.fromisoformat(adopted), text=body)
        reg.refresh_from_db()
    return reg


def _org(builder, name: str) -> Organization | None:
    return builder.orgs.get(name)


@transaction.atomic
def build_demo(builder) -> LegislativePlan:
    city, today = builder.city, builder.today
    clerk: User = builder.users["lawclerk"]
    staff: User = builder.users["lawstaff"]
    leader: User = builder.users["leader"]
    year = today.year
    plan = LegislativePlan.objects.create(congress=city, year=year, state=PlanState.PUBLISHED,
                                          approved_on=dt.date(year - 1, 12, 18), approved_by=leader,
                                          approval_note="原则同意，请法工委会同有关方面抓好落实",
                                          published_on=dt.date(year, 1, 8))
    motions = list(Case.objects.filter(congress=city, kind="motion").exclude(state__in=["draft", "withdrawn"]))
    items: dict[str, PlanItem] = {}
    for n, (title, kind, action, existing, body, committee, readings, words) in enumerate(ITEMS, start=1):
        reg = _regulation(builder, existing) if existing else None
        item = PlanItem.objects.create(plan=plan, kind=kind, title=title,
                                       action=action if reg or not existing else ENACT, regulation=reg,
                                       drafting_body=body, committee=_org(builder, committee),
                                       planned_readings=readings, sort_order=n,
                                       note="代表议案集中反映，列入计划" if kind == K.FORMAL else "")
        item.motions.set([m for m in motions if any(w in m.title for w in words)])
        items[title] = item
    PlanAdjustment.objects.create(plan=plan, item=items[ADDED_MID_YEAR], kind=PlanAdjustmentKind.ADDED,
                                  new_kind=K.RESEARCH,
                                  reason="市人民政府提出户外广告设施安全隐患突出，主任会议决定增加为调研项目",
                                  decided_on=_d(builder, 120), by=leader)
    dropped = items[DROPPED]
    dropped.dropped = True
    dropped.save(update_fields=["dropped"])
    PlanAdjustment.objects.create(plan=plan, item=dropped, kind=PlanAdjustmentKind.DROPPED, old_kind=K.RESERVE,
                                  reason="国务院《城镇燃气管理条例》正在修订，待上位法修订后再行研究",
                                  decided_on=_d(builder, 90), by=leader)
    _suggestions(builder, items)
    _bills(builder, clerk, staff, items)
    return plan


def _suggestions(builder, items: dict[str, PlanItem]) -> None:
    city, rng, today = builder.city, builder.rng, builder.today
    points = list(ContactPoint.objects.filter(congress=city, is_active=True))
    by_word = {t: i for t, i in items.items()}
    channels = [c for c, w in CHANNEL_WEIGHTS for _ in range(w)]
    rows = []
    for year, n in ((today.year - 1, 162), (today.year, 40)):
        last = dt.date(year, 12, 31) if year < today.year else today
        first = dt.date(year, 1, 5)
        for _ in range(n):
            title, text = rng.choice(SUGGESTIONS)
            channel = rng.choice(channels)
            point = rng.choice(points) if channel == SuggestionChannel.CONTACT_POINT and points else None
            proposer = {SuggestionChannel.DEPUTY: f"{rng.choice(PROPOSERS)}代表",
                        SuggestionChannel.GOVERNMENT: rng.choice(GOV_BODIES),
                        SuggestionChannel.COMMITTEE: rng.choice(["城乡建设环境与资源保护委员会", "社会建设委员会",
                                                                 "教育科学文化卫生委员会"]),
                        SuggestionChannel.CONTACT_POINT: point.name if point else "基层立法联系点",
                        }.get(channel, rng.choice(PROPOSERS))
            received = first + dt.timedelta(days=rng.randrange(max(1, (last - first).days)))
            key = title.replace("建议", "").replace("研究", "").replace("制定", "").replace("修订", "").replace(
                "修改", "").replace("加强", "")
            item = next((i for t, i in by_word.items() if key[:4] in t or key.replace("北辰市", "")[:4] in t), None)
            outcome, reason = SuggestionOutcome.PENDING, ""
            if year < today.year:  # studied while the plan was drawn up
                if item is not None and not item.dropped:
                    outcome = SuggestionOutcome.LISTED if rng.random() < 0.7 else SuggestionOutcome.ABSORBED
                    reason = "" if outcome == SuggestionOutcome.LISTED else "已吸收到有关法规草案中"
                else:
                    outcome, item = SuggestionOutcome.DECLINED, None
                    reason = rng.choice(DECLINE_REASONS)
            elif item is not None and rng.random() < 0.4:
                outcome, reason = SuggestionOutcome.ABSORBED, "已转起草单位研究吸收"
            else:
                item = None
            rows.append(LegislativeSuggestion(
                congress=city, year=year, channel=channel, proposer=proposer[:100], contact_point=point, title=title,
                text=text, received_on=received, item=item, outcome=outcome, outcome_reason=reason))
    LegislativeSuggestion.objects.bulk_create(rows)


def _bills(builder, clerk: User, staff: User, items: dict[str, PlanItem]) -> None:
    city = builder.city
    d = lambda n: _d(builder, n)  # noqa: E731
    committee = _org(builder, CJ)
    members = 45
    parent = city.parent
    province = f"{parent.name}常务委员会" if parent is not None else "省人民代表大会常务委员会"
    n_meeting = [20]

    def at(days: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(d(days), dt.time(10)))

    def meeting() -> str:
        n_meeting[0] += 1
        from lvzhi.legislation.articles import int_to_cn
        return f"市十六届人大常委会第{int_to_cn(n_meeting[0])}次会议"

    def open_for(item: PlanItem, bill_title: str, proposer: str = "市人民政府", field: str = "") -> Bill:
        name = item.title.split("（")[0]
        found = Regulation.objects.filter(congress=city, title=name, status=RegulationStatus.IN_FORCE).first()
        if item.action == ENACT and found is not None:  # the registry already holds it: a revision then
            item.action, item.regulation = REVISE, found
            item.save(update_fields=["action", "regulation"])
            bill_title = f"{name}（修订草案）"
        return bills.open_bill(clerk, title=bill_title, action=item.action, proposer=proposer,
                               regulation=item.regulation, new_title=item.title.split("（")[0], field=field,
                               drafting_body=item.drafting_body, lead_committee=item.committee or committee, item=item)

    def readings(bill: Bill, days: list[int], text: str, labels: list[str]) -> None:
        for i, (ago, label) in enumerate(zip(days, labels, strict=True), start=1):
            r = bills.schedule_reading(bill, clerk, ordinal=i, meeting=meeting(), meeting_on=d(ago))
            note = f"关于《{bill.title}》的说明" if i == 1 else "根据常委会组成人员审议意见作了修改"
            bills.add_draft(bill, clerk, label=label, text=text, reading=r, explanation=note, now=at(ago + 10))
            bills.record_materials_sent(r, clerk, d(ago + 8 if i != 2 else ago + 5))  # the 二审 of one went late
            if i > 1 or len(days) == 1:
                bills.record_report(r, staff, REPORT)
            bills.record_deliberation(r, clerk, SUMMARY)

    def team(bill: Bill, vice: str, mayor: str) -> None:
        bills.set_team(bill, clerk, leader_congress=f"{vice}（市人大常委会副主任）",
                       leader_government=f"{mayor}（副市长）",
                       members="韩立法 市人大常委会法工委主任\n林法制 市人大法制委副主任委员\n"
                               f"{bill.drafting_body}分管副局长\n市司法局立法科科长")

    # In force: three readings, approved within the four months, published.
    heritage = items["北辰市历史建筑保护条例"]
    b = open_for(heritage, "北辰市历史建筑保护条例（草案）", field=Field.HERITAGE)
    team(b, "王建华", "李红梅")
    bills.propose(b, clerk, d(322))
    text = T.short_text("北辰市历史建筑保护条例", "历史建筑保护", "传承城市历史文脉，保护历史建筑",
                        "市住房和城乡建设局", f"{d(75):%Y年%-m月%-d日}")
    readings(b, [300, 240, 180], text, ["草案（一审稿）", "草案（二审稿）", "草案（表决稿）"])
    bills.record_vote(b, clerk, voted_on=d(180), members_total=members, votes_for=41, votes_against=0, votes_abstain=1)
    bills.submit_for_approval(b, clerk, d(172))
    bills.record_approval(b, clerk, approved_on=d(110),
                          decision=f"{province}关于批准《北辰市历史建筑保护条例》的决定")
    bills.publish(b, clerk, published_on=d(105), effective_on=d(75), gazette_issue=f"{d(100):%Y}年第3号",
                  gazette_on=d(100), website_on=d(105), newspaper="北辰日报", newspaper_on=d(104),
                  decision="北辰市人民代表大会常务委员会公告（第十二号）")

    # Approved, awaiting publication: a narrow amendment read twice.
    dog = items["北辰市养犬管理条例（修改）"]
    b = open_for(dog, "北辰市养犬管理条例修正案（草案）")
    readings(b, [150, 90], DOG_TEXT.replace("二百元以上一千元以下", "五百元以上二千元以下"),
             ["修正案草案（一审稿）", "修正案草案（表决稿）"])
    bills.record_vote(b, clerk, voted_on=d(90), members_total=members, votes_for=40, votes_against=1, votes_abstain=2,
                      reason="修改内容仅涉及罚款数额和重点区域管理两处，各方面意见比较一致，经两次审议交付表决")
    bills.submit_for_approval(b, clerk, d(82))
    bills.record_approval(b, clerk, approved_on=d(8),
                          decision=f"{province}关于批准《北辰市人民代表大会常务委员会关于修改"
                                   "〈北辰市养犬管理条例〉的决定》的决定")

    # Submitted for approval.
    ebike = items["北辰市电动自行车管理条例"]
    b = open_for(ebike, "北辰市电动自行车管理条例（草案）", field=Field.URBAN)
    team(b, "张志刚", "赵卫东")
    bills.propose(b, clerk, d(225))
    text = T.short_text("北辰市电动自行车管理条例", "电动自行车管理",
                        "规范电动自行车通行、停放和充电，保障道路交通安全", "市公安局", "次年3月1日")
    readings(b, [210, 140, 70], text, ["草案（一审稿）", "草案（二审稿）", "草案（表决稿）"])
    bills.record_vote(b, clerk, voted_on=d(70), members_total=members, votes_for=39, votes_against=2, votes_abstain=2)
    bills.submit_for_approval(b, clerk, d(60))

    # The two bills out for public comment: 一审 held, then the 征求意见稿.
    for title, bill_title, chapters, ago, field in (
            ("北辰市物业管理条例（修订）", "北辰市物业管理条例（修订草案）", T.PROPERTY, 26, ""),
            ("北辰市黄河流域生态保护条例", "北辰市黄河流域生态保护条例（草案）", T.YELLOW_RIVER, 26, Field.ECOLOGY)):
        item = items[title]
        b = open_for(item, bill_title, field=field)
        team(b, "王建华" if "物业" in title else "张志刚", "李红梅" if "物业" in title else "赵卫东")
        bills.propose(b, clerk, d(ago + 24))
        full = T.text(bill_title, chapters)
        r = bills.schedule_reading(b, clerk, ordinal=1, meeting=meeting(), meeting_on=d(ago))
        bills.add_draft(b, clerk, label="草案（一审稿）", text=full, reading=r,
                        explanation=f"关于《{bill_title}》的说明", now=at(ago + 10))
        bills.record_materials_sent(r, clerk, d(ago + 9))
        bills.record_deliberation(r, clerk, "组成人员认为制定（修订）本条例十分必要，建议进一步听取基层和群众意见，"
                                            "细化有关部门职责，增强可操作性。")
        if "物业" in title:  # what the 一审 and the first round of comment changed (comment demo links to these)
            for before, after in T.PROPERTY_REVISIONS:
                full = full.replace(before, after)
        bills.add_draft(b, clerk, label="草案（征求意见稿）", text=full, reading=r,
                        explanation="根据一审审议意见修改后向社会公开征求意见", now=at(ago - 5))
    bills.sweep_in_force(builder.today)


def summary(builder) -> dict[str, Any]:
    """What the demo wrote, for a test or the builder's log."""
    city = builder.city
    return {"items": PlanItem.objects.filter(plan__congress=city).count(),
            "suggestions": LegislativeSuggestion.objects.filter(congress=city).count(),
            "bills": dict(Bill.objects.filter(congress=city).values_list("title", "state")),
            "regulations_drafting": Regulation.objects.filter(congress=city, status=RegulationStatus.DRAFTING).count(),
            "motions_linked": Case.objects.filter(legislative_plan_items__plan__congress=city).distinct().count()}
