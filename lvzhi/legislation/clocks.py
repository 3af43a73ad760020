"""Legislation's clocks, declared once at start-up (lvzhi.cases.clocks), their lengths in the
congress's rule set (RuleSet.params[code], else the default here).

- 提请审议 (leg_proposal): a bill is laid before the standing committee twenty days before the
  meeting (北京市制定地方性法规条例 第二十二条). Counted back from the meeting; later is flagged.
- 印发组成人员 (leg_materials): the draft and its explanation go to the members seven days
  before the meeting (立法法 第三十一条). Counted back from the meeting; later is flagged.
- 报请批准 (leg_approval): the provincial standing committee decides on approval within four
  months (立法法 第八十一条), counted from the day the regulation is submitted.

These are dates of a bill or a reading, not a case's clocks: they are computed here from the
rule set and stored on the record (shown=False, remind=False keep them out of case lists).
"""

from __future__ import annotations

import datetime as dt

from lvzhi.cases import deadlines
from lvzhi.cases.clocks import Clock, get_clock, register_clock

PROPOSAL = "leg_proposal"
MATERIALS = "leg_materials"
APPROVAL = "leg_approval"

CLOCKS = (
    register_clock(Clock(PROPOSAL, "提请审议", "days", default=20, duty=True, shown=False, remind=False,
                         basis="北京市制定地方性法规条例第二十二条：一般应当在会议举行的二十日前提请")),
    register_clock(Clock(MATERIALS, "印发组成人员", "days", default=7, duty=True, shown=False, remind=False,
                         basis="立法法第三十一条：一般应当在会议举行的七日前将法规草案发给常委会组成人员")),
    register_clock(Clock(APPROVAL, "报请批准", "months", default=4, duty=True, shown=False, remind=False,
                         basis="立法法第八十一条：省级人大常委会应当在四个月内予以批准")),
)


def before_meeting(code: str, congress_id: int, meeting_on: dt.date) -> dt.date:
    """The day a clock counted back from a meeting ends: the meeting date less the rule set's
    number of days (the shared compute_due only counts forward)."""
    rules = deadlines.rules_for(congress_id)
    return meeting_on - dt.timedelta(days=get_clock(code).length(rules))


def approval_due(congress_id: int, submitted_on: dt.date) -> dt.date:
    rules = deadlines.rules_for(congress_id)
    return deadlines.compute_due(APPROVAL, submitted_on, rules, deadlines.calendar_for(congress_id))
