"""票决's counting rules as pure functions (RULES.md §5, [U]: configurable per round).

Candidates are ranked by votes; a candidate is chosen only if it passes the round's threshold
("过半数" is 2 × votes > base, integer arithmetic: 20 of 40 fails); the first `places` of those
passing are chosen. When the last place falls among candidates with equal votes, the round's tie
rule decides: 重新投票 among the tied for the places left (default), or the smaller budget first
(a tie on budget too is still a 重新投票 among those)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from lvzhi.projects.models import Threshold, TieRule


@dataclass(frozen=True)
class Outcome:
    ranked: list[tuple[str, int]]  # every candidate by votes, then by its order on the ballot
    chosen: list[str]
    passing: list[str]  # those over the threshold
    tied: list[str] = field(default_factory=list)  # a 重新投票 among these…
    revote_places: int = 0  # …for this many places


def threshold_base(rule: str, electorate: int, present: int) -> int | None:
    """The number a candidate's votes must exceed half of, or None (no threshold)."""
    if rule == Threshold.ALL_DEPUTIES:
        return electorate
    if rule == Threshold.PRESENT_DEPUTIES:
        return present
    if rule == Threshold.NONE:
        return None
    raise ValueError(f"未知的当选门槛：{rule}")


def passes(votes: int, base: int | None) -> bool:
    # No threshold still asks for at least one vote: nobody chose a project with none.
    return votes > 0 if base is None else 2 * votes > base


def decide(counts: Mapping[str, int], order: list[str], places: int, base: int | None, tie_rule: str,
           budgets: Mapping[str, Decimal] | None = None) -> Outcome:
    """Who is chosen from `counts` (code → votes), `order` being the ballot's order of codes."""
    position = {c: i for i, c in enumerate(order)}
    ranked = sorted(((c, counts.get(c, 0)) for c in order), key=lambda cv: (-cv[1], position[cv[0]]))
    passing = [c for c, v in ranked if passes(v, base)]
    if len(passing) <= places:
        return Outcome(ranked, passing, passing)
    votes = dict(ranked)
    cut = votes[passing[places - 1]]
    above = [c for c in passing if votes[c] > cut]
    at = [c for c in passing if votes[c] == cut]
    left = places - len(above)
    if len(at) == left:
        return Outcome(ranked, above + at, passing)
    if tie_rule == TieRule.SMALLER_BUDGET:
        if budgets is None:
            raise ValueError("按预算少者优先须提供各项目预算")
        at.sort(key=lambda c: (budgets[c], position[c]))
        edge = budgets[at[left - 1]]
        sure = [c for c in at if budgets[c] < edge]
        level = [c for c in at if budgets[c] == edge]
        if len(level) == left - len(sure):
            return Outcome(ranked, above + sure + level, passing)
        return Outcome(ranked, above + sure, passing, tied=level, revote_places=left - len(sure))
    if tie_rule == TieRule.REVOTE:
        return Outcome(ranked, above, passing, tied=at, revote_places=left)
    raise ValueError(f"未知的同票规则：{tie_rule}")


def progress(milestones: list[tuple[int, bool]]) -> int:
    """Progress in whole per cent from (weight, done) pairs: done weight over all weight."""
    total = sum(w for w, _ in milestones)
    if not total:
        return 0
    return sum(w for w, done in milestones if done) * 100 // total


# A project is behind time when its progress trails the share of its time gone by more than
# this many points (local practice [U]: 监督 pages of several cities flag "进度滞后").
BEHIND_TOLERANCE = 15


def time_share(start, end, today) -> int:
    """Per cent of the project's planned time gone by on `today`."""
    if today <= start:
        return 0
    if today >= end:
        return 100
    return (today - start).days * 100 // max((end - start).days, 1)


def lagging(progress_pct: int, start, end, today, overdue_milestones: int) -> bool:
    if progress_pct >= 100:
        return False
    return overdue_milestones > 0 or progress_pct + BEHIND_TOLERANCE < time_share(start, end, today)
