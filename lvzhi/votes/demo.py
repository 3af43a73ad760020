"""The demo city's 满意度测评 (北辰市): the standing committee's members, and a year of votes on
supervision topics, one failing and re-reported. Every vote runs through the services (open,
cast, close), then its dates are moved to the topic's meeting day so the year reads true."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from lvzhi.core.models import Congress, Organization, OrganizationKind, Role, User
from lvzhi.core.workdays import add_months
from lvzhi.supervision.models import Topic, TopicForm
from lvzhi.votes import services
from lvzhi.votes.models import Grade, MemberTitle, PassRule, SatisfactionVote, StandingMember

MEMBERS = 35  # 3 主任会议 accounts and 32 deputies' accounts, as a city's 常委会 of 35–45

# (topic title, supervised body, month, day, satisfied, basic, unsatisfied, invalid); absent = the rest.
VOTES = [
    ("住宅小区物业管理工作情况", "市人民政府", 3, 26, 24, 8, 1, 1),
    ("义务教育“双减”工作情况", "市人民政府", 4, 24, 27, 5, 0, 0),
    ("城市内涝治理工作情况", "市人民政府", 6, 27, 12, 15, 5, 1),
    ("养老服务体系建设情况", "市人民政府", 8, 28, 22, 9, 1, 0),
    ("2024年度市级预算执行和其他财政收支审计查出问题整改情况", "市人民政府", 10, 29, 25, 6, 1, 1),
]
RE_REPORT = ("城市内涝治理工作情况", 12, 23, 23, 8, 1, 0)


def _members(congress: Congress) -> list[StandingMember]:
    existing = list(StandingMember.objects.filter(congress=congress, active=True))
    if existing:
        return existing
    leaders = list(User.objects.filter(congress=congress, role=Role.LEADER, is_active=True).order_by("username"))
    deputies = list(User.objects.filter(congress=congress, role=Role.DEPUTY, is_active=True)
                    .order_by("username")[: max(0, MEMBERS - len(leaders))])
    rows = []
    for i, user in enumerate(leaders):
        rows.append(StandingMember(congress=congress, user=user, sort_order=i,
                                   title=MemberTitle.CHAIR if i == 0 else MemberTitle.VICE_CHAIR))
    for i, user in enumerate(deputies):
        title = MemberTitle.SECRETARY_GENERAL if i == 0 else MemberTitle.MEMBER
        rows.append(StandingMember(congress=congress, user=user, title=title, sort_order=len(leaders) + i))
    return StandingMember.objects.bulk_create(rows)


def _office_user(congress: Congress) -> User:
    return (User.objects.filter(congress=congress, role=Role.CLERK, organization__function="general_office").first()
            or User.objects.filter(congress=congress, role__in=[Role.CLERK, Role.COMMITTEE_STAFF]).first())


def _topic(congress: Congress, year: int, title: str, body: str, month: int, day: int) -> Topic:
    found = Topic.objects.filter(congress=congress, year=year, title__contains=title[:6]).first()
    if found:
        return found
    committee = Organization.objects.filter(congress=congress, kind=OrganizationKind.COMMITTEE).first()
    return Topic.objects.create(congress=congress, year=year, title=f"听取和审议{body}关于{title}的报告",
                                form=TopicForm.WORK_REPORT, lead_committee=committee, supervised_body=body,
                                meeting_on=dt.date(year, month, day))


def _run(vote: SatisfactionVote, actor: User, members: list[StandingMember], spread: tuple[int, ...],
         on: dt.date, rng: random.Random) -> SatisfactionVote:
    if sum(spread) > len(members):  # a smaller city (the small demo): the same shares of fewer members
        spread = tuple(n * len(members) // sum(spread) for n in spread)
    satisfied, basic, unsatisfied, invalid = spread
    papers = ([[Grade.SATISFIED]] * satisfied + [[Grade.BASIC]] * basic + [[Grade.UNSATISFIED]] * unsatisfied
              + [[]] * invalid)
    voters = rng.sample(members, len(papers))
    services.open_vote(vote, actor)
    for member, grades in zip(voters, papers, strict=True):
        services.cast(vote, member, grades)
    services.close_vote(vote, actor)
    opened = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 5)))
    closed = opened + dt.timedelta(minutes=12)
    vote.refresh_from_db()
    # Only the dates move (the demo's year); the counts and the decision are the services'.
    due = None if vote.passed else add_months(on, vote.rules["re_report_months"])
    SatisfactionVote.objects.filter(pk=vote.pk).update(opened_at=opened, closed_at=closed, re_report_due_on=due,
                                                       published=True, created_at=opened - dt.timedelta(days=7))
    vote.refresh_from_db()
    return vote


def build(congress: Congress, topics: list[Topic] | None = None, year: int | None = None) -> dict[str, int]:
    """Members and the year's votes; `topics` (the supervision demo's) are used where their
    titles match, else topics are created. Returns counts for the seed's log."""
    year = year or timezone.localdate().year - 1
    rng = random.Random(f"votes-{congress.pk}")
    members = _members(congress)
    actor = _office_user(congress)
    services.set_rules(congress, levels=3, pass_rule=PassRule.SATISFIED_OVER_HALF_MEMBERS, re_report_months=6)
    by_title = {t.title: t for t in topics or []}
    votes = []
    failed = None
    for title, body, month, day, *spread in VOTES:
        topic = next((t for name, t in by_title.items() if title[:6] in name), None) or _topic(
            congress, year, title, body, month, day)
        vote = services.create_vote(actor, title=f"对{body}关于{title}报告的满意度测评", topic=topic)
        vote = _run(vote, actor, members, tuple(spread), topic.meeting_on or dt.date(year, month, day), rng)
        votes.append(vote)
        if title == RE_REPORT[0]:
            failed = vote
    if failed is not None and failed.passed is False:
        _title, month, day, *spread = RE_REPORT
        again = services.create_vote(actor, title=f"{failed.title}（重新报告）", topic=failed.topic,
                                     re_report_of=failed)
        votes.append(_run(again, actor, members, tuple(spread), dt.date(year, month, day), rng))
    return {"members": len(members), "votes": len(votes), "failed": sum(1 for v in votes if v.passed is False)}
