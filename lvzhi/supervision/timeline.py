"""The 专项工作报告 timeline: the one place its rule lives.

监督法(2024) 第十五条 counts back from the 常委会 meeting date M (calendar days): the draft goes
to the 专门委员会/工作机构 for comments at M−20, the revised report to the 常委会 at M−10, and it is
sent to the members at M−7 (the 2006 text, 第十二条, had the same 20/10/7). A congress may set
other counts in RuleSet.params["work_report_timeline"]. 第十四条's summary of opinions has no
day count of its own; the deliberation itself is due on M.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lvzhi.cases.models import RuleSet

PARAM = "work_report_timeline"
DEFAULTS: dict[str, int] = {"draft": 20, "revised": 10, "to_members": 7}
WARN_DAYS = 3  # yellow: due within three days and not done


@dataclass(frozen=True)
class StepRule:
    code: str
    label: str
    article: str
    days_before: int | None  # None: no deadline of its own (第十四条)


def counts(congress_id: int) -> dict[str, int]:
    """The day counts for this congress; a missing or unusable value keeps the law's default."""
    rules = RuleSet.objects.filter(congress_id=congress_id).only("params").first()
    given = (rules.params or {}).get(PARAM, {}) if rules else {}
    out = dict(DEFAULTS)
    if isinstance(given, dict):
        for key in DEFAULTS:
            value = given.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 365:
                out[key] = value
    return out


def steps(congress_id: int) -> list[StepRule]:
    c = counts(congress_id)
    return [
        StepRule("summary", "汇总各方面意见", "监督法第十四条", None),
        StepRule("draft", "报告稿送专门委员会（工作机构）征求意见", "监督法第十五条", c["draft"]),
        StepRule("revised", "修改后的报告送交常委会", "监督法第十五条", c["revised"]),
        StepRule("to_members", "报告印发常委会组成人员", "监督法第十五条", c["to_members"]),
        StepRule("deliberated", "常委会会议听取和审议", "监督法第十六条", 0),
    ]


CODES = ("summary", "draft", "revised", "to_members", "deliberated")


def due_on(meeting_on: dt.date | None, rule: StepRule) -> dt.date | None:
    if meeting_on is None or rule.days_before is None:
        return None
    return meeting_on - dt.timedelta(days=rule.days_before)


def light(due: dt.date | None, done_on: dt.date | None, today: dt.date) -> tuple[str, str]:
    """(css light, words): green done on time, red past due and not done (or done late),
    yellow due within WARN_DAYS, grey nothing due yet."""
    if done_on is not None:
        if due is not None and done_on > due:
            return "red", f"逾期{(done_on - due).days}天完成"
        return "green", "按时完成"
    if due is None:
        return "done", "未记录"
    left = (due - today).days
    if left < 0:
        return "red", f"已逾期{-left}天"
    if left <= WARN_DAYS:
        return "yellow", "今天到期" if left == 0 else f"剩{left}天"
    return "done", f"剩{left}天"
