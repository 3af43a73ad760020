"""The ballot engine every vote uses (满意度测评, meeting items, 任免, 票决, project satisfaction):
open a box with its electorate, cast one ballot per voter, close and count, or take a paper
count entered twice. Knows no grades, pass rules or rankings: each layer keeps those as pure
functions beside its own BallotBox subclass (lvzhi.votes.rules for 满意度测评).

Every function runs in one transaction and locks the box row first, so a cast and a close never
interleave (a ballot either lands before the count or is refused), and two casts by one voter
are serialised: the second finds `voted` already true and is refused, nothing written.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import User
from lvzhi.core.receipts import new_code
from lvzhi.votes.models import Ballot, BallotBox, BoxState, VoteCast

SUBJECT = "ballot"  # lvzhi.core.audit shows it as 表决
RECEIPT_LENGTH = 10


class VoteRefused(Exception):
    """A refused vote action, with the Chinese message the voter or clerk sees."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Cast:
    valid: bool
    receipt: str  # shown to the voter once; on the audit chain, on no ballot


def _locked(box_id: int) -> BallotBox:
    return BallotBox.objects.select_for_update().get(pk=box_id)


def open_box(box_id: int, voters: Iterable[User], *, electorate_size: int | None = None) -> BallotBox:
    """Freeze the electorate: one roll row per voter, in the given order (not the voting
    order, which the roll must not reveal). A paper box has no roll: pass its electorate's size.
    Must run inside the caller's transaction."""
    box = _locked(box_id)
    if box.state != BoxState.DRAFT:
        raise VoteRefused("该表决已经开始或已经结束，不能再次开始")
    voters = list(dict.fromkeys(voters))  # one roll row per account, even if listed twice
    if box.paper:
        if voters or not electorate_size:
            raise VoteRefused("纸质选票的表决须填写应到人数，不登记投票名单", status=400)
        size = electorate_size
    else:
        if not voters:
            raise VoteRefused("没有有表决权的人员，不能开始表决", status=400)
        VoteCast.objects.bulk_create([VoteCast(box=box, voter=v) for v in voters])
        size = len(voters)
    box.state, box.opened_at, box.electorate_size = BoxState.OPEN, timezone.now(), size
    box.save(update_fields=["state", "opened_at", "electorate_size"])
    return box


def _check_open(box: BallotBox) -> None:
    if box.state == BoxState.DRAFT:
        raise VoteRefused("表决尚未开始，请等待主持人宣布开始投票")
    if box.state == BoxState.CLOSED:
        raise VoteRefused("表决已经结束，不能再投票")


def cast(box_id: int, voter: User, marks: Sequence[str]) -> Cast:
    """Put `voter`'s ballot in the box. Marks not among the box's choices are bad input
    (refused); fewer than min_marks or more than max_marks make an invalid ballot, which is
    recorded (the voter has voted) but never counted. The chain gets the ballot's receipt
    without its choice, and in a secret box without its voter."""
    with transaction.atomic():
        box = _locked(box_id)
        _check_open(box)
        if box.paper:
            raise VoteRefused("本次表决使用纸质选票，请在会场填写选票", status=400)
        codes = {c for c, _label in box.choices}
        chosen = set(marks)
        if not chosen <= codes:
            raise VoteRefused("所选选项不存在，请重新选择", status=400)
        valid = box.min_marks <= len(chosen) <= box.max_marks
        kept = sorted(chosen) if valid else []
        # The conditional update is the one-ballot guard: only a row still `voted=False` flips,
        # so a second ballot of the same voter updates nothing (the unique roll row backs it).
        flip = {"voted": True} if box.secret else {"voted": True, "marks": kept}
        if not VoteCast.objects.filter(box=box, voter=voter, voted=False).update(**flip):
            if VoteCast.objects.filter(box=box, voter=voter).exists():
                raise VoteRefused("您已经投过票，每人只能投一票")
            raise VoteRefused("您不在本次表决的名单中，不能投票", status=403)
        Ballot.objects.create(box=box, marks=kept, valid=valid)
        receipt = new_code(RECEIPT_LENGTH)
        append_subject_event(SUBJECT, box.pk, box.congress_id, None if box.secret else voter, "ballot_cast",
                             "投票", payload={"receipt": receipt}, at=timezone.now())
        return Cast(valid=valid, receipt=receipt)


def _count(box: BallotBox, ballots: list[tuple[list[str], bool]]) -> dict:
    counts: Counter[str] = Counter()
    for marks, valid in ballots:
        if valid:
            counts.update(marks)
    return {"cast": len(ballots), "invalid": sum(1 for _m, valid in ballots if not valid),
            "counts": {code: counts.get(code, 0) for code, _label in box.choices}}


def close_box(box_id: int) -> BallotBox:
    """Count the ballots and stop the vote. The ballots are rewritten in a random order under
    fresh random keys, so neither their stored order nor their keys follow the casts. Must
    run inside the caller's transaction."""
    box = _locked(box_id)
    if box.state != BoxState.OPEN:
        raise VoteRefused("只有投票中的表决可以结束" if box.state == BoxState.DRAFT else "该表决已经结束")
    if box.paper:
        raise VoteRefused("纸质选票的表决由两名工作人员分别录入计票结果，一致后结束", status=400)
    ballots = list(Ballot.objects.filter(box=box).values_list("marks", "valid"))
    secrets.SystemRandom().shuffle(ballots)
    Ballot.objects.filter(box=box).delete()
    Ballot.objects.bulk_create([Ballot(box=box, marks=m, valid=v) for m, v in ballots])
    box.tally = _count(box, ballots)
    box.state, box.closed_at = BoxState.CLOSED, timezone.now()
    box.save(update_fields=["tally", "state", "closed_at"])
    return box


def _paper_tally(box: BallotBox, cast_n: int, invalid: int, counts: Mapping[str, int]) -> dict:
    """The entered figures as a tally, or VoteRefused saying which figure cannot be."""
    labels = dict((c, label) for c, label in box.choices)
    if set(counts) - set(labels):
        raise VoteRefused("计票结果中有不存在的选项", status=400)
    numbers = {code: counts.get(code, 0) for code in labels}
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0
           for n in [cast_n, invalid, *numbers.values()]):
        raise VoteRefused("票数须为不小于0的整数", status=400)
    if cast_n > (box.electorate_size or 0):
        raise VoteRefused(f"收回选票{cast_n}张，多于应到人数{box.electorate_size}人", status=400)
    if invalid > cast_n:
        raise VoteRefused("无效票不能多于收回的选票", status=400)
    valid = cast_n - invalid
    over = [labels[c] for c, n in numbers.items() if n > valid]
    if over:
        raise VoteRefused(f"{'、'.join(over)}的票数多于有效票{valid}张", status=400)
    if sum(numbers.values()) > valid * box.max_marks or (valid and sum(numbers.values()) < valid * box.min_marks):
        raise VoteRefused(f"各选项票数之和与有效票{valid}张不相符（每张有效票选{box.min_marks}至{box.max_marks}项）",
                          status=400)
    return {"cast": cast_n, "invalid": invalid, "counts": numbers}


def _differences(box: BallotBox, first: dict, second: dict) -> list[str]:
    out = [f"{name}：第一次{first[key]}，第二次{second[key]}"
           for key, name in (("cast", "收回选票"), ("invalid", "无效票")) if first[key] != second[key]]
    labels = dict((c, label) for c, label in box.choices)
    out += [f"{labels[c]}：第一次{first['counts'][c]}，第二次{second['counts'][c]}"
            for c in labels if first["counts"][c] != second["counts"][c]]
    return out


def enter_paper_tally(box_id: int, clerk: User, *, cast: int, invalid: int,
                      counts: Mapping[str, int]) -> BallotBox:
    """The 秘书处's double entry of a paper count: the first entry waits; a second entry by a
    different clerk that matches closes the box with it; a mismatch is refused with the
    differences named, the first entry kept, so the ballots are recounted, not averaged."""
    with transaction.atomic():
        box = _locked(box_id)
        _check_open(box)
        if not box.paper:
            raise VoteRefused("本次表决为电子表决，不录入纸质计票结果", status=400)
        tally = _paper_tally(box, cast, invalid, counts)
        first = box.paper_entry or {}
        if not first:
            box.paper_entry = {"by": clerk.pk, "tally": tally}
            box.save(update_fields=["paper_entry"])
            append_subject_event(SUBJECT, box.pk, box.congress_id, clerk, "paper_tally_entered",
                                 "录入纸质计票结果（待复核）", payload={"cast": cast, "invalid": invalid,
                                                             "counts": tally["counts"]}, at=timezone.now())
            return box
        if first["by"] == clerk.pk:
            raise VoteRefused("复核须由另一名工作人员录入", status=403)
        diff = _differences(box, first["tally"], tally)
        if diff:
            raise VoteRefused("两次录入不一致，请重新清点选票：" + "；".join(diff))
        box.tally, box.paper_entry = tally, {}
        box.state, box.closed_at = BoxState.CLOSED, timezone.now()
        box.save(update_fields=["tally", "paper_entry", "state", "closed_at"])
        append_subject_event(SUBJECT, box.pk, box.congress_id, clerk, "paper_tally_confirmed",
                             "复核纸质计票结果一致，计票完成", payload={"cast": cast, "invalid": invalid,
                                                            "counts": tally["counts"]}, at=timezone.now(),
                             from_state=BoxState.OPEN, to_state=BoxState.CLOSED)
        return box


def has_voted(box_id: int, voter: User | None) -> bool:
    return voter is not None and VoteCast.objects.filter(box_id=box_id, voter=voter, voted=True).exists()


def on_roll(box_id: int, voter: User | None) -> bool:
    return voter is not None and VoteCast.objects.filter(box_id=box_id, voter=voter).exists()


def voted_count(box_id: int) -> int:
    return VoteCast.objects.filter(box_id=box_id, voted=True).count()


def named_roll(box_id: int) -> list[tuple[User, list[str] | None]]:
    """A named box's roll: each voter and what they marked (None: has not voted). A secret
    box has no such list."""
    box = BallotBox.objects.get(pk=box_id)
    if box.secret:
        raise VoteRefused("无记名投票不公布个人投票情况", status=403)
    return [(row.voter, row.marks if row.voted else None)
            for row in VoteCast.objects.filter(box_id=box_id).select_related("voter").order_by("id")]


def receipt_listed(box_id: int, receipt: str) -> bool:
    """Whether a voter's receipt is on the chain: their ballot went into this box."""
    from lvzhi.cases.models import Event

    return Event.objects.filter(subject_type=SUBJECT, subject_id=box_id, name="ballot_cast",
                                payload__receipt=receipt.strip().upper()).exists()
