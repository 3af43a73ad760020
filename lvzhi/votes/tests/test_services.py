"""The vote's life through the services, and bad input refused with nothing changed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lvzhi.cases.models import Event
from lvzhi.core.workdays import add_months
from lvzhi.testing import make_user
from lvzhi.votes import ballots, services
from lvzhi.votes.models import Ballot, BoxState, Grade, PassRule, StandingMember, VoteCast

S, B, U = Grade.SATISFIED, Grade.BASIC, Grade.UNSATISFIED
pytestmark = pytest.mark.django_db


def test_a_vote_is_counted_at_once_by_the_frozen_rule(world, members, open_vote):
    # 7 of 13 satisfied: more than half of the members.
    for m, g in zip(members, [S] * 7 + [B] * 3 + [U], strict=False):
        services.cast(open_vote, m, [g])
    services.cast(open_vote, members[11], [])  # no grade: invalid
    vote = services.close_vote(open_vote, world.office_clerk)
    assert vote.state == BoxState.CLOSED and vote.passed is True
    assert (vote.count(S), vote.count(B), vote.count(U), vote.invalid_count, vote.cast_count) == (7, 3, 1, 1, 12)
    assert vote.electorate_size == 13 and vote.turnout_percent == pytest.approx(92.3)
    assert vote.re_report_due_on is None


def test_a_failed_report_gets_its_re_report_date_and_can_be_re_voted(world, members, open_vote):
    for m in members[:6]:  # 6 of 13 is not more than half
        services.cast(open_vote, m, [S])
    vote = services.close_vote(open_vote, world.office_clerk)
    assert vote.passed is False
    assert vote.re_report_due_on == add_months(timezone.localdate(), 6)
    again = services.create_vote(world.office_clerk, title=f"{vote.title}（重新报告）", re_report_of=vote)
    assert again.topic_id == vote.topic_id and again.re_report_of_id == vote.pk and again.state == BoxState.DRAFT
    assert list(vote.re_reports.all()) == [again]


def test_rules_are_frozen_at_opening(world, members, open_vote):
    services.set_rules(world.congress, levels=2, pass_rule=PassRule.SATISFIED_OVER_HALF_VOTES_CAST,
                       re_report_months=3)
    services.cast(open_vote, members[0], [B])  # still a 3-level vote
    for m in members[1:4]:
        services.cast(open_vote, m, [S])
    vote = services.close_vote(open_vote, world.office_clerk)
    # Under the frozen rule (over half of 13 members) 3 satisfied fail; the new rule would pass.
    assert vote.passed is False and vote.rules["pass_rule"] == PassRule.SATISFIED_OVER_HALF_MEMBERS
    assert vote.re_report_due_on == add_months(timezone.localdate(), 6)


def test_two_level_vote_has_no_basic_grade(world, members, vote):
    services.set_rules(world.congress, levels=2, pass_rule=PassRule.SATISFIED_OVER_HALF_VOTES_CAST,
                       re_report_months=3)
    services.open_vote(vote, world.office_clerk)
    with pytest.raises(services.VoteRefused, match="所选选项不存在"):
        services.cast(vote, members[0], [B])
    services.cast(vote, members[0], [S])
    services.cast(vote, members[1], [U])
    services.cast(vote, members[2], [S, U])  # several: invalid
    vote = services.close_vote(vote, world.office_clerk)
    assert [c for c, _ in vote.choices] == [S, U]
    assert vote.passed is False  # 1 of 2 valid is not more than half
    assert vote.invalid_count == 1 and vote.re_report_due_on == add_months(timezone.localdate(), 3)


def _snapshot(vote):
    return (Ballot.objects.filter(box=vote).count(), VoteCast.objects.filter(box=vote, voted=True).count(),
            Event.objects.filter(subject_type="ballot", subject_id=vote.pk).count())


def test_bad_casts_change_nothing(world, members, vote):
    with pytest.raises(services.VoteRefused, match="表决尚未开始"):
        services.cast(vote, members[0], [S])
    services.open_vote(vote, world.office_clerk)
    services.cast(vote, members[0], [S])
    before = _snapshot(vote)
    with pytest.raises(services.VoteRefused, match="您已经投过票"):
        services.cast(vote, members[0], [U])
    with pytest.raises(services.VoteRefused, match="所选选项不存在"):
        services.cast(vote, members[1], ["excellent"])
    with pytest.raises(services.VoteRefused, match="不是本届常委会组成人员"):
        services.cast(vote, services.member_for(world.office_clerk), [S])
    late = StandingMember.objects.create(congress=world.congress, user=world.committee_staff)
    with pytest.raises(services.VoteRefused, match="不在本次表决的名单中"):
        services.cast(vote, late, [S])
    assert _snapshot(vote) == before
    services.close_vote(vote, world.office_clerk)
    before = _snapshot(vote)
    with pytest.raises(services.VoteRefused, match="表决已经结束，不能再投票"):
        services.cast(vote, members[1], [S])
    with pytest.raises(services.VoteRefused, match="已经结束"):
        services.close_vote(vote, world.office_clerk)
    assert _snapshot(vote) == before
    vote.refresh_from_db()
    assert vote.cast_count == 1


def test_opening_twice_or_without_members_is_refused(world, members, vote):
    services.open_vote(vote, world.office_clerk)
    with pytest.raises(services.VoteRefused, match="不能再次开始"):
        services.open_vote(vote, world.office_clerk)
    assert VoteCast.objects.filter(box=vote).count() == 13
    StandingMember.objects.update(active=False)
    from lvzhi.votes.tests.conftest import new_vote

    empty = new_vote(world, "对市人民政府关于食品安全工作情况报告的满意度测评")
    with pytest.raises(services.VoteRefused, match="尚未登记常委会组成人员"):
        services.open_vote(empty, world.office_clerk)
    empty.refresh_from_db()
    assert empty.state == BoxState.DRAFT and not VoteCast.objects.filter(box=empty).exists()


def test_re_report_only_of_a_failed_vote_and_publish_only_when_closed(world, members, open_vote):
    with pytest.raises(services.VoteRefused, match="测评结束后才能公开"):
        services.set_published(open_vote, world.office_clerk, True)
    for m in members[:10]:
        services.cast(open_vote, m, [S])
    vote = services.close_vote(open_vote, world.office_clerk)
    with pytest.raises(services.VoteRefused, match="只能对已结束且未通过的测评重新报告"):
        services.create_vote(world.office_clerk, title="对……的满意度测评（重新报告）", re_report_of=vote)
    assert services.set_published(vote, world.office_clerk, True).published


def test_the_audit_chain_has_open_close_and_receipts_without_voters(world, members, open_vote):
    receipts = [services.cast(open_vote, m, [S]).receipt for m in members[:9]]
    services.close_vote(open_vote, world.office_clerk)
    events = list(Event.objects.filter(subject_type="ballot", subject_id=open_vote.pk).order_by("seq"))
    assert [e.name for e in events] == ["vote_opened"] + ["ballot_cast"] * 9 + ["vote_closed"]
    assert events[-1].payload["counts"] == {S: 9, B: 0, U: 0} and events[-1].payload["result"] == "通过"
    # Each member can find their receipt on the chain; the receipt carries no voter, no grade.
    assert [e.payload for e in events[1:-1]] == [{"receipt": r} for r in receipts]
    assert all(ballots.receipt_listed(open_vote.pk, r) for r in receipts)
    assert not ballots.receipt_listed(open_vote.pk, "ABCDEFGHJK")
    names = {m.user.username for m in members}
    assert not any(n in str(e.payload) for e in Event.objects.all() for n in names if e.subject_type == "ballot")
    assert events[0].actor_id == events[-1].actor_id == world.office_clerk.pk
    assert all(e.actor_id is None for e in events[1:-1])


def test_a_member_of_another_congress_cannot_vote(world, members, open_vote):
    other_user = make_user("farmember", "deputy", world.other_congress_clerk.congress)
    other = StandingMember.objects.create(congress=world.other_congress_clerk.congress, user=other_user)
    with pytest.raises(services.VoteRefused, match="不是本届常委会组成人员"):
        services.cast(open_vote, other, [S])
    assert not Ballot.objects.filter(box=open_vote).exists()
