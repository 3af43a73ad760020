"""满意度测评's rules as pure functions (RULES.md §3.2): the grades for 2 or 3 levels and the
pass decision. Integer arithmetic only: "超过半数" is 2 × votes > base, so 20 of 40 fails."""

from __future__ import annotations

from lvzhi.votes.models import Grade, PassRule


def grades(levels: int) -> list[list[str]]:
    """The box's choices: 满意/基本满意/不满意 (深圳 2011), or 满意/不满意."""
    codes = [Grade.SATISFIED, Grade.BASIC, Grade.UNSATISFIED] if levels == 3 else [
        Grade.SATISFIED, Grade.UNSATISFIED]
    return [[g.value, g.label] for g in codes]


def passes(rule: str, electorate: int, counts: dict[str, int], valid: int) -> bool:
    """Whether the report passes under `rule`. Members' rules count against the whole
    electorate frozen at opening (absent members count against it); the votes-cast rule
    against the valid ballots only (invalid ones are not counted)."""
    satisfied = counts.get(Grade.SATISFIED, 0)
    if rule == PassRule.SATISFIED_OVER_HALF_MEMBERS:
        return 2 * satisfied > electorate
    if rule == PassRule.SATISFIED_PLUS_BASIC_OVER_HALF_MEMBERS:
        return 2 * (satisfied + counts.get(Grade.BASIC, 0)) > electorate
    if rule == PassRule.SATISFIED_OVER_HALF_VOTES_CAST:
        return valid > 0 and 2 * satisfied > valid
    raise ValueError(f"未知的通过规则：{rule}")
