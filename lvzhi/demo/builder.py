"""Builds the 北辰市 demo world: bodies, people, accounts, and ~400 cases in every state.

Every case is written through the real services: `create_draft` and `engine.fire(..., now=...)`.
Each case follows a script (a generator yielding the moment of its next step); a scheduler runs
all scripts' steps in time order, so the event chain's order is also the order of time, case
numbers follow registration time, and every deadline is computed by the engine from a past
`now`. Nothing writes a state directly.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from lvzhi import realdata
from lvzhi.cases import engine
from lvzhi.cases.deadlines import compute_due
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Bundle,
    Case,
    Commitment,
    CommitmentState,
    Deadline,
    Reply,
    ReplyState,
    RuleSet,
)
from lvzhi.cases.workflow import TransitionError
from lvzhi.core.models import (
    Congress,
    CongressLevel,
    DayOverride,
    Organization,
    OrganizationKind,
    Role,
    Session,
    Term,
    User,
)
from lvzhi.core.workdays import WorkCalendar
from lvzhi.demo import data as D
from lvzhi.demo.sources import (
    Message,
    ReplyChoice,
    ReplyMatcher,
    deputy_title,
    load_hot_messages,
    load_messages,
    load_reply_pairs,
    subject_of,
)
from lvzhi.deputies.models import Delegation, Deputy, DeputyGroup, DeputyStatus, Gender, LiaisonStation
from lvzhi.suggestions import services

TZ = ZoneInfo(settings.TIME_ZONE)

# (variant, how many in the full demo). The variant names the state a case is left in.
SUGGESTION_VARIANTS: list[tuple[str, int]] = [
    ("draft", 12), ("submitted", 12), ("returned", 8), ("withdrawn", 6), ("merged", 10),
    ("registered", 15), ("handling_new", 8), ("handling_green", 25), ("handling_yellow", 12), ("handling_red", 12),
    ("reassign_pending", 6), ("reassigned", 4), ("extended", 10), ("reply_drafted", 6),
    ("reply_signed", 6), ("reply_returned", 3), ("rehandling", 12), ("replied", 35),
    ("closed_satisfied", 130), ("closed_basically", 45), ("closed_expired", 20), ("closed_round2", 10),
]
MOTION_VARIANTS: list[tuple[str, int]] = [
    ("m_draft", 1), ("m_returned", 1), ("m_referred", 4), ("m_closed", 3), ("m_converted", 1),
]
CLOSED = {"closed_satisfied", "closed_basically", "closed_expired", "closed_round2"}
# Cases the units answer: they are written from messages that have a real reply (replies.csv).
ANSWERED = CLOSED | {"replied", "rehandling", "reply_drafted", "reply_signed", "reply_returned"}
HANDLING = {"handling_new", "handling_green", "handling_yellow", "handling_red", "reassign_pending", "reassigned",
            "extended", "reply_drafted", "reply_signed", "reply_returned", "rehandling"}
# What the demo deputy leads, so that logging in as `deputy` shows a bit of everything.
DEPUTY_LEADS = ["draft", "submitted", "returned", "registered", "handling_green", "rehandling",
                "replied", "replied", "closed_satisfied", "closed_basically", "closed_round2",
                "closed_expired"]
DEPUTY2_LEADS = ["submitted", "handling_yellow", "replied", "closed_satisfied"]
# What the named unit accounts (handler/head, handler2/head2) find in their inbox.
# handling_new: assigned in the last two working days, so still under 待签收.
HANDLER_UNIT_VARIANTS = ["handling_new", "handling_new", "handling_green", "handling_green", "handling_yellow",
                         "handling_red", "reassign_pending", "extended", "reply_drafted", "reply_drafted",
                         "reply_signed", "reply_returned", "rehandling", "replied", "replied"]
HANDLER2_UNIT_VARIANTS = ["handling_new", "handling_green", "handling_red", "reply_drafted", "replied"]


@dataclass(frozen=True)
class Size:
    deputies: int = 500
    scale: float = 1.0
    motions_each: bool = False  # one of every motion variant only
    hot_clusters: int = len(D.HOT_CLUSTERS)  # hot topics: how many clusters ...
    hot_each: int = 0  # ... and suggestions from each (0: all its messages)
    seed: int = 20260110


FULL = Size()
SMALL = Size(deputies=30, scale=0.1, motions_each=True, hot_clusters=2, hot_each=3)


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class ReplySource:
    """Where the text of one demo reply came from, for the tests and for a reader of the demo."""

    title: str           # the suggestion's title
    category: str        # the suggestion's field
    round: int
    source: str          # "same": the real reply to this very message; "similar": the real reply to
    #                      the most similar message of the same field; "written": the demo's own words
    reply_id: str = ""   # the replies.csv id used
    reply_field: str = ""
    score: float = 0.0


@dataclass
class Plan:
    """One case's part in the story: the state it ends in and the choices along the way."""

    variant: str
    kind: str = "suggestion"
    msg: Message | None = None
    motion: tuple | None = None
    title: str = ""
    body: str = ""
    category: str = ""
    lead: Deputy | None = None
    cosigners: list[Deputy] = field(default_factory=list)
    series: str = "interim"  # "s4", "s5" or "interim"
    unit: Organization | None = None
    alt_unit: Organization | None = None
    co: list[Organization] = field(default_factory=list)
    split: bool = False
    confidential: bool = False
    key: bool = False
    bundle: int | None = None
    public: bool = False
    face_to_face: bool = False
    promise: bool = False
    keep: bool = False
    returned_first: bool = False
    review_returned_first: bool = False
    merge_into: Plan | None = None
    case: Case | None = None
    assign_day: dt.date | None = None
    submit_on: dt.date | None = None  # hot-topic suggestions: when it was raised


class DemoBuilder:
    def __init__(self, size: Size = FULL, *, data_dir: Path | None = None,
                 out=None, today: dt.date | None = None) -> None:
        self.size = size
        self.rng = random.Random(size.seed)
        self.data_dir = Path(data_dir or settings.DATA_DIR)
        self.out = out
        self.real_now = timezone.now()
        self.today = today or timezone.localdate(self.real_now)
        self.latest = self.today - dt.timedelta(days=1)  # scripts stop at yesterday
        self.now: dt.datetime = self.real_now
        self.stats: Counter[str] = Counter()
        self.bundle_ids: dict[str, int] = {}

    # ------------------------------------------------------------------ entry point

    def build(self) -> Congress:
        start = time.monotonic()
        for name in ("messages_dev", "replies", "hot_messages"):
            try:
                realdata.path(name, self.data_dir)
            except FileNotFoundError:
                raise DemoError(f"找不到真实数据 {self.data_dir / name}.csv.gz：仓库的 data/ 目录应带有它，"
                                f"或设置环境变量 LVZHI_DATA_DIR 指向数据目录") from None
        messages = load_messages(self.data_dir)
        answered, replies = load_reply_pairs(self.data_dir)
        if len(messages) < 100 or len(answered) < 100:
            raise DemoError(f"真实数据不足：{self.data_dir} 中应有 messages_dev.csv.gz 和 replies.csv.gz")
        self.matcher = ReplyMatcher(replies)
        self.reply_sources: list[ReplySource] = []
        self.messages = messages + answered
        self.rng.shuffle(self.messages)
        with transaction.atomic():
            self._structure()
            self._accounts()
            self._deputies()
            plans = self._plans()
            self._log(f"  机构、账号与代表：{time.monotonic() - start:.1f} 秒")
            self._run(plans)
            # Every other kind adds its year through the builder it declares (CaseKind.demo).
            from lvzhi.cases.kinds import all_kinds

            for kind in all_kinds():
                if kind.demo is not None:
                    self.now = self.real_now
                    kind.demo(self)
                    self._log(f"  {kind.label}：{time.monotonic() - start:.1f} 秒")
            from lvzhi.core.sections import all_sections

            for section in all_sections():  # parts that are not a case kind (lvzhi.core.sections)
                if section.demo is not None:
                    self.now = self.real_now
                    section.demo(self)
                    self._log(f"  {section.label}：{time.monotonic() - start:.1f} 秒")
        self._analyze()
        self._log(f"  全部完成：{time.monotonic() - start:.1f} 秒")
        return self.city

    @staticmethod
    def _analyze() -> None:
        """After a bulk load, PostgreSQL plans from the statistics autovacuum last took, perhaps
        of near-empty tables: a search inside an export then ran for minutes. ANALYZE, as one
        does after loading data (PostgreSQL manual, 14.4.9)."""
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _log(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)

    # ------------------------------------------------------------------ structure

    def _structure(self) -> None:
        region = Congress.objects.create(name=D.REGION_NAME, short_name=D.REGION_SHORT,
                                         level=CongressLevel.REGION)
        self.city = city = Congress.objects.create(name=D.CITY_NAME, short_name=D.CITY_SHORT,
                                                   level=CongressLevel.CITY, parent=region)
        Congress.objects.bulk_create([
            Congress(name=f"{D.CITY}{d}人民代表大会", short_name=f"{d}人大", level=CongressLevel.COUNTY,
                     parent=city) for d, *_ in D.DISTRICTS])
        self.rules = RuleSet.objects.create(congress=city)
        # The 5th session sat in January of this year (2026-01-10..14 when seeded in late 2026);
        # before July the previous January is taken, so its suggestions have had time to be closed.
        y = self.today.year if self.today >= dt.date(self.today.year, 7, 1) else self.today.year - 1
        self.term = Term.objects.create(congress=city, number=16, start_on=dt.date(y - 4, 1, 8))
        self.sessions = {n: Session.objects.create(term=self.term, number=n,
                                                   opens_on=dt.date(y - 5 + n, 1, 10),
                                                   closes_on=dt.date(y - 5 + n, 1, 14))
                         for n in range(1, 6)}
        self._day_overrides(y)
        self.cal = WorkCalendar.for_congress(city.pk)
        orgs = []
        for i, (name, short, fld) in enumerate(D.COMMITTEES, start=1):
            orgs.append(Organization(congress=city, kind=OrganizationKind.COMMITTEE, name=name,
                                     short_name=short, field=fld, sort_order=i))
        for i, (name, short, function) in enumerate(D.WORKING_BODIES, start=1):
            orgs.append(Organization(congress=city, kind=OrganizationKind.WORKING_BODY, name=name,
                                     short_name=short, function=function, sort_order=i))
        for i, (name, short, fld, _kw) in enumerate(D.UNITS, start=1):
            orgs.append(Organization(congress=city, kind=OrganizationKind.UNIT, name=name,
                                     short_name=short, field=fld, sort_order=i))
        for j, name in enumerate(D.DISTRICT_GOVERNMENTS, start=len(D.UNITS) + 1):
            orgs.append(Organization(congress=city, kind=OrganizationKind.UNIT, name=name,
                                     short_name=name.replace("人民政府", "政府"), field="其他",
                                     sort_order=j))
        Organization.objects.bulk_create(orgs)
        self.orgs = {o.name: o for o in Organization.objects.filter(congress=city)}
        self.units = [self.orgs[u[0]] for u in D.UNITS] + [self.orgs[n] for n in D.DISTRICT_GOVERNMENTS]
        self.unit_keywords = {self.orgs[name]: kws for name, _s, _f, kws in D.UNITS}
        self.delegations = {d: Delegation.objects.create(congress=city, name=f"{d}代表团")
                            for d, *_ in D.DISTRICTS}
        self.groups = [DeputyGroup.objects.create(congress=city, name=n, committee=self.orgs[c])
                       for n, c in D.DEPUTY_GROUPS]
        self.stations = [LiaisonStation.objects.create(congress=city, name=n, address=a)
                         for n, a in D.STATIONS]

    def _day_overrides(self, y: int) -> None:
        def first_weekday(day: dt.date, weekday: int) -> dt.date:
            return day + dt.timedelta(days=(weekday - day.weekday()) % 7)

        games = first_weekday(self.today + dt.timedelta(days=10), 4)
        rows = [
            (first_weekday(dt.date(y, 3, 8), 1), False, "暴雪红色预警，全市停工停课一天"),
            (first_weekday(dt.date(y, 8, 1), 4), False, "北辰市那达慕大会，全市放假一天"),
            (games, False, "北辰市第一届冬季运动会开幕，全市放假一天"),
            (games + dt.timedelta(days=1), True, "因冬季运动会放假调休，周六上班"),
        ]
        by_day = {d: (w, n) for d, w, n in reversed(rows)}  # one row a day, the first wins
        DayOverride.objects.bulk_create([DayOverride(congress=self.city, day=d, is_workday=w, note=n)
                                         for d, (w, n) in sorted(by_day.items())])

    # ------------------------------------------------------------------ accounts

    def _name(self, female: bool | None = None) -> tuple[str, bool]:
        female = self.rng.random() < 0.42 if female is None else female
        pool = D.GIVEN_FEMALE if female else D.GIVEN_MALE
        given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2, 2))))
        return self.rng.choice(D.SURNAMES) + given, female

    def _user(self, username: str, role: str, name: str, org: Organization | None = None,
              **extra: Any) -> User:
        # Demo accounts share a known password on purpose: they are not asked to change it at
        # the first login (accounts a system administrator creates are).
        return User(username=username, role=role, display_name=name, congress=self.city,
                    organization=org, password=self.password_hash, must_change_password=False,
                    **extra)

    def _accounts(self) -> None:
        # One hash for the shared demo password: PBKDF2 takes ~0.5 s, 700 accounts would take minutes.
        self.password_hash = make_password(D.DEMO_PASSWORD)
        users = []
        # No superuser: the three admin accounts are plain roles, kept apart (三权分立).
        for username, role, name, org, _what in D.STAFF_ACCOUNTS:
            users.append(self._user(username, role, name, self.orgs.get(org or "")))
        for i, (name, _s, _f) in enumerate(D.COMMITTEES, start=1):
            if name != "城乡建设环境与资源保护委员会":
                users.append(self._user(f"c{i:02d}_staff", Role.COMMITTEE_STAFF, self._name()[0],
                                        self.orgs[name]))
        named = {unit: (h, hd, hn, hdn) for unit, h, hd, hn, hdn in D.NAMED_UNIT_ACCOUNTS}
        for i, unit in enumerate(self.units, start=1):
            h, hd, hn, hdn = named.get(unit.name, (f"u{i:02d}_handler", f"u{i:02d}_head", "", ""))
            users.append(self._user(h, Role.UNIT_HANDLER, hn or self._name()[0], unit))
            users.append(self._user(hd, Role.UNIT_HEAD, hdn or self._name()[0], unit))
        User.objects.bulk_create(users)
        by_name = {u.username: u for u in User.objects.filter(congress=self.city)}
        self.users = by_name
        self.clerk = by_name["clerk"]
        self.leaders = [by_name["leader"], by_name["leader2"], by_name["leader3"]]
        self.handler: dict[int, User] = {}
        self.head: dict[int, User] = {}
        self.staff: dict[int, User] = {}
        for u in by_name.values():
            if u.role == Role.UNIT_HANDLER:
                self.handler[u.organization_id] = u
            elif u.role == Role.UNIT_HEAD:
                self.head[u.organization_id] = u
            elif u.role == Role.COMMITTEE_STAFF:
                self.staff[u.organization_id] = u

    def _deputies(self) -> None:
        n = self.size.deputies
        total = sum(size for _d, size, *_ in D.DISTRICTS)
        quotas = [max(2, round(n * size / total)) for _d, size, *_ in D.DISTRICTS]
        quotas[0] += n - sum(quotas)
        seen: set[str] = {"刘建华", "陈雅琴"}
        rows: list[tuple[Deputy, str]] = []
        index = 0
        for (district, _size, streets, area), quota in zip(D.DISTRICTS, quotas, strict=True):
            stations = [s for s in self.stations if s.name.startswith(district)]
            for _ in range(quota):
                index += 1
                if index == 1:
                    name, female, username = "刘建华", False, "deputy"
                elif index == 2:
                    name, female, username = "陈雅琴", True, "deputy2"
                else:
                    username = f"d{index:04d}"
                    while True:
                        name, female = self._name()
                        if name not in seen:
                            break
                seen.add(name)
                ethnicity = self._weighted(D.ETHNICITIES) if index > 2 else "汉族"
                if ethnicity == "蒙古族" and self.rng.random() < 0.7:
                    given = self.rng.choice(D.MONGOL_NAMES)
                    female = given in D.MONGOL_FEMALE
                    name = self.rng.choice("包白宝吴那") + given
                    name = name if name not in seen else name + self.rng.choice("图力")
                    seen.add(name)
                dep = Deputy(congress=self.city, term=self.term, name=name,
                             gender=Gender.FEMALE if female else Gender.MALE, ethnicity=ethnicity,
                             party=self._weighted(D.PARTIES) if index > 2 else "中共党员",
                             occupation=self._occupation(district, streets, index),
                             delegation=self.delegations[district],
                             group=self.rng.choice(self.groups) if self.rng.random() < 0.8 else None,
                             station=self.rng.choice(stations) if stations else None)
                dep.phone = self.rng.choice(("138", "139", "150", "151", "186", "187", "135", "177", "180")) \
                    + f"{self.rng.randrange(10**8):08d}"
                dep.id_number = self._id_number(area, female)
                rows.append((dep, username))
        # A few deputies who no longer serve (代表退出机制), never the demo accounts.
        others = [d for d, _ in rows[2:]]
        for dep in self.rng.sample(others, min(len(others), max(1, n // 150))):
            dep.status = DeputyStatus.SUSPENDED
        for dep in self.rng.sample([d for d in others if d.is_active], min(len(others) // 2, max(1, n // 120))):
            dep.status = DeputyStatus.TERMINATED
        users = [self._user(username, Role.DEPUTY, dep.name, is_active=dep.status != DeputyStatus.TERMINATED)
                 for dep, username in rows]
        User.objects.bulk_create(users)
        by_username = {u.username: u for u in User.objects.filter(congress=self.city, role=Role.DEPUTY)}
        for dep, username in rows:
            dep.user = by_username[username]
        Deputy.objects.bulk_create([d for d, _ in rows])
        self.deputies = list(Deputy.objects.filter(congress=self.city).select_related("user", "delegation")
                             .order_by("id"))
        self.active = [d for d in self.deputies if d.is_active]
        self.deputy = self.deputies[0]
        self.deputy2 = self.deputies[1]

    def _weighted(self, pairs: list[tuple[str, int]]) -> str:
        return self.rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]

    def _occupation(self, district: str, streets: list[str], index: int) -> str:
        if index == 1:
            return f"{district}东风街道党工委书记"
        if index == 2:
            return "北辰市第二人民医院主任医师"
        tpl = self.rng.choice(D.OCCUPATIONS)
        return tpl.format(d=district, s=self.rng.choice(streets), c=self.rng.choice(D.COMPANIES),
                          n=self.rng.choice("一二三四五六七八"), v=self.rng.choice(D.VILLAGES),
                          dk="县" if district.endswith("县") else "区")

    def _id_number(self, area: str, female: bool) -> str:
        birth = dt.date(1962, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 33))
        seq = self.rng.randrange(50) * 20 + self.rng.randrange(5) * 2 + (0 if female else 1)
        body = f"{area}{birth:%Y%m%d}{seq:03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
        return body + check

    # ------------------------------------------------------------------ plans

    def _count(self, n: int) -> int:
        return max(1, round(n * self.size.scale))

    def _route(self, msg: Message) -> tuple[Organization, Organization | None]:
        text = msg.title * 3 + msg.body[:300]
        scores = [(sum(text.count(k) for k in kws), -i, unit)
                  for i, (unit, kws) in enumerate(self.unit_keywords.items())]
        scores.sort(key=lambda s: (s[0], s[1]), reverse=True)
        default = self.orgs[D.CATEGORY_DEFAULT_UNIT[msg.category]]
        fitting = [s for s in scores if s[0] > 0 and s[2].field == msg.category]
        lead = fitting[0][2] if fitting else default
        alt = next((s[2] for s in scores if s[0] > 0 and s[2] != lead), None)
        if alt is None and default != lead:
            alt = default
        return lead, alt

    def _district_government(self, msg: Message) -> Organization | None:
        for d, *_ in D.DISTRICTS:
            if d in msg.title or d in msg.body[:200]:
                return self.orgs[f"{d}人民政府"]
        return None

    def _suggestion_body(self, msg: Message, unit: Organization) -> str:
        advice = [D.GENERIC_ADVICE[0].format(unit=unit.name)]
        pool = D.ADVICE.get(msg.category, []) + D.GENERIC_ADVICE[1:]
        advice += self.rng.sample(pool, 2)
        lines = [f"{D.NUMERALS[i]}、{a}{'。' if i == len(advice) - 1 else '；'}" for i, a in enumerate(advice)]
        return f"{self.rng.choice(D.INTROS)}\n“{msg.body}”\n为此建议：\n" + "\n".join(lines)

    def _plans(self) -> list[Plan]:
        rng = self.rng
        queue = list(self.messages)

        def take(pred=lambda m, u: True, answered: bool = False) -> tuple[Message, Organization, Organization | None]:
            # A case the unit answers takes a message with its real reply, the others one without.
            for strict in (True, False):
                for i, m in enumerate(queue):
                    if strict and bool(m.reply) != answered:
                        continue
                    lead, alt = self._route(m)
                    if pred(m, lead):
                        queue.pop(i)
                        return m, lead, alt
            raise DemoError("真实留言不够用")

        zhujian, jiaotong = self.orgs["市住房和城乡建设局"], self.orgs["市交通运输局"]
        forced: dict[str, list[Organization]] = {}
        for v in HANDLER_UNIT_VARIANTS:
            forced.setdefault(v, []).append(zhujian)
        for v in HANDLER2_UNIT_VARIANTS:
            forced.setdefault(v, []).append(jiaotong)
        leads: dict[str, list[Deputy]] = {}
        for v in DEPUTY_LEADS:
            leads.setdefault(v, []).append(self.deputy)
        for v in DEPUTY2_LEADS:
            leads.setdefault(v, []).append(self.deputy2)

        plans: list[Plan] = []
        pool = self.active[2:] or self.active
        frequent = rng.sample(pool, max(1, len(pool) // 5))  # some deputies raise many
        for variant, full in SUGGESTION_VARIANTS:
            for k in range(self._count(full)):
                want = forced.get(variant, [])
                unit_wanted = want[k] if k < len(want) and (self.size.scale >= 1 or k == 0) else None
                answered = variant in ANSWERED
                if unit_wanted is not None:
                    msg, unit, alt = take(lambda m, u, w=unit_wanted: u == w, answered)
                else:
                    msg, unit, alt = take(answered=answered)
                p = Plan(variant=variant, msg=msg, category=msg.category, unit=unit, alt_unit=alt)
                lead_list = leads.get(variant, [])
                p.lead = lead_list[k] if k < len(lead_list) else rng.choice(
                    frequent if rng.random() < 0.5 else pool)
                p.title = msg.title_as_deputy
                p.body = self._suggestion_body(msg, unit)
                p.confidential = rng.random() < 0.04
                if variant in CLOSED:
                    p.series = rng.choices(["s4", "s5", "interim"], weights=[35, 45, 20])[0]
                elif variant == "extended":
                    p.series = "s5" if k % 2 == 0 else "interim"
                if variant in HANDLING | CLOSED | {"replied"}:
                    district = self._district_government(msg)
                    if rng.random() < 0.3:
                        co = district if district and district != unit else alt
                        p.co = [co] if co and co != unit else []
                    elif rng.random() < 0.04 and alt is not None and alt != unit:
                        p.split = True
                    p.promise = rng.random() < 0.3
                    p.keep = p.promise and variant in CLOSED and rng.random() < 0.5
                    p.returned_first = variant in CLOSED and rng.random() < 0.04
                    p.review_returned_first = variant in CLOSED and rng.random() < 0.08
                if variant == "reassigned" or variant == "reassign_pending":
                    p.co, p.split = [], False
                    if p.alt_unit is None or p.alt_unit == unit:
                        p.alt_unit = self.orgs[D.CATEGORY_DEFAULT_UNIT["其他"]]
                plans.append(p)
        self._cosigners(plans)
        plans += self._hot_plans()
        self._choose_features(plans)
        self._merge_targets(plans)
        plans += self._motion_plans()
        return plans

    def _hot_plans(self) -> list[Plan]:
        """Hot topics: in each cluster several deputies raise one local problem over a few months,
        each in their own words (a different citizen's message), with more or fewer co-signers.
        The state follows from how long ago it was raised, so the monthly trend has a shape and
        older ones are answered and closed; none is merged, merged ones count only as support."""
        rng = self.rng
        clusters = D.HOT_CLUSTERS[: self.size.hot_clusters]
        wanted = {mid: (c["district"], c["category"], c["replace"], c.get("quote", 240))
                  for c in clusters for mid, _t in self._hot_messages(c)}
        # The letters were written in 2019; their own dates move with them into this past year.
        messages = load_hot_messages(self.data_dir, wanted, years_later=self.today.year - 2019)
        pool = self.active[2:] or self.active
        plans: list[Plan] = []
        for c in clusters:
            unit = self.orgs[c["unit"]]
            co = self.orgs[c["co"]] if c["co"] else None
            local = [d for d in pool if d.delegation.name == f"{c['district']}代表团"]
            newest, oldest, busiest = c["days"]
            leads: list[Deputy] = []
            for mid, title in self._hot_messages(c):
                msg = messages.get(mid)
                if msg is None:  # a message missing from the data is left out, not guessed
                    continue
                free = [d for d in (local if rng.random() < 0.65 else pool) if d not in leads] \
                    or [d for d in pool if d not in leads]
                lead = rng.choice(free)
                leads.append(lead)
                age = round(rng.triangular(newest, oldest, busiest))
                p = Plan(variant=self._hot_variant(age), msg=msg, category=c["category"], unit=unit,
                         title=title or deputy_title(msg.title, msg.body) or msg.title, lead=lead,
                         submit_on=self.workday_back(self.today - dt.timedelta(days=age)))
                p.body = self._hot_body(msg, c)
                if co is not None and p.variant != "registered" and rng.random() < 0.5:
                    p.co = [co]
                p.promise = p.variant in CLOSED | {"replied"} and rng.random() < 0.3
                lo, hi = c["cosigners"]
                same = [d for d in self.active if d.delegation_id == lead.delegation_id and d != lead]
                others = [d for d in self.active if d != lead and d not in same]
                n = min(rng.randint(lo, hi), len(same) + len(others))
                picked: list[Deputy] = []
                while len(picked) < n:
                    src = same if same and (rng.random() < 0.6 or not others) else others
                    d = rng.choice(src)
                    src.remove(d)
                    picked.append(d)
                p.cosigners = picked
                plans.append(p)
        self.stats["hot"] = len(plans)
        return plans

    def _hot_messages(self, cluster: dict) -> list[tuple[str, str]]:
        each = self.size.hot_each
        return cluster["messages"][:each] if each else cluster["messages"]

    def _hot_variant(self, age: int) -> str:
        """The state of a suggestion raised `age` days ago, as the handling times of the rest go."""
        r = self.rng.random()
        if age < 12:
            return "registered"
        if age < 40:
            return "handling_green"
        if age < 70:
            return "handling_green" if r < 0.6 else "replied"
        if age < 100:
            return "replied" if r < 0.7 else "rehandling"
        if age >= 130 and r < 0.15:
            return "closed_expired"
        return "closed_satisfied" if r < 0.7 else "closed_basically"

    def _hot_body(self, msg: Message, cluster: dict) -> str:
        # Two general measures around one that fits this very problem; the general ones are shared
        # by many suggestions, so the hot-topic page drops them and names the problem instead.
        first, last = self.rng.sample(D.HOT_GENERAL_ADVICE, 2)
        advice = [first, self.rng.choice(cluster["advice"]), last]
        lines = [f"{D.NUMERALS[i]}、{a}{'。' if i == len(advice) - 1 else '；'}" for i, a in enumerate(advice)]
        intro = self.rng.choice(D.HOT_INTROS).format(topic=cluster["topic"])
        return f"{intro}\n“{msg.body}”\n为此建议：\n" + "\n".join(lines)

    def _cosigners(self, plans: list[Plan]) -> None:
        for p in plans:
            n = self.rng.choices([0, 1, 2, 3, 4], weights=[25, 20, 25, 20, 10])[0]
            same = [d for d in self.active if d.delegation_id == p.lead.delegation_id and d != p.lead]
            others = [d for d in self.active if d != p.lead]
            picked: list[Deputy] = []
            for _ in range(n):
                src = same if same and self.rng.random() < 0.7 else others
                d = self.rng.choice(src)
                if d not in picked and d != p.lead:
                    picked.append(d)
            if p.variant == "submitted" and self.deputy2 != p.lead and self.deputy2 not in picked:
                picked.append(self.deputy2)  # deputy2 has invitations waiting
            if p.variant == "submitted" and p.lead == self.deputy2 and self.deputy not in picked:
                picked.append(self.deputy)
            p.cosigners = picked

    def _choose_features(self, plans: list[Plan]) -> None:
        rng = self.rng
        keyable = [p for p in plans if p.variant in {"handling_red", "extended", "rehandling", "replied",
                                                     "closed_satisfied", "closed_basically", "closed_round2"}]
        keyable.sort(key=lambda p: (p.series != "s5", p.category != "城乡建设", rng.random()))
        for p in keyable[: self._count(15)]:
            p.key = True
        bundle_size = max(2, round(6 * self.size.scale)) if self.size.scale < 1 else 6
        for b, (_title, _committee, category) in enumerate(D.BUNDLES):
            fit = [p for p in plans if p.category == category and p.bundle is None
                   and p.variant in {"handling_green", "handling_red", "extended", "replied", "closed_satisfied",
                                     "closed_basically"} and p.series != "s4"]
            for p in fit[:bundle_size]:
                p.bundle = b
        public = [p for p in plans if p.variant in CLOSED | {"replied"} and not p.confidential]
        public.sort(key=lambda p: (p.variant == "replied", rng.random()))
        for p in public[: self._count(60)]:
            p.public = True
        ff = [p for p in plans if p.variant in {"closed_satisfied", "closed_basically", "replied"}
              and p.series != "interim"]
        for p in ff[: self._count(8)]:
            p.face_to_face = True

    def _merge_targets(self, plans: list[Plan]) -> None:
        targets = [p for p in plans if p.series == "s5" and p.variant in CLOSED | {"extended"}]
        if not targets:
            first = next(p for p in plans if p.variant == "closed_satisfied")
            first.series = "s5"
            targets = [first]
        for i, p in enumerate(x for x in plans if x.variant == "merged"):
            target = targets[i % len(targets)]
            p.series, p.merge_into = "s5", target
            # A second deputy raised the same problem: same message, another wording.
            p.msg, p.category, p.unit = target.msg, target.category, target.unit
            p.title = deputy_title(target.msg.title, target.msg.body, variant=1) or target.title
            p.body = self._suggestion_body(target.msg, target.unit)

    def _motion_plans(self) -> list[Plan]:
        plans = []
        motions = list(D.MOTIONS)
        for variant, n in MOTION_VARIANTS:
            for _ in range(1 if self.size.motions_each else n):
                title, category, committee, cause, basis, plan_text = motions.pop(0)
                p = Plan(variant=variant, kind="motion", motion=(committee, cause, basis, plan_text),
                         title=title, category=category, series="interim" if variant == "m_draft" else "s5")
                p.body = f"{cause}\n{basis}"
                p.lead = self.deputy if variant == "m_referred" and not plans else self.rng.choice(self.active[2:])
                # A motion needs ten deputies (the lead among them) invited before it can be submitted;
                # the converted one loses three who decline, so it ends below ten and becomes a suggestion.
                n_cos = 9 if variant == "m_converted" else self.rng.randint(10, 13)
                others = [d for d in self.active if d != p.lead]
                p.cosigners = self.rng.sample(others, min(n_cos, len(others)))
                p.unit = self.orgs[D.CATEGORY_DEFAULT_UNIT[category]]
                plans.append(p)
        return plans

    # ------------------------------------------------------------------ time

    def wd_after(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_workdays(day, n)

    def wd_before(self, day: dt.date, n: int) -> dt.date:
        counted = 0
        while counted < n:
            day -= dt.timedelta(days=1)
            if self.cal.is_workday(day):
                counted += 1
        return day

    def workday_back(self, day: dt.date) -> dt.date:
        while not self.cal.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def at(self, prev: dt.datetime | None, day: dt.date, *, hour: float | None = None) -> dt.datetime:
        """A moment in office hours on `day`, after `prev`, never after the real now."""
        day = min(day, self.latest)
        if hour is None:
            hour = self.rng.choice((9, 9.5, 10, 10.5, 11, 14.5, 15, 15.5, 16, 16.5, 17))
        t = dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60) + self.rng.randrange(25)),
                                tzinfo=TZ)
        if prev is not None and t <= prev:
            t = prev + dt.timedelta(minutes=self.rng.randint(3, 40))
        cap = self.real_now - dt.timedelta(minutes=5)
        if t > cap:
            t = max(cap, prev + dt.timedelta(seconds=1)) if prev else cap
        return t

    def session_days(self, series: str) -> tuple[dt.date, dt.date, dt.date]:
        """(opens, closes, the assignment meeting 交办会 about three weeks after closing)."""
        s = self.sessions[5 if series == "s5" else 4]
        return s.opens_on, s.closes_on, self.wd_after(s.closes_on, 14)

    # ------------------------------------------------------------------ the scheduler

    def _run(self, plans: list[Plan]) -> None:
        start = time.monotonic()
        heap: list[tuple[dt.datetime, int, Iterator[dt.datetime]]] = []
        for i, p in enumerate(plans):
            script = self._motion(p) if p.kind == "motion" else self._suggestion(p)
            first = next(script, None)
            if first is not None:
                heap.append((first, i, script))
        heapq.heapify(heap)
        steps = 0
        while heap:
            when, i, script = heapq.heappop(heap)
            self.now = when
            nxt = next(script, None)
            steps += 1
            if nxt is not None:
                if nxt < when:
                    raise DemoError(f"{plans[i].variant}: 时间倒退 {nxt} < {when}")
                heapq.heappush(heap, (nxt, i, script))
        self._log(f"  案件脚本：{len(plans)} 件，{steps} 步，{time.monotonic() - start:.1f} 秒")

    def fire(self, p: Plan, name: str, actor: User | None, data: dict[str, Any] | None = None) -> Case:
        try:
            result = engine.fire(p.case, name, actor, data or {}, now=self.now)
        except TransitionError as exc:
            raise DemoError(f"{p.variant}《{p.title}》{name} 失败：{exc.message} {exc.errors}") from exc
        self.stats[name] += 1
        p.case = result.case
        return result.case

    def create(self, p: Plan, data: dict[str, Any], session: Session | None) -> None:
        user = p.lead.user
        try:
            p.case = services.create_draft(user, data, session=session, now=self.now)
        except TransitionError as exc:
            raise DemoError(f"{p.variant}《{p.title}》起草失败：{exc.message} {exc.errors}") from exc
        self.stats["create"] += 1

    # ------------------------------------------------------------------ suggestion scripts

    def _intake_days(self, p: Plan) -> dict[str, dt.date]:
        """When the case was drafted, submitted, registered and assigned."""
        rng, v = self.rng, p.variant
        if p.submit_on is not None:
            submit = p.submit_on
            register = self.wd_after(submit, rng.randint(1, 2))
            return {"create": submit - dt.timedelta(days=rng.randint(0, 5)), "submit": submit,
                    "register": register, "assign": self.wd_after(register, rng.randint(1, 4))}
        if p.series in ("s4", "s5"):
            opens, closes, meeting = self.session_days(p.series)
            created = opens + dt.timedelta(days=rng.randrange((closes - opens).days))
            registered = self.wd_after(closes, rng.randint(1, 5))
            assign = meeting if rng.random() < 0.8 else self.wd_after(meeting, rng.randint(1, 8))
            return {"create": created, "submit": created, "register": registered, "assign": assign}
        today = self.latest
        if v == "draft":
            return {"create": today - dt.timedelta(days=rng.randint(0, 30))}
        if v == "submitted":
            submit = self.wd_before(self.today, rng.randint(1, 3))
            return {"create": submit - dt.timedelta(days=rng.randint(0, 3)), "submit": submit}
        if v in ("returned", "withdrawn"):
            submit = today - dt.timedelta(days=rng.randint(8, 90))
            return {"create": submit - dt.timedelta(days=rng.randint(0, 3)), "submit": submit,
                    "register": self.wd_after(submit, 2)}
        if v == "registered":
            submit = self.wd_before(self.today, rng.randint(3, 14))
            return {"create": submit - dt.timedelta(days=rng.randint(0, 3)), "submit": submit,
                    "register": self.wd_after(submit, 1)}
        assign = self._assign_day(p)
        register = self.wd_before(assign, rng.randint(0, 2))
        submit = self.wd_before(register, rng.randint(1, 2))
        return {"create": submit - dt.timedelta(days=rng.randint(0, 4)), "submit": submit,
                "register": register, "assign": assign}

    def _assign_day(self, p: Plan) -> dt.date:
        """For interim cases: an assignment day that leaves the case in the wanted light."""
        rng, v, today = self.rng, p.variant, self.latest
        warn = self.rules.warn_days
        if v == "handling_yellow":
            return self._assign_for_due(1, warn)
        if v == "handling_red":
            return self._assign_for_due(-60, -3)
        if v == "reassign_pending":
            return self.wd_before(self.today, rng.randint(1, 3))
        if v == "handling_new":  # assigned yesterday or the day before: still 待签收
            return self.wd_before(self.today, rng.randint(1, 2))
        if v == "extended":
            return self.workday_back(today - dt.timedelta(days=rng.randint(75, 88)))
        if v in ("handling_green",):
            return self._assign_for_due(warn + 3, 90)
        if v in ("reassigned", "reply_drafted", "reply_signed", "reply_returned", "replied"):
            return self.workday_back(today - dt.timedelta(days=rng.randint(40, 80)))
        if v == "rehandling":
            return self.workday_back(today - dt.timedelta(days=rng.randint(100, 125)))
        return self.workday_back(today - dt.timedelta(days=rng.randint(150, 290)))  # closed

    def _assign_for_due(self, lo: int, hi: int) -> dt.date:
        """A past working day whose 3-month reply deadline falls between today+lo and today+hi
        (computed as the engine will compute it, holidays and overrides included)."""
        fits = []
        day = self.latest
        for _ in range(200):
            if self.cal.is_workday(day):
                due = compute_due(DeadlineKind.REPLY, day, self.rules, self.cal)
                if lo <= (due - self.today).days <= hi:
                    fits.append(day)
            day -= dt.timedelta(days=1)
        if not fits:
            raise DemoError(f"找不到答复期限在 {lo}～{hi} 天后的交办日期")
        return self.rng.choice(fits)

    def _draft_data(self, p: Plan) -> dict[str, Any]:
        return {"kind": p.kind, "title": p.title, "body": p.body,
                "category": p.category if self.rng.random() < 0.8 or p.kind == "motion" else "",
                "cosigners": [d.pk for d in p.cosigners], "confidential": p.confidential}

    def _suggestion(self, p: Plan) -> Iterator[dt.datetime]:
        rng, v = self.rng, p.variant
        days = self._intake_days(p)
        session = self.sessions[5 if p.series == "s5" else 4] if p.series != "interim" else None
        t = self.at(None, days["create"])
        yield t
        data = self._draft_data(p)
        self.create(p, data, session)
        lead_user = p.lead.user
        if v == "draft":
            return
        if v == "withdrawn" and rng.random() < 0.3:
            t = self.at(t, days["create"] + dt.timedelta(days=rng.randint(1, 5)))
            yield t
            self.fire(p, "withdraw", lead_user, {"reason": rng.choice(D.WITHDRAW_REASONS)})
            return
        t = self.at(t, days["submit"])
        yield t
        self.fire(p, "submit", lead_user)
        if p.returned_first or v == "returned":
            t = self.at(t, self.wd_after(days["submit"], 1))
            yield t
            self.fire(p, "return_for_revision", self.clerk, {"reason": rng.choice(D.RETURN_REASONS)})
            if v == "returned":
                return
            t = self.at(t, days["submit"] + dt.timedelta(days=1))
            yield t
            data = {k: val for k, val in data.items() if k != "kind"}
            data["body"] = p.body + "\n（已按代表工委意见修改补充。）"
            self.fire(p, "edit", lead_user, data)
            t = self.at(t, days["submit"] + dt.timedelta(days=1))
            yield t
            self.fire(p, "submit", lead_user)
        for d in p.cosigners:
            if v == "submitted" and (d in (self.deputy, self.deputy2) or rng.random() < 0.5):
                continue  # still waiting for this co-signer
            t = self.at(t, days["submit"], hour=rng.choice((15, 16, 17, 18, 19, 20)))
            yield t
            self.fire(p, "confirm_cosign" if rng.random() < 0.9 else "decline_cosign", d.user)
        if v == "submitted":
            return
        if v == "withdrawn" and rng.random() < 0.5:
            t = self.at(t, days["submit"] + dt.timedelta(days=1))
            yield t
            self.fire(p, "withdraw", lead_user, {"reason": rng.choice(D.WITHDRAW_REASONS)})
            return
        if v == "merged":
            t = self.at(t, self.wd_after(self.sessions[5].closes_on, 6))
            yield t
            self.fire(p, "merge", self.clerk, {"target": p.merge_into.case.pk, "reason": D.MERGE_REASON})
            return
        t = self.at(t, days["register"])
        yield t
        self.fire(p, "register", self.clerk, {"category": p.category})
        if v == "registered":
            return
        if v == "withdrawn":
            t = self.at(t, days["register"] + dt.timedelta(days=rng.randint(1, 4)))
            yield t
            self.fire(p, "withdraw", lead_user, {"reason": rng.choice(D.WITHDRAW_REASONS)})
            return
        yield from self._handle(p, t, days["assign"])

    def _assign_data(self, p: Plan) -> dict[str, Any]:
        if p.split and p.alt_unit is not None:
            return {"mode": "split", "split": [p.unit.pk, p.alt_unit.pk], "note": "请按各自职责分别办理、分别答复。"}
        return {"mode": "lead", "lead": p.unit.pk, "co": [u.pk for u in p.co],
                "note": "请认真研究办理，加强与代表沟通联系，按时答复。"}

    def _answering(self, p: Plan) -> list[Assignment]:
        return list(Assignment.objects.filter(
            case=p.case, role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT]).exclude(
            state=AssignmentState.WITHDRAWN).select_related("unit"))

    def _handle(self, p: Plan, t: dt.datetime, assign: dt.date) -> Iterator[dt.datetime]:
        rng, v = self.rng, p.variant
        p.assign_day = assign
        t = self.at(t, assign, hour=9.5)
        yield t
        self.fire(p, "assign", self.clerk, self._assign_data(p))
        if v not in ("reassign_pending", "reassigned"):  # those ask to move it instead of signing
            t = yield from self._acknowledge(p, t, assign)
        if v in ("reassign_pending", "reassigned"):
            day = min(self.wd_after(assign, 2 if v == "reassigned" else 1), self.latest)
            t = self.at(t, max(day, assign))
            yield t
            lead = self._answering(p)[0]
            reason = D.REASSIGN_REASON.format(other=p.alt_unit.name)
            self.fire(p, "request_reassignment", self.handler[lead.unit_id],
                      {"assignment": lead.pk, "reason": reason})
            if v == "reassign_pending":
                return
            t = self.at(t, self.wd_after(day, rng.randint(1, 2)))
            yield t
            approve = rng.random() < 0.75
            self.fire(p, "decide_reassignment", self.clerk, {
                "assignment": lead.pk, "approve": "1" if approve else "0",
                "new_unit": p.alt_unit.pk if approve else "",
                "note": "同意调整。" if approve else "经研究，该事项属于你单位职责，请继续办理。"})
            if approve:
                p.unit = p.alt_unit
            t = yield from self._acknowledge(p, t, t.astimezone(TZ).date())
        # Leaders and committees pick key suggestions early; the clerk bundles them by topic.
        if p.key:
            t = self.at(t, self.wd_after(assign, rng.randint(2, 6)))
            yield t
            committee = self.orgs[D.CATEGORY_COMMITTEE[p.category]]
            self.fire(p, "mark_key", rng.choice(self.leaders), {
                "kind": "leader", "leader": rng.choice(self.leaders).pk, "committee": committee.pk,
                "note": D.KEY_NOTE.format(committee=committee.name)})
        if p.bundle is not None:
            t = self.at(t, self.wd_after(assign, rng.randint(3, 8)))
            yield t
            title, committee, _category = D.BUNDLES[p.bundle]
            if title in self.bundle_ids:
                self.fire(p, "add_to_bundle", self.clerk, {"bundle": self.bundle_ids[title]})
            else:
                self.fire(p, "add_to_bundle", self.clerk, {"new_title": title, "committee": self.orgs[committee].pk})
                self.bundle_ids[title] = Bundle.objects.get(congress=self.city, title=title).pk
        # When the unit answers (or, for cases still being handled, how far it got).
        if v in CLOSED or v in ("replied", "rehandling"):
            reply_day = self._reply_day(p, assign)
        elif v in ("reply_drafted", "reply_signed", "reply_returned"):
            reply_day = self.wd_before(self.today, rng.randint(2, 5))
        else:
            reply_day = None
        horizon = reply_day or self.latest
        # 三见面: contact before handling; co-units send their opinions; extensions.
        before = self.wd_after(assign, rng.randint(2, 10))
        if before < horizon and rng.random() < 0.85:
            t = yield from self._contact(p, t, before, "before")
        for co in Assignment.objects.filter(case=p.case, role=AssignmentRole.CO).select_related("unit"):
            day = self.wd_after(assign, rng.randint(5, 22))
            if day < horizon and rng.random() < 0.85:
                t = self.at(t, day)
                yield t
                self.fire(p, "give_co_opinion", self.handler[co.unit_id], {
                    "assignment": co.pk, "opinion": rng.choice(D.CO_OPINIONS).format(
                        unit=co.unit.name, subject=subject_of(p.title), action=rng.choice(D.CO_ACTIONS))})
        if v == "extended":
            day = min(self.wd_after(assign, rng.randint(40, 55)), self.latest)
            t = self.at(t, day)
            yield t
            lead = self._answering(p)[0]
            self.fire(p, "extend", self.clerk, {"assignment": lead.pk, "months": 3 if p.series == "s5" else 2,
                                                "reason": D.EXTEND_REASON})
        if p.face_to_face:
            day = self.wd_after(assign, rng.randint(15, 30))
            if day < horizon:
                t = yield from self._contact(p, t, day, "during", face=True)
        elif rng.random() < 0.4:
            day = self.wd_after(assign, rng.randint(15, 35))
            if day < horizon:
                t = yield from self._contact(p, t, day, "during")
        if reply_day is None:
            return
        stop = {"reply_drafted": "draft", "reply_signed": "sign", "reply_returned": "return"}.get(v)
        cls = self._reply_class(v)
        t = yield from self._reply_round(p, t, reply_day, cls, stop=stop,
                                         returned_first=p.review_returned_first)
        if stop:
            return
        yield from self._after_reply(p, t, reply_day)

    def _acknowledge(self, p: Plan, t: dt.datetime, assigned: dt.date) -> Iterator[dt.datetime]:
        """签收: each unit signs for its new assignment the same working day or within two. What
        was assigned in the last two working days is still 待签收, as in any office's inbox."""
        if p.variant == "handling_new" or assigned >= self.wd_before(self.today, 2):
            return t
        for a in Assignment.objects.filter(case=p.case, state=AssignmentState.HANDLING,
                                           received_at__isnull=True).order_by("id"):
            day = min(self.wd_after(assigned, self.rng.choice((0, 1, 1, 2))), self.latest)
            t = self.at(t, day)
            yield t
            self.fire(p, "acknowledge", self.handler[a.unit_id], {"assignment": a.pk})
        return t

    def _reply_day(self, p: Plan, assign: dt.date) -> dt.date:
        rng, v = self.rng, p.variant
        if v == "replied":
            return self.wd_before(self.today, rng.randint(5, 14))
        if v == "rehandling":
            return self.wd_before(self.today, rng.randint(14, 40))
        return self.workday_back(assign + dt.timedelta(days=rng.randint(30, 78)))

    def _reply_class(self, v: str) -> str:
        weights = {"closed_satisfied": (60, 35, 5), "closed_basically": (25, 50, 25),
                   "closed_round2": (10, 50, 40), "rehandling": (10, 50, 40)}.get(v, (40, 45, 15))
        return self.rng.choices("ABC", weights=weights)[0]

    def _contact(self, p: Plan, t: dt.datetime, day: dt.date, stage: str,
                 face: bool = False) -> Iterator[dt.datetime]:
        t = self.at(t, day)
        yield t
        a = self._answering(p)[0]
        by = self.head[a.unit_id] if face else self.handler[a.unit_id]
        if face:
            summary = D.FACE_TO_FACE.format(head=self.head[a.unit_id].name[0], deputy=p.lead.name)
            participants = f"{a.unit.name}{self.head[a.unit_id].name}，{p.lead.name}代表及附议代表"
            method = "face_to_face"
        else:
            method, summary = self.rng.choice(D.CONTACT_SUMMARIES[stage])
            summary = summary.format(subject=subject_of(p.title), unit=a.unit.name, n=self.rng.choice("两三四五"))
            participants = f"{p.lead.name}代表，{a.unit.name}{self.handler[a.unit_id].name}"
        self.fire(p, "log_contact", by, {"assignment": a.pk, "stage": stage, "method": method,
                                         "happened_on": t.astimezone(TZ).date().isoformat(),
                                         "participants": participants, "summary": summary})
        return t

    def _reply_text(self, p: Plan, unit: Organization, day: dt.date, round2: bool = False) -> str:
        """The unit's letter: its salutation, the real reply to this very message (or to the most
        similar one of the same field), its closing. A second round, or a matter no real reply
        answers, is written from the suggestion's own subject and the measures of its field."""
        subject = subject_of(p.title)
        measures = self._measures(p)
        if round2:
            core = D.REPLY_ROUND2.format(we=self._we(unit), subject=subject, m1=measures[0], m2=measures[1],
                                         month=self.rng.randint(3, 11), office=self.rng.choice(D.REPLY_OFFICES))
            self.reply_sources.append(ReplySource(p.title, p.category, 2, "written"))
        else:
            text = p.msg.title + " " + p.msg.body[:300] if p.msg else p.title + " " + p.body[:300]
            choice: ReplyChoice | None = self.matcher.choose(text, p.category, own=p.msg)
            if choice is not None:
                core = choice.reply.core
                self.reply_sources.append(ReplySource(
                    p.title, p.category, 1, "same" if choice.same_message else "similar", choice.reply.id,
                    choice.reply.topic, round(choice.score, 3)))
            else:
                core = D.REPLY_WRITTEN.format(subject=subject, we=self._we(unit), m1=measures[0], m2=measures[1],
                                              m3=measures[2])
                self.reply_sources.append(ReplySource(p.title, p.category, 1, "written"))
        opening = (D.REPLY_ROUND2_OPENING if round2 else D.REPLY_OPENING).format(
            deputy=p.lead.name, title=p.title, unit=unit.name)
        closing = D.REPLY_CLOSING.format(short=unit.short_name or unit.name, unit=unit.name,
                                         date=f"{day.year}年{day.month}月{day.day}日")
        return opening + core + closing

    @staticmethod
    def _we(unit: Organization) -> str:
        if unit.name.endswith("人民政府"):
            return "我" + ("县" if unit.name.removesuffix("人民政府").endswith("县") else "区") + "政府"
        return next((we for end, we in D.WE if unit.name.endswith(end)), "我单位")

    def _measures(self, p: Plan) -> list[str]:
        """Three measures that fit the matter: a hot topic's own, else its field's."""
        cluster = next((c for c in D.HOT_CLUSTERS if p.msg is not None
                        and any(mid == p.msg.id for mid, _t in c["messages"])), None)
        pool = list(cluster["advice"]) if cluster else D.ADVICE.get(p.category, []) + D.GENERIC_ADVICE[1:]
        pool = [m.format(unit="我单位") for m in pool]
        while len(pool) < 3:
            pool.append(D.HOT_GENERAL_ADVICE[len(pool) % len(D.HOT_GENERAL_ADVICE)])
        return self.rng.sample(pool, 3)

    def _reply_round(self, p: Plan, t: dt.datetime, day: dt.date, cls: str, *, stop: str | None = None,
                     returned_first: bool = False, round2: bool = False) -> Iterator[dt.datetime]:
        """Each answering unit drafts, its head signs, the clerk reviews (possibly returns once)."""
        rng = self.rng
        for a in self._answering(p):
            draft_day = day
            promises = ""
            if p.promise and not round2 and cls in "AB":
                due = self.today + dt.timedelta(days=rng.randint(30, 400))
                promises = f"{due.isoformat()} {rng.choice(D.PROMISES)}"
            for attempt in range(2 if returned_first else 1):
                t = self.at(t, draft_day)
                yield t
                self.fire(p, "draft_reply", self.handler[a.unit_id], {
                    "assignment": a.pk, "reply_class": cls, "promises": promises,
                    "text": self._reply_text(p, a.unit, draft_day, round2)})
                if stop == "draft":
                    return t
                reply = Reply.objects.filter(assignment=a, round=p.case.round, state=ReplyState.DRAFT).latest("id")
                t = self.at(t, min(self.wd_after(draft_day, rng.randint(0, 1)), self.latest))
                yield t
                self.fire(p, "sign_reply", self.head[a.unit_id], {"reply": reply.pk, "confirm": True})
                if stop == "sign":
                    return t
                review_day = min(self.wd_after(t.astimezone(TZ).date(), rng.randint(1, 2)), self.latest)
                t = self.at(t, review_day)
                yield t
                back = stop == "return" or (returned_first and attempt == 0)
                if back:
                    self.fire(p, "return_reply", self.clerk, {"reply": reply.pk, "reason": rng.choice(
                        D.REVIEW_RETURN_NOTES).format(subject=subject_of(p.title))})
                else:
                    self.fire(p, "accept_reply", self.clerk, {"reply": reply.pk, "note": "审核通过。"})
                if stop == "return":
                    return t
                draft_day = min(self.wd_after(review_day, rng.randint(1, 3)), self.latest)
        return t

    def _after_reply(self, p: Plan, t: dt.datetime, reply_day: dt.date) -> Iterator[dt.datetime]:
        rng, v = self.rng, p.variant
        replied_on = t.astimezone(TZ).date()
        eval_due = self.wd_after(replied_on, 15)
        if rng.random() < 0.5 or p.public:
            day = min(self.wd_after(replied_on, rng.randint(1, 4)), self.latest)
            t = yield from self._contact(p, t, day, "after")
        if v == "replied":
            if p.public:
                t = self.at(t, self.wd_after(replied_on, rng.randint(1, 3)))
                yield t
                self.fire(p, "publish", self.clerk)
            return
        if v == "closed_expired":
            t = self.at(t, eval_due + dt.timedelta(days=1), hour=1)
            yield t
            self.fire(p, "close_expired", None)
        else:
            verdict = {"closed_basically": "basically"}.get(v, "satisfied")
            if v in ("closed_round2", "rehandling"):
                verdict = "unsatisfied"
            day = min(self.wd_after(replied_on, rng.randint(1, 10)), eval_due, self.latest)
            t = self.at(t, day, hour=rng.choice((12.5, 20, 21, 10)))
            yield t
            self.fire(p, "evaluate", p.lead.user, {"verdict": verdict,
                                                  "comment": rng.choice(D.EVAL_COMMENTS[verdict])})
            if verdict == "unsatisfied":
                evaluated = t.astimezone(TZ).date()
                t = yield from self._contact(p, t, self.wd_after(evaluated, rng.randint(2, 6)), "during")
                if v == "rehandling":
                    return
                second = self.wd_after(evaluated, rng.randint(10, 18))
                t = yield from self._reply_round(p, t, second, rng.choice("AB"), round2=True)
                replied_on = t.astimezone(TZ).date()
                t = self.at(t, self.wd_after(replied_on, rng.randint(1, 8)), hour=20)
                yield t
                verdict = rng.choice(("satisfied", "basically"))
                self.fire(p, "evaluate", p.lead.user, {"verdict": verdict,
                                                      "comment": rng.choice(D.EVAL_COMMENTS[verdict])})
        closed_on = t.astimezone(TZ).date()
        if p.keep:
            for c in Commitment.objects.filter(case=p.case, state=CommitmentState.OPEN).select_related("unit"):
                day = closed_on + dt.timedelta(days=rng.randint(20, 200))
                if day < self.latest:
                    t = self.at(t, self.workday_back(day))
                    yield t
                    self.fire(p, "keep_commitment", self.handler[c.unit_id],
                              {"commitment": c.pk, "note": rng.choice(D.KEEP_NOTES)})
        if p.public:
            t = self.at(t, min(self.wd_after(closed_on, rng.randint(3, 20)), self.latest))
            yield t
            self.fire(p, "publish", self.clerk)

    # ------------------------------------------------------------------ motion scripts

    def _motion(self, p: Plan) -> Iterator[dt.datetime]:
        rng, v = self.rng, p.variant
        committee_name, cause, basis, plan_text = p.motion
        opens, closes, meeting = self.session_days("s5")
        if v == "m_draft":
            day, session = self.latest - dt.timedelta(days=rng.randint(3, 20)), None
        else:
            day, session = opens + dt.timedelta(days=rng.randrange((closes - opens).days)), self.sessions[5]
        t = self.at(None, day)
        yield t
        data = dict(self._draft_data(p), cause=cause, basis=basis, plan=plan_text)
        self.create(p, data, session)
        if v == "m_draft":
            return
        t = self.at(t, day)
        yield t
        self.fire(p, "submit", p.lead.user)
        for i, d in enumerate(p.cosigners):
            t = self.at(t, day, hour=18)
            yield t
            confirm = not (v == "m_converted" and i < 3)
            self.fire(p, "confirm_cosign" if confirm else "decline_cosign", d.user)
        if v == "m_returned":
            t = self.at(t, closes)
            yield t
            self.fire(p, "return_for_revision", self.clerk, {
                "reason": "议案方案部分较为原则，请补充具体的立法建议条款后重新提交。"})
            return
        if v == "m_converted":
            t = self.at(t, self.wd_after(closes, 2))
            yield t
            self.fire(p, "convert", self.clerk, {"reason": D.CONVERT_REASON})
            motion_plan = p
            converted = Case.objects.get(pk=p.case.converted_to_id)
            # The letters name the suggestion as it is now titled (a motion's title may be reworded).
            p = Plan(variant="closed_satisfied", msg=None, title=converted.title, category=p.category, lead=p.lead,
                     unit=p.unit, series="s5", case=converted)
            p.promise = True
            yield from self._handle(p, t, meeting)
            motion_plan.case = p.case
            return
        t = self.at(t, self.wd_after(closes, rng.randint(1, 3)))
        yield t
        self.fire(p, "register", self.clerk, {"category": p.category})
        t = self.at(t, self.wd_after(closes, rng.randint(4, 7)))
        yield t
        committee = self.orgs[committee_name]
        self.fire(p, "refer_to_committee", self.clerk, {"committee": committee.pk})
        if v == "m_referred":
            return
        t = self.at(t, self.wd_after(closes, rng.randint(60, 140)))
        yield t
        self.fire(p, "committee_report", self.staff[committee.pk],
                  {"result": D.COMMITTEE_REPORT.format(committee=committee.name)})
        t = self.at(t, self.wd_after(t.astimezone(TZ).date(), 5))
        yield t
        self.fire(p, "publish", self.clerk)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} - {"建议", "问题", "关于", "北辰", "辰市"}


def summary(congress: Congress) -> dict[str, Any]:
    """Counts a reader of the demo wants: cases by kind and state, lights, events."""
    from django.db.models import Count

    from lvzhi.cases.deadlines import light
    from lvzhi.cases.events import verify_chain
    from lvzhi.cases.models import Event

    by_state = {(r["kind"], r["state"]): r["n"] for r in
                Case.objects.filter(congress=congress).values("kind", "state").annotate(n=Count("id"))}
    rules = RuleSet.objects.get(congress=congress)
    today = timezone.localdate()
    lights: Counter[str] = Counter()
    for d in Deadline.objects.filter(case__congress=congress, met_at__isnull=True, cancelled=False,
                                     kind__in=[DeadlineKind.REPLY, DeadlineKind.REHANDLE]):
        lights[str(light(d, today, rules.warn_days))] += 1
    cases = Case.objects.filter(congress=congress)
    return {
        "by_state": by_state,
        "lights": dict(lights),
        "round2": cases.filter(round__gt=1).count(),
        "key": cases.filter(is_key=True).count(),
        "public": cases.filter(is_public=True).count(),
        "bundles": Bundle.objects.filter(congress=congress).count(),
        "reassign_pending": Assignment.objects.filter(case__congress=congress,
                                                      state=AssignmentState.REASSIGN_REQUESTED).count(),
        "extended": Assignment.objects.filter(case__congress=congress, extended=True).count(),
        "commitments": dict(Counter(Commitment.objects.filter(case__congress=congress)
                                    .values_list("state", flat=True))),
        "events": Event.objects.filter(congress=congress).count(),
        "chain_ok": verify_chain(congress.pk)[0],
        "deputies": Deputy.objects.filter(congress=congress).count(),
        "units": Organization.objects.filter(congress=congress, kind=OrganizationKind.UNIT).count(),
        "users": User.objects.filter(congress=congress).count(),
    }

