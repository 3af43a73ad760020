"""The 北辰市 demo year of duty activities (Section.demo), January to yesterday.

列席 at every other month's standing-committee meeting; four 代表座谈会; a monthly training;
the committees' 视察, 调研 and 执法检查 with the deputies of their groups; each station's
monthly reception; group activities; and the demo deputy's own reports (two checked, one not).
Entries older than a month are confirmed; the last month's wait for the deputies, and one of
the demo deputy's is disputed so the 代表工委's queue has one to settle.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lvzhi.deputies.activity_models import Activity, ActivityKind, Attendance, Confirmation, Participation

# (kind, committee leading, title, place); the committee's staff records it.
VISITS = [
    (ActivityKind.LAW_ENFORCEMENT, "城乡建设环境与资源保护委员会", "《北辰市物业管理条例》执法检查",
     "城东区、高新区部分住宅小区"),
    (ActivityKind.LAW_ENFORCEMENT, "教育科学文化卫生委员会", "《中华人民共和国义务教育法》执法检查",
     "城西区、南山县中小学"),
    (ActivityKind.INSPECTION, "城乡建设环境与资源保护委员会", "视察城市排水防涝设施建设", "北湖区湖滨东路泵站"),
    (ActivityKind.INSPECTION, "财政经济委员会", "视察重点项目建设推进情况", "高新区云谷软件园二期"),
    (ActivityKind.INSPECTION, "社会建设委员会", "视察养老服务设施建设", "城东区东风街道养老服务中心"),
    (ActivityKind.RESEARCH, "农业农村委员会", "高标准农田建设专题调研", "临河县柳林镇、沙湾乡"),
    (ActivityKind.RESEARCH, "财政经济委员会", "优化营商环境专题调研", "市政务服务中心"),
    (ActivityKind.RESEARCH, "监察和司法委员会", "诉源治理工作专题调研", "城西区人民法院诉讼服务中心"),
    (ActivityKind.SUGGESTION_FOLLOWUP, "代表工作委员会", "重点建议“加快老旧小区加装电梯”督办", "城东区和平里小区"),
    (ActivityKind.SUGGESTION_FOLLOWUP, "代表工作委员会", "重点建议“中小学课后服务”督办", "城西区光明小学"),
    (ActivityKind.LEGISLATION, "法制委员会", "《北辰市养犬管理条例（草案）》征求代表意见座谈",
     "市人大常委会第三会议室"),
    (ActivityKind.PUBLICITY, "代表工作委员会", "宪法宣传周代表进社区宣讲", "城东区新村社区党群服务站"),
]
TRAININGS = ["新任代表履职学习", "代表建议撰写专题培训", "预算审查监督专题培训", "代表法修正内容解读",
             "执法检查工作方法培训", "代表联络站工作培训", "生态环境保护法律知识讲座", "基层治理与信访代办培训",
             "优化营商环境法规解读", "民生实事项目票决制培训", "代表履职档案与履职报告培训", "年度履职总结交流"]
SYMPOSIUMS = ["基层代表座谈会：听取对常委会工作的意见", "民营企业家代表座谈会", "农村基层代表座谈会",
              "青年代表座谈会：听取对年度工作要点的意见"]


def build(b: Any) -> None:
    rng, city, latest = b.rng, b.city, b.latest
    year = latest.year
    office = next(o for o in b.orgs.values() if o.function == "suggestion_office")
    deputies = b.active
    by_group: dict[int, list] = {}
    by_station: dict[int, list] = {}
    for d in deputies:
        if d.group_id:
            by_group.setdefault(d.group_id, []).append(d)
        if d.station_id:
            by_station.setdefault(d.station_id, []).append(d)
    committee_groups: dict[int, list] = {}
    for g in b.groups:
        if g.committee_id:
            committee_groups.setdefault(g.committee_id, []).extend(by_group.get(g.pk, []))
    plans: list[tuple[Activity, list[tuple[Any, str, str]]]] = []

    def pick(pool: list, n: int) -> list:  # the small demo world has fewer deputies
        return rng.sample(pool, min(n, len(pool)))

    def day(month: int, dom: int) -> dt.date | None:
        d = dt.date(year, month, min(dom, 28))
        while d.weekday() >= 5:
            d += dt.timedelta(days=1)
        return d if d <= latest else None

    def add(kind: str, title: str, on: dt.date | None, place: str, org, by, people, *, hours: str = "3",
            summary: str = "", station=None, group=None, leave: int = 0, absent: int = 0) -> None:
        if on is None or not people:
            return
        people = list(dict.fromkeys(people))
        rng.shuffle(people)
        rows = [(d, Attendance.LEAVE, rng.choice(["因公出差", "身体原因", "参加本单位重要会议"]))
                for d in people[:leave]]
        rows += [(d, Attendance.ABSENT, "") for d in people[leave:leave + absent]]
        rows += [(d, Attendance.PRESENT, "") for d in people[leave + absent:]]
        a = Activity(congress=city, kind=kind, title=title, held_on=on, place=place, organiser=org, recorded_by=by,
                     hours=Decimal(hours), summary=summary or f"{title}。", station=station, group=group,
                     recorded_at=timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time(10))))
        plans.append((a, rows))

    clerk = b.clerk
    # 列席: the standing committee meets in the even months; about a dozen deputies each time.
    for n, month in enumerate(range(2, 13, 2), start=1):
        add(ActivityKind.ATTEND_MEETING, f"列席市第十六届人大常委会第{20 + n}次会议", day(month, 24),
            "市人大常委会会议厅", office, clerk, pick(deputies, 13), hours="6", leave=1,
            absent=1 if n == 3 else 0,
            summary="列席会议，参加分组审议，对专项工作报告提出审议意见。")
    for i, title in enumerate(SYMPOSIUMS):
        add(ActivityKind.SYMPOSIUM, title, day(3 + i * 3, 15), "市人大常委会第二会议室", office, clerk,
            pick(deputies, 16), hours="2.5", leave=2,
            summary="代表们围绕常委会工作和城市发展提出意见建议，主任会议成员到会听取。")
    for m, title in enumerate(TRAININGS, start=1):
        add(ActivityKind.TRAINING, title, day(m, 10), "市委党校报告厅", office, clerk, pick(deputies, 40),
            hours="4", leave=3, summary=f"{title}，授课后进行了交流研讨。")
    for i, (kind, committee, title, place) in enumerate(VISITS):
        org = b.orgs[committee]
        pool = committee_groups.get(org.pk) or deputies
        add(kind, title, day(3 + (i * 7) % 9, 5 + i), place, org, b.staff.get(org.pk, clerk),
            pick(pool, 9) + pick(deputies, 3), hours="4", leave=1,
            summary=f"{title}：实地查看，听取有关部门情况汇报，提出改进意见。")
    for station in b.stations:
        members = by_station.get(station.pk, [])
        for month in range(1, 13):
            if not members:
                break
            people = pick(members, min(2, len(members)))
            seen, opinions = rng.randint(4, 16), rng.randint(2, 9)
            add(ActivityKind.RECEPTION, f"{month}月代表进站接待群众", day(month, 18), station.name, office, clerk,
                people, hours="2", station=station,
                summary=f"接待群众{seen}人次，收集意见建议{opinions}条，"
                        f"其中物业、停车方面{opinions // 2}条已转交有关部门。")
    for g in b.groups[:8]:
        add(ActivityKind.GROUP, f"{g.name}季度活动", day(4 + b.groups.index(g) % 6, 22), "市人大常委会活动室",
            office, clerk, by_group.get(g.pk, [])[:10], hours="2")
    _save(b, plans)
    _own_reports(b)
    _station_log(b)
    _trainings(b)
    _liaison(b)


def _liaison(b: Any) -> None:
    """双联系: each leader and committee member keeps in touch with a share of the deputies (about
    two in three covered, as the seeds' 342), with a few contacts logged over the year."""
    from lvzhi.core.models import Role, User
    from lvzhi.deputies.liaison_models import ContactWay, MemberContact, MemberLink

    rng = b.rng
    members = list(User.objects.filter(congress=b.city, role__in=[Role.LEADER, Role.COMMITTEE_STAFF]).order_by("pk"))
    pool = list(b.active)
    rng.shuffle(pool)
    share = max(1, len(pool) * 2 // 3 // max(1, len(members)))
    links = [MemberLink(congress=b.city, member=m, deputy=d, since=dt.date(b.latest.year, 1, 10))
             for i, m in enumerate(members) for d in pool[i * share:(i + 1) * share]]
    MemberLink.objects.bulk_create(links)
    notes = {ContactWay.VISIT: "走访代表，了解履职中遇到的困难", ContactWay.TALK: "座谈听取对常委会工作的意见建议",
             ContactWay.PHONE: "电话通报常委会近期工作安排", ContactWay.INVITE: "邀请代表列席常委会会议"}
    contacts = []
    span = max(1, (b.latest - dt.date(b.latest.year, 1, 10)).days)
    for lk in MemberLink.objects.filter(congress=b.city):
        for _ in range(rng.randint(0, 3)):
            way = rng.choice(list(notes))
            contacts.append(MemberContact(link=lk, on=dt.date(b.latest.year, 1, 10) + dt.timedelta(
                days=rng.randint(0, span)), way=way, note=notes[way]))
    MemberContact.objects.bulk_create(contacts)


def _trainings(b: Any) -> None:
    """The monthly trainings as trainings: their form, the enrolled deputies, and a sign-in at the
    door for each one present (a few by the clerk); those absent were enrolled and never came."""
    from lvzhi.deputies.training_models import Enrollment, SignInMethod, Training, TrainingForm

    forms = [TrainingForm.ALL, TrainingForm.SYSTEM, TrainingForm.MEETING, TrainingForm.PRACTICE, TrainingForm.MULTI]
    rng = b.rng
    for i, a in enumerate(Activity.objects.filter(congress=b.city, kind=ActivityKind.TRAINING, self_reported=False)
                          .prefetch_related("participations").order_by("held_on")):
        t = Training.objects.create(activity=a, form=forms[i % len(forms)], topic=a.summary)
        at = timezone.make_aware(dt.datetime.combine(a.held_on, dt.time(8, 50)))
        Enrollment.objects.bulk_create(
            Enrollment(training=t, deputy_id=p.deputy_id,
                       signed_in_at=at if p.attendance == Attendance.PRESENT else None,
                       method=(SignInMethod.QR if rng.random() < 0.85 else SignInMethod.CLERK)
                       if p.attendance == Attendance.PRESENT else "")
            for p in a.participations.all())


def _station_log(b: Any) -> None:
    """Each station's reception days as a log of the citizens received (from the real messages'
    titles), and its schedule for the four weeks ahead."""
    from lvzhi.deputies.station_models import Slot, StationShift, Visit, VisitHandling

    rng = b.rng
    titles = [m.title for m in b.messages if 8 <= len(m.title) <= 60]
    handlings = [VisitHandling.ANSWERED] * 5 + [VisitHandling.FORWARDED] * 3 + [VisitHandling.SUGGESTION,
                                                                                  VisitHandling.NOTED]
    visits, k = [], 0
    days = (Activity.objects.filter(congress=b.city, kind=ActivityKind.RECEPTION, station__isnull=False)
            .prefetch_related("participations"))
    for a in days:
        present = [p.deputy_id for p in a.participations.all() if p.attendance == Attendance.PRESENT]
        if not present:
            continue
        n, opinions = rng.randint(4, 16), 0
        for i in range(n):
            opinion = rng.random() < 0.7
            opinions += opinion
            visits.append(Visit(station_id=a.station_id, activity=a, deputy_id=present[i % len(present)], on=a.held_on,
                                name=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["先生", "女士", "阿姨", "大爷"]),
                                matter=titles[k % len(titles)] if opinion else "咨询社保、医保办理流程",
                                is_opinion=opinion, handling=rng.choice(handlings), recorded_by=b.clerk))
            k += 1
        a.summary = f"接待群众{n}人次，收集意见建议{opinions}条。"
        a.save(update_fields=["summary"])
    Visit.objects.bulk_create(visits)
    shifts = []
    for station in b.stations:
        members = [d for d in b.active if d.station_id == station.pk]
        for w in range(4):
            for j, weekday in enumerate((1, 3)):  # 周二、周四 上午
                if not members:
                    break
                on = b.today + dt.timedelta(days=(weekday - b.today.weekday()) % 7 + 7 * w)
                shifts.append(StationShift(station=station, deputy=members[(2 * w + j) % len(members)], on=on,
                                           slot=Slot.MORNING))
    StationShift.objects.bulk_create(shifts, ignore_conflicts=True)


def _save(b: Any, plans: list) -> None:
    month_ago = b.latest - dt.timedelta(days=30)
    Activity.objects.bulk_create([a for a, _rows in plans])
    parts = []
    for a, rows in plans:
        settled = a.held_on < month_ago
        for d, attendance, reason in rows:
            parts.append(Participation(activity=a, deputy=d, attendance=attendance, leave_reason=reason,
                                       confirmation=Confirmation.CONFIRMED if settled else Confirmation.PENDING,
                                       confirmed_at=b.real_now if settled else None))
    Participation.objects.bulk_create(parts, batch_size=2000)
    # The demo deputy has something to confirm, and one 异议 waits for the 代表工委.
    mine = Participation.objects.filter(deputy=b.deputy).order_by("-activity__held_on")
    if not mine.filter(confirmation=Confirmation.PENDING).exists():
        latest = Activity.objects.filter(congress=b.city, self_reported=False).order_by("-held_on").first()
        if latest is not None:
            Participation.objects.get_or_create(activity=latest, deputy=b.deputy)
    older = mine.filter(confirmation=Confirmation.CONFIRMED, attendance=Attendance.PRESENT).first()
    if older is not None:
        older.confirmation, older.confirmed_at = Confirmation.DISPUTED, None
        older.dispute = "当天因单位年度审计请假，实际未参加，请核实"
        older.save()


def _own_reports(b: Any) -> None:
    d, latest = b.deputy, b.latest
    reports = [
        (ActivityKind.RESEARCH, "走访辖区企业了解用工情况", 70, "高新区科创街道", True),
        (ActivityKind.PETITION, "代办群众反映的小区供暖问题", 40, "城东区朝阳街道", True),
        (ActivityKind.PUBLICITY, "在本单位宣讲市人代会精神", 6, "本单位会议室", False),
    ]
    for kind, title, back, place, checked in reports:
        on = latest - dt.timedelta(days=back)
        a = Activity.objects.create(congress=b.city, kind=kind, title=title, held_on=on, place=place,
                                    recorded_by=d.user, self_reported=True, hours=Decimal("2"),
                                    summary=f"{title}，形成情况记录。",
                                    checked_at=b.real_now if checked else None)
        Participation.objects.create(activity=a, deputy=d, confirmation=Confirmation.CONFIRMED,
                                     confirmed_at=b.real_now)
