"""The meeting rules: distribution deadlines per item type, quorum and the pass rules.

Pure functions over integers ("过半数" is 2 × votes > base, never a float). The per-type values
are the congress's RuleSet.params["meeting_items"] ({"bill": {"days": 7, "pass_rule": …}}), with
the defaults below where a value is missing or unusable:

- 立法法 第三十一条 (and the local 立法条例): a draft regulation goes to the members 七日前;
- 监督法 第十四条: a special work report goes to the members 七日前 (审议意见's handling report too);
- 任免案 and others: three days here (local practice; no statute fixes it);
- 地方组织法: a 常委会's 决议 passes with 全体组成人员的过半数 (the same base for 任免); the
  standing committees' 议事规则 open a meeting only with 全体组成人员过半数出席 (the quorum).
"""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.cases.models import RuleSet
from lvzhi.meetings.models import ItemType, PassRule

PARAM = "meeting_items"
DEFAULTS: dict[str, dict[str, object]] = {
    ItemType.BILL: {"days": 7, "pass_rule": PassRule.OVER_HALF_MEMBERS},
    ItemType.REPORT: {"days": 7, "pass_rule": PassRule.OVER_HALF_MEMBERS},
    ItemType.APPOINTMENT: {"days": 3, "pass_rule": PassRule.OVER_HALF_MEMBERS},
    ItemType.OPINION: {"days": 7, "pass_rule": PassRule.OVER_HALF_MEMBERS},
    ItemType.OTHER: {"days": 3, "pass_rule": PassRule.OVER_HALF_MEMBERS},
}


@dataclass(frozen=True)
class ItemRule:
    days: int  # materials distributed at least this many days before the meeting
    pass_rule: str


def item_rules(congress_id: int) -> dict[str, ItemRule]:
    rules = RuleSet.objects.filter(congress_id=congress_id).only("params").first()
    given = (rules.params or {}).get(PARAM, {}) if rules else {}
    out = {}
    for code, default in DEFAULTS.items():
        days, rule = int(default["days"]), str(default["pass_rule"])
        mine = given.get(code) if isinstance(given, dict) else None
        if isinstance(mine, dict):
            d = mine.get("days")
            if isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 60:
                days = d
            if mine.get("pass_rule") in PassRule.values:
                rule = mine["pass_rule"]
        out[code] = ItemRule(days, rule)
    return out


def item_rule(congress_id: int, item_type: str) -> ItemRule:
    return item_rules(congress_id)[item_type]


def has_quorum(signed_in: int, members_total: int) -> bool:
    """议事规则: 全体组成人员过半数出席."""
    return members_total > 0 and 2 * signed_in > members_total


def passes(rule: str, yes: int, members_total: int, present: int) -> bool:
    if rule == PassRule.TWO_THIRDS_MEMBERS:
        return 3 * yes >= 2 * members_total
    if rule == PassRule.OVER_HALF_PRESENT:
        return 2 * yes > present
    return 2 * yes > members_total
