"""The ballot core: open a box with its electorate, cast one anonymous ballot per member, close
and count. Knows no satisfaction grades or pass rules (services.py layers those on), so 票决 and
paperless-meeting votes (issue 13) reuse it unchanged.

Every function runs in one transaction and locks the box row first, so a cast and a close never
interleave (a ballot either lands before the count or is refused), and two casts by one member
are serialised: the second finds `voted` already true and is refused, nothing written.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from lvzhi.votes.models import Ballot, BallotBox, BoxState, StandingMember, VoteCast


class VoteRefused(Exception):
    """A refused vote action, with the Chinese message the member or clerk sees."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _locked(box_id: int) -> BallotBox:
    return BallotBox.objects.select_for_update().get(pk=box_id)


def open_box(box_id: int, members: Iterable[StandingMember]) -> BallotBox:
    """Freeze the electorate: one roll row per member, in the members' order (not the voting
    order, which the roll must not reveal). Must run inside the caller's transaction."""
    box = _locked(box_id)
    if box.state != BoxState.DRAFT:
        raise VoteRefused("该测评已经开始或已经结束，不能再次开始")
    members = list(members)
    if not members:
        raise VoteRefused("尚未登记常委会组成人员，不能开始测评", status=400)
    VoteCast.objects.bulk_create([VoteCast(box=box, member=m) for m in members])
    box.state, box.opened_at, box.electorate_size = BoxState.OPEN, timezone.now(), len(members)
    box.save(update_fields=["state", "opened_at", "electorate_size"])
    return box


def cast(box_id: int, member: StandingMember, marks: Sequence[str]) -> bool:
    """Put `member`'s ballot in the box; True if it is valid. Marks not among the box's choices
    are bad input (refused); none, or more than the box allows, make an invalid ballot, which
    is recorded (the member has voted) but never counted."""
    with transaction.atomic():
        box = _locked(box_id)
        if box.state == BoxState.DRAFT:
            raise VoteRefused("测评尚未开始，请等待主持人宣布开始投票")
        if box.state == BoxState.CLOSED:
            raise VoteRefused("测评已经结束，不能再投票")
        codes = {c for c, _label in box.choices}
        chosen = set(marks)
        if not chosen <= codes:
            raise VoteRefused("所选等次不存在，请重新选择", status=400)
        # The conditional update is the one-ballot guard: only a row still `voted=False` flips,
        # so a second ballot of the same member updates nothing (the unique roll row backs it).
        if not VoteCast.objects.filter(box=box, member=member, voted=False).update(voted=True):
            if VoteCast.objects.filter(box=box, member=member).exists():
                raise VoteRefused("您已经投过票，每人只能投一票")
            raise VoteRefused("您不在本次测评的组成人员名单中，不能投票", status=403)
        valid = box.min_marks <= len(chosen) <= box.max_marks
        Ballot.objects.create(box=box, marks=sorted(chosen) if valid else [], valid=valid)
        return valid


def close_box(box_id: int) -> BallotBox:
    """Count the ballots and stop the vote. The ballots are rewritten in a random order under
    fresh random keys, so neither their stored order nor their keys follow the casts. Must
    run inside the caller's transaction."""
    box = _locked(box_id)
    if box.state != BoxState.OPEN:
        raise VoteRefused("只有投票中的测评可以结束" if box.state == BoxState.DRAFT else "该测评已经结束")
    ballots = list(Ballot.objects.filter(box=box).values_list("marks", "valid"))
    counts: Counter[str] = Counter()
    for marks, valid in ballots:
        if valid:
            counts.update(marks)
    invalid = sum(1 for _m, valid in ballots if not valid)
    secrets.SystemRandom().shuffle(ballots)
    Ballot.objects.filter(box=box).delete()
    Ballot.objects.bulk_create([Ballot(box=box, marks=m, valid=v) for m, v in ballots])
    box.tally = {"cast": len(ballots), "invalid": invalid,
                 "counts": {code: counts.get(code, 0) for code, _label in box.choices}}
    box.state, box.closed_at = BoxState.CLOSED, timezone.now()
    box.save(update_fields=["tally", "state", "closed_at"])
    return box


def has_voted(box_id: int, member: StandingMember | None) -> bool:
    return member is not None and VoteCast.objects.filter(box_id=box_id, member=member, voted=True).exists()


def voted_count(box_id: int) -> int:
    return VoteCast.objects.filter(box_id=box_id, voted=True).count()
