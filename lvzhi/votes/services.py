"""满意度测评's writes (the satisfaction layer on the ballot core in ballots.py).

create_vote (draft) → open_vote (rules and electorate frozen, 开始) → cast (one anonymous
ballot per member) → close_vote (counted at once by the frozen rule; a failed report gets its
re-report date, RULES.md §3.2: "在规定时间内重新报告……直到表决满意为止") → publish (the
portal shows the result, 监督法 第十条 "行使监督职权的情况，向社会公开").

Open and close go on the congress's audit chain as events of subject "ballot"; a member's cast
goes there only as its receipt, with no actor and no grade (ballots.cast).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import Congress, User
from lvzhi.core.workdays import add_months
from lvzhi.votes import ballots, rules
from lvzhi.votes.ballots import VoteRefused
from lvzhi.votes.models import BoxState, SatisfactionVote, StandingMember, VoteRules

SUBJECT = "ballot"  # lvzhi.core.audit shows it as 表决

__all__ = [
    "VoteRefused",
    "cast",
    "close_vote",
    "create_vote",
    "member_for",
    "open_vote",
    "rules_for",
    "set_published",
    "set_rules",
]


def rules_for(congress: Congress) -> VoteRules:
    rules_row, _ = VoteRules.objects.get_or_create(congress=congress)
    return rules_row


def set_rules(congress: Congress, *, levels: int, pass_rule: str, re_report_months: int) -> VoteRules:
    """Change the congress's rules; votes already opened keep the copy frozen at opening."""
    row = rules_for(congress)
    row.levels, row.pass_rule, row.re_report_months = levels, pass_rule, re_report_months
    row.full_clean(exclude=["congress"])
    row.save()
    return row


def member_for(user: User, congress_id: int | None = None) -> StandingMember | None:
    """The user's membership of the standing committee (active), or None."""
    if not user.is_authenticated:
        return None
    return StandingMember.objects.filter(user=user, congress_id=congress_id or user.congress_id,
                                         active=True).first()


def create_vote(actor: User, *, title: str, topic=None, opinion=None,
                re_report_of: SatisfactionVote | None = None) -> SatisfactionVote:
    congress_id = actor.congress_id
    for obj, name in ((topic, "监督议题"), (opinion, "审议意见")):
        owner = None if obj is None else (obj.congress_id if name == "监督议题" else obj.topic.congress_id)
        if obj is not None and owner != congress_id:
            raise VoteRefused(f"所选{name}不属于本级人大", status=400)
    if opinion is not None and topic is not None and opinion.topic_id != topic.pk:
        raise VoteRefused("所选审议意见不属于所选监督议题", status=400)
    if re_report_of is not None and not (re_report_of.congress_id == congress_id
                                         and re_report_of.state == BoxState.CLOSED
                                         and re_report_of.passed is False):
        raise VoteRefused("只能对已结束且未通过的测评重新报告", status=400)
    if re_report_of is not None:  # the re-report is on the same report
        topic, opinion = topic or re_report_of.topic, opinion or re_report_of.opinion
    return SatisfactionVote.objects.create(
        congress_id=congress_id, title=title.strip(), topic=topic or (opinion.topic if opinion else None),
        opinion=opinion, re_report_of=re_report_of, created_by=actor)


def open_vote(vote: SatisfactionVote, actor: User) -> SatisfactionVote:
    """开始测评: the congress's rules and its active members are frozen onto the vote."""
    with transaction.atomic():
        frozen = rules_for(vote.congress).snapshot()
        members = StandingMember.objects.filter(congress_id=vote.congress_id, active=True,
                                                user__is_active=True).order_by("sort_order", "id")
        voters = [m.user for m in members.select_related("user")]
        if not voters and vote.state == BoxState.DRAFT:
            raise VoteRefused("尚未登记常委会组成人员，不能开始测评", status=400)
        ballots.open_box(vote.pk, voters)
        SatisfactionVote.objects.filter(pk=vote.pk).update(choices=rules.grades(frozen["levels"]), rules=frozen)
        vote.refresh_from_db()
        append_subject_event(SUBJECT, vote.pk, vote.congress_id, actor, "vote_opened", "开始满意度测评",
                             payload={"title": vote.title, "electorate": vote.electorate_size,
                                      "rule": vote.rule_label}, at=timezone.now(),
                             from_state=BoxState.DRAFT, to_state=BoxState.OPEN)
    return vote


def cast(vote: SatisfactionVote, member: StandingMember | None, grades: Sequence[str]) -> ballots.Cast:
    """One member's ballot: [] or several grades make an invalid ballot (not counted)."""
    if member is None or member.congress_id != vote.congress_id:
        raise VoteRefused("您不是本届常委会组成人员，不能参加测评", status=403)
    return ballots.cast(vote.pk, member.user, list(grades))


def close_vote(vote: SatisfactionVote, actor: User) -> SatisfactionVote:
    """结束测评: count, decide by the rule frozen at opening, and for a failed report set the
    re-report date (the congress's re-report months after the vote)."""
    with transaction.atomic():
        ballots.close_box(vote.pk)
        vote.refresh_from_db()
        passed = rules.passes(vote.rules["pass_rule"], vote.electorate_size or 0,
                              vote.tally["counts"], vote.valid_count)
        due = None if passed else add_months(timezone.localdate(vote.closed_at), vote.rules["re_report_months"])
        SatisfactionVote.objects.filter(pk=vote.pk).update(passed=passed, re_report_due_on=due)
        vote.refresh_from_db()
        append_subject_event(SUBJECT, vote.pk, vote.congress_id, actor, "vote_closed", "结束满意度测评",
                             payload={"title": vote.title, "result": "通过" if passed else "未通过",
                                      "electorate": vote.electorate_size, "cast": vote.cast_count,
                                      "invalid": vote.invalid_count, "counts": vote.tally["counts"],
                                      "due_on": due}, at=timezone.now(),
                             from_state=BoxState.OPEN, to_state=BoxState.CLOSED)
    return vote


def set_published(vote: SatisfactionVote, actor: User, published: bool) -> SatisfactionVote:
    if published and vote.state != BoxState.CLOSED:
        raise VoteRefused("测评结束后才能公开结果")
    with transaction.atomic():
        SatisfactionVote.objects.filter(pk=vote.pk).update(published=published)
        append_subject_event(SUBJECT, vote.pk, vote.congress_id, actor,
                             "vote_published" if published else "vote_unpublished",
                             "公开测评结果" if published else "取消公开测评结果",
                             payload={"title": vote.title}, at=timezone.now())
    vote.refresh_from_db()
    return vote
