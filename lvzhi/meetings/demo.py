"""The demo city's year of meetings (Section demo): six 常委会会议 every two months and sixteen
主任会议, each with its agenda (the demo's supervision topics, 审议意见 and legislation readings
where they exist), Word and PDF materials in the official layout rendered for reading, the
members' sign-in and leave, 列席 deputies and unit heads, item votes and about a hundred 任免
with their votes (paper ballots, double entry, through the ballot core); and one 常委会会议 in
preparation, its materials distributed (one late).

Past meetings are written as they happened (their dates are in the past, which the services
refuse for new input); every vote still goes through lvzhi.votes.ballots.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Count
from django.utils import timezone

from lvzhi.core.models import Congress, Role, User
from lvzhi.core.numbering import chinese_numeral
from lvzhi.documents.word import OfficialDocument
from lvzhi.legislation.models import Reading
from lvzhi.meetings import render, rules, services
from lvzhi.meetings.models import (
    CHOICES,
    AgendaItem,
    Confidentiality,
    ItemType,
    ItemVote,
    Meeting,
    MeetingState,
    MeetingType,
    NominationAction,
    Nominee,
    Participant,
    ParticipantRole,
    SignInMethod,
)
from lvzhi.supervision.models import Opinion, Topic
from lvzhi.votes import ballots
from lvzhi.votes.models import BoxState, StandingMember

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰红建国志文斌宏波辉鹏飞雪梅琳晓东海燕"
POSTS = ["市发展和改革委员会主任", "市教育局局长", "市公安局副局长", "市民政局局长", "市司法局局长", "市财政局局长",
         "市人力资源和社会保障局局长", "市自然资源和规划局局长", "市生态环境局局长", "市住房和城乡建设局局长",
         "市交通运输局局长", "市水务局局长", "市农业农村局局长", "市商务局局长", "市文化广电和旅游局局长",
         "市卫生健康委员会主任", "市应急管理局局长", "市审计局局长", "市市场监督管理局局长", "市统计局局长"]
COURT_POSTS = ["市中级人民法院审判员", "市中级人民法院审判委员会委员", "市中级人民法院民事审判第一庭庭长",
               "市人民检察院检察员", "市人民检察院检察委员会委员"]
OTHER_ITEMS = ["关于召开市第十六届人民代表大会第六次会议的决定（草案）", "关于批准上一年度市级决算的决议（草案）",
               "关于批准市级预算调整方案的决议（草案）", "关于开展法治宣传教育的决议（草案）",
               "市人大常委会关于上半年工作情况的报告"]
COUNCIL_ITEMS = ["研究常委会会议议程草案", "研究代表建议重点督办件", "研究年度监督工作计划执行情况",
                 "研究代表履职活动安排", "研究立法计划调整事项", "听取各专门委员会工作汇报"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _material(rng: random.Random, title: str, issuer: str, body: str, as_pdf: bool) -> tuple[bytes, str, list]:
    """A material in the 公文 layout: Word built by lvzhi.documents.word, or PDF of the same pages."""
    paragraphs = [body + "现将有关情况报告如下。"] + [
        f"{chinese_numeral(i)}、" + rng.choice([
            "主要工作和成效。各有关部门认真贯彻落实常委会审议意见，健全工作机制，细化责任分工，推动各项任务落地见效。",
            "存在的问题。一些领域基础工作仍然薄弱，部门协同还不够顺畅，群众反映的突出问题尚未得到根本解决。",
            "下一步工作安排。坚持问题导向，加强统筹协调，完善配套制度，强化监督检查，确保各项措施落到实处。",
            "有关建议。建议进一步加大投入力度，健全长效机制，及时向社会公开工作进展，主动接受人大监督。"])
        + "".join(rng.sample(["全年共完成重点项目" + str(rng.randint(12, 60)) + "个。",
                              "涉及资金" + str(rng.randint(2, 40)) + "亿元。",
                              "覆盖全市" + str(rng.randint(5, 12)) + "个区县。",
                              "群众满意度达到" + str(rng.randint(85, 97)) + "%。"], 2)) * 3
        for i in range(1, rng.randint(3, 5))]
    if as_pdf:
        pages = render.lay_out([(issuer, True), (title, True), *((p, False) for p in paragraphs)])
        from io import BytesIO

        from PIL import Image

        imgs = [Image.open(BytesIO(p.png)).convert("RGB") for p in pages]
        buf = BytesIO()
        imgs[0].save(buf, format="PDF", save_all=True, append_images=imgs[1:], resolution=100.0)
        # The PDF's pages are those pages: no second rendering.
        return buf.getvalue(), "pdf", pages
    doc = OfficialDocument(issuer=issuer, title=title)
    for p in paragraphs:
        doc.paragraph(p)
    data = doc.to_bytes()
    return data, "docx", render.docx_pages(data)


def _vote(office: User, second: User, item: AgendaItem, subject: str, members: int, present: int,
          rng: random.Random, nominee: Nominee | None = None, at: dt.datetime | None = None) -> ItemVote:
    rule = rules.item_rule(item.meeting.congress_id, item.item_type).pass_rule
    vote = ItemVote.objects.create(congress_id=item.meeting.congress_id, choices=CHOICES, min_marks=1, max_marks=1,
                                   secret=not item.named_vote, paper=True, item=item, nominee=nominee,
                                   subject=subject[:200], pass_rule=rule, members_total=members, present=present,
                                   created_by=office)
    ballots.open_box(vote.pk, (), electorate_size=members)
    no = rng.choice((0, 0, 1, 1, 2))
    abstain = rng.choice((0, 1, 1, 2))
    yes = present - no - abstain
    tally = {"cast": present, "invalid": 0, "counts": {"yes": yes, "no": no, "abstain": abstain}}
    for clerk in (office, second):  # the 秘书处's double entry
        ballots.enter_paper_tally(vote.pk, clerk, cast=present, invalid=0, counts=tally["counts"])
    vote.refresh_from_db()
    vote.passed = rules.passes(rule, yes, members, present)
    vote.opened_at = vote.closed_at = at
    vote.save(update_fields=["passed", "opened_at", "closed_at"])
    return vote


def build(builder: Any) -> None:
    congress: Congress = builder.city
    rng = random.Random(2026)
    office = User.objects.filter(congress=congress, role=Role.CLERK, organization__function="general_office").first()
    second = User.objects.filter(congress=congress, role=Role.CLERK).exclude(pk=getattr(office, "pk", None)).first()
    members = [m.user for m in StandingMember.objects.filter(congress=congress, active=True).select_related("user")]
    leaders = list(User.objects.filter(congress=congress, role=Role.LEADER).order_by("username"))
    if office is None or second is None or not members or not leaders:
        return
    member_ids = {u.pk for u in members}
    attendees = [u for u in User.objects.filter(congress=congress, role=Role.DEPUTY).order_by("username")[:200]
                 if u.pk not in member_ids]
    heads = list(User.objects.filter(congress=congress, role=Role.UNIT_HEAD).order_by("username")[:20])
    today = builder.today
    topics = list(Topic.objects.filter(congress=congress, meeting_on__isnull=False).order_by("meeting_on"))
    opinions = list(Opinion.objects.filter(topic__congress=congress).select_related("topic"))
    readings = list(Reading.objects.filter(bill__congress=congress).select_related("bill").order_by("meeting_on"))
    issuer_gov = "北辰市人民政府" if "北辰" in congress.name else f"{congress.short_name.removesuffix('人大')}人民政府"
    # Six bi-monthly standing meetings before today, then one in preparation.
    dates = sorted(today - dt.timedelta(days=14 + 61 * k) for k in range(6))
    number0 = 18
    pages_rendered = 0
    for n, day in enumerate([*dates, today + dt.timedelta(days=6)]):
        upcoming = day > today
        meeting = Meeting.objects.create(
            congress=congress, meeting_type=MeetingType.STANDING, number=f"第{chinese_numeral(number0 + n)}次会议",
            starts_on=day, ends_on=day + dt.timedelta(days=1), place="市人大常委会机关会议中心第一会议室",
            state=MeetingState.PREPARING if upcoming else MeetingState.CLOSED, members_total=len(members),
            created_by=office, created_at=timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=20),
                                                                                   dt.time(9))))
        on_leave = set(rng.sample(range(len(members)), rng.randint(1, 3)))
        signed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 40)))
        Participant.objects.bulk_create(
            [Participant(meeting=meeting, user=u, role=ParticipantRole.MEMBER, sort_order=i,
                         on_leave=i in on_leave, leave_reason="公务出差" if i in on_leave else "",
                         signed_in_at=None if upcoming or i in on_leave else signed_at,
                         sign_in_method="" if upcoming or i in on_leave else rng.choice(
                             (SignInMethod.QR, SignInMethod.QR, SignInMethod.CLERK)))
             for i, u in enumerate(members)]
            + [Participant(meeting=meeting, user=u, role=ParticipantRole.ATTENDEE)
               for u in rng.sample(attendees, min(4, len(attendees))) + rng.sample(heads, min(2, len(heads)))])
        present = 0 if upcoming else len(members) - len(on_leave)
        plan: list[tuple[str, str, str, Any]] = []
        near = [t for t in topics if abs((t.meeting_on - day).days) <= 31]
        reading = next((r for r in readings if abs((r.meeting_on - day).days) <= 31), None)
        if reading is not None:
            plan.append((f"审议{reading.bill.title}", ItemType.BILL, "市司法局局长", reading))
        else:
            bill = rng.choice(["审议《北辰市物业管理条例（草案）》", "审议《北辰市文明行为促进条例（修订草案）》",
                               "审议《北辰市生活垃圾分类管理条例（草案）》"])
            plan.append((bill, ItemType.BILL, "市司法局局长", None))
        for t in near[:2]:
            plan.append((f"听取和审议{t.title.removeprefix('听取和审议')}", ItemType.REPORT,
                         f"{t.supervised_body}负责同志", t))
        op = next((o for o in opinions if o.topic.meeting_on and o.topic.meeting_on < day - dt.timedelta(days=60)
                   and o.topic not in near), None)
        if op is not None and n % 2:
            plan.append((f"审议{op.title}研究处理情况的报告", ItemType.OPINION, op.recipient, op))
        plan.append((rng.choice(OTHER_ITEMS), ItemType.OTHER, "市人大常委会办公厅主任", None))
        plan.append(("审议人事任免案", ItemType.APPOINTMENT, "市人民政府、市中级人民法院、市人民检察院", None))
        for pos, (title, item_type, rapporteur, link) in enumerate(plan, start=1):
            item = AgendaItem.objects.create(
                meeting=meeting, position=pos, title=title, item_type=item_type, rapporteur=rapporteur,
                confidentiality=(Confidentiality.INTERNAL if item_type == ItemType.APPOINTMENT
                                 else Confidentiality.PUBLIC),
                named_vote=item_type == ItemType.OTHER, deliberated=not upcoming,
                reading=link if isinstance(link, Reading) else None, topic=link if isinstance(link, Topic) else None,
                opinion=link if isinstance(link, Opinion) else None)
            due = meeting.starts_on - dt.timedelta(days=rules.item_rule(congress.pk, item_type).days)
            # Most go out a day or two before the deadline; one in eight after it.
            sent_on = due + dt.timedelta(days=rng.randint(1, 3)) if rng.random() < 0.125 or (upcoming and pos == 2) \
                else due - dt.timedelta(days=rng.randint(0, 2))
            if upcoming and sent_on > today:
                sent_on = today
            who = rapporteur.split("、")[0].removesuffix("负责同志")
            body = f"受{who}委托，向本次会议报告{title.removeprefix('审议')}。"
            data, kind, pages = _material(rng, title.removeprefix("审议").removeprefix("听取和审议"),
                                          issuer_gov, body, as_pdf=pos % 2 == 0)
            pages_rendered += len(pages)
            services.store_version(office, item, data, kind, f"{title[:40]}.{kind}", pages, title=title[:60],
                                   now=timezone.make_aware(dt.datetime.combine(sent_on, dt.time(16, 30))))
            if upcoming:
                continue
            at = timezone.make_aware(dt.datetime.combine(meeting.ends_on, dt.time(11, 0)))
            if item_type == ItemType.APPOINTMENT:
                for k in range(rng.randint(13, 18)):
                    court = k % 5 == 4
                    action = NominationAction.REMOVE if k % 4 == 3 else NominationAction.APPOINT
                    nominee = Nominee.objects.create(
                        item=item, name=_name(rng), post=rng.choice(COURT_POSTS if court else POSTS), action=action,
                        organ="市中级人民法院院长" if court else "市人民政府市长",
                        sort_order=k,
                        oath_on=meeting.ends_on if action == NominationAction.APPOINT else None,
                        oath_administered_by=leaders[0].display_name if action == NominationAction.APPOINT else "")
                    _vote(office, second, item, str(nominee), len(members), present, rng, nominee, at)
            elif item_type in (ItemType.BILL, ItemType.OTHER) and (item_type == ItemType.OTHER or n % 3 == 2):
                _vote(office, second, item, title.removeprefix("审议"), len(members), present, rng, at=at)
    # 主任会议: sixteen, about every three weeks; the leaders only, no materials to render.
    for k in range(16):
        day = today - dt.timedelta(days=7 + 22 * k)
        meeting = Meeting.objects.create(
            congress=congress, meeting_type=MeetingType.COUNCIL, number=f"第{chinese_numeral(60 - k)}次会议",
            starts_on=day, ends_on=day, place="市人大常委会机关第三会议室", state=MeetingState.CLOSED,
            members_total=len(leaders), created_by=office)
        Participant.objects.bulk_create(
            Participant(meeting=meeting, user=u, role=ParticipantRole.MEMBER, sort_order=i,
                        signed_in_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8, 55))),
                        sign_in_method=SignInMethod.CLERK) for i, u in enumerate(leaders))
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i + 1, title=t, item_type=ItemType.OTHER, deliberated=True,
                       rapporteur="市人大常委会秘书长")
            for i, t in enumerate(rng.sample(COUNCIL_ITEMS, 3)))
    # Dates of the demo's votes are the meetings'; the closed boxes' state is what the ballot core left.
    assert not ItemVote.objects.filter(congress=congress, state=BoxState.OPEN).exists()
    builder._log(f"  会议材料页面：{pages_rendered}页")


def summary(congress: Congress) -> str:
    by_type = dict(Meeting.objects.filter(congress=congress).values_list("meeting_type").annotate(n=Count("pk")))
    n = Nominee.objects.filter(item__meeting__congress=congress, vote__passed=True).count()
    return (f"常委会会议 {by_type.get(MeetingType.STANDING, 0)} 次、"
            f"主任会议 {by_type.get(MeetingType.COUNCIL, 0)} 次，任免 {n} 人次")
