"""The ballot engine as the other layers use it: deputies' accounts as the electorate, N-of-M
ballots with invalid ones, named votes keeping each voter's marks, and paper counts entered
twice by two clerks."""

from __future__ import annotations

import pytest
from django.db import transaction

from lvzhi.cases.models import Event
from lvzhi.votes import ballots
from lvzhi.votes.ballots import VoteRefused
from lvzhi.votes.models import Ballot, BallotBox, BoxState, VoteCast

pytestmark = pytest.mark.django_db

YES_NO = [["yes", "赞成"], ["no", "反对"], ["abstain", "弃权"]]
PROJECTS = [[f"p{i}", f"候选项目{i}"] for i in range(1, 6)]


def _box(world, **kw) -> BallotBox:
    return BallotBox.objects.create(congress=world.congress, **kw)


def _open(box: BallotBox, voters=(), **kw) -> BallotBox:
    with transaction.atomic():
        return ballots.open_box(box.pk, voters, **kw)


def test_choose_up_to_n_more_is_invalid_and_not_counted(world):
    box = _open(_box(world, choices=PROJECTS, min_marks=1, max_marks=3), [d.user for d in world.deputies])
    assert ballots.cast(box.pk, world.deputies[0].user, ["p1", "p2", "p3"]).valid
    assert ballots.cast(box.pk, world.deputies[1].user, ["p1"]).valid
    over = ballots.cast(box.pk, world.deputies[2].user, ["p1", "p2", "p3", "p4"])
    assert not over.valid and over.receipt
    with pytest.raises(VoteRefused, match="您已经投过票"):
        ballots.cast(box.pk, world.deputies[2].user, ["p1"])  # an invalid ballot is still a ballot
    with pytest.raises(VoteRefused, match="不在本次表决的名单中"):
        ballots.cast(box.pk, world.clerk, ["p1"])
    with transaction.atomic():
        box = ballots.close_box(box.pk)
    assert box.tally == {"cast": 3, "invalid": 1, "counts": {"p1": 2, "p2": 1, "p3": 1, "p4": 0, "p5": 0}}
    assert box.electorate_size == len(world.deputies)


def test_a_named_vote_keeps_who_voted_what_a_secret_one_does_not(world):
    voters = [d.user for d in world.deputies[:4]]
    named = _open(_box(world, choices=YES_NO, secret=False), voters)
    for voter, mark in zip(voters[:3], ["yes", "no", "yes"], strict=True):
        ballots.cast(named.pk, voter, [mark])
    assert ballots.named_roll(named.pk) == [(voters[0], ["yes"]), (voters[1], ["no"]), (voters[2], ["yes"]),
                                            (voters[3], None)]
    # The chain names the voter of a named vote (its receipt), never the choice.
    casts = Event.objects.filter(subject_id=named.pk, name="ballot_cast").order_by("seq")
    assert [e.actor_id for e in casts] == [v.pk for v in voters[:3]]
    assert all(set(e.payload) == {"receipt"} for e in casts)
    secret = _open(_box(world, choices=YES_NO), voters)
    ballots.cast(secret.pk, voters[0], ["no"])
    with pytest.raises(VoteRefused, match="无记名投票不公布个人投票情况"):
        ballots.named_roll(secret.pk)
    assert VoteCast.objects.get(box=secret, voter=voters[0]).marks is None


def test_paper_count_needs_two_matching_entries_by_two_clerks(world):
    box = _open(_box(world, choices=PROJECTS, max_marks=3, paper=True), electorate_size=40)
    with pytest.raises(VoteRefused, match="纸质选票"):
        ballots.cast(box.pk, world.deputies[0].user, ["p1"])
    figures = {"cast": 39, "invalid": 1, "counts": {"p1": 30, "p2": 28, "p3": 25, "p4": 20, "p5": 10}}
    box = ballots.enter_paper_tally(box.pk, world.clerk, **figures)
    assert box.state == BoxState.OPEN and box.paper_entry["by"] == world.clerk.pk
    with pytest.raises(VoteRefused, match="另一名工作人员"):
        ballots.enter_paper_tally(box.pk, world.clerk, **figures)
    wrong = {**figures, "counts": {**figures["counts"], "p2": 27}}
    with pytest.raises(VoteRefused, match=r"两次录入不一致.*候选项目2：第一次28，第二次27"):
        ballots.enter_paper_tally(box.pk, world.office_clerk, **wrong)
    box.refresh_from_db()
    assert box.state == BoxState.OPEN and box.paper_entry["tally"] == figures  # the first entry stands
    box = ballots.enter_paper_tally(box.pk, world.office_clerk, **figures)
    assert box.state == BoxState.CLOSED and box.tally == figures and box.paper_entry == {}
    assert not Ballot.objects.filter(box=box).exists()


@pytest.mark.parametrize("figures, message", [
    ({"cast": 41, "invalid": 0, "counts": {}}, "多于应到人数40人"),
    ({"cast": 10, "invalid": 11, "counts": {}}, "无效票不能多于收回的选票"),
    ({"cast": 10, "invalid": 0, "counts": {"p1": 11}}, "候选项目1的票数多于有效票10张"),
    ({"cast": 10, "invalid": 0, "counts": {"p1": 10, "p2": 10, "p3": 10, "p4": 1}}, "不相符"),
    ({"cast": 10, "invalid": 0, "counts": {"p1": -1}}, "不小于0的整数"),
    ({"cast": 10, "invalid": 0, "counts": {"p9": 1}}, "不存在的选项"),
])
def test_impossible_paper_figures_are_refused_and_nothing_kept(world, figures, message):
    box = _open(_box(world, choices=PROJECTS, max_marks=3, paper=True), electorate_size=40)
    with pytest.raises(VoteRefused, match=message):
        ballots.enter_paper_tally(box.pk, world.clerk, **figures)
    box.refresh_from_db()
    assert box.paper_entry == {} and box.state == BoxState.OPEN


def test_a_paper_box_has_no_roll_and_an_electronic_one_needs_voters(world):
    with pytest.raises(VoteRefused, match="应到人数"):
        _open(_box(world, choices=YES_NO, paper=True))
    with pytest.raises(VoteRefused, match="没有有表决权的人员"):
        _open(_box(world, choices=YES_NO))
    box = _open(_box(world, choices=YES_NO), [world.deputies[0].user, world.deputies[0].user])
    assert box.electorate_size == 1 and VoteCast.objects.filter(box=box).count() == 1
