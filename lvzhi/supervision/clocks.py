"""The clocks a problem runs, declared once at start-up (lvzhi.cases.clocks).

整改时限: the date the 审议意见 sets for the problem (ProblemDetail.due_on), started on each
responsible unit's assignment by the shared 交办; missed, it turns red and the sweep tells the unit.
重新整改: after an unsatisfied evaluation, a 销号 sent back or a regression found on 回头看, the
unit has this long (RuleSet.params["problem_rework"], default two months) to report again.
回头看 is the shared clock (RuleSet.params["revisit"], default six months after 销号).
"""

from __future__ import annotations

from lvzhi.cases.clocks import Clock, register_clock

RECTIFY_DUE = "rectify_due"
REWORK = "problem_rework"

CLOCKS = (
    register_clock(Clock(RECTIFY_DUE, "整改时限", "fixed", duty=True,
                         basis="审议意见+问题清单：逐条明确责任单位和整改时限")),
    register_clock(Clock(REWORK, "重新整改", "months", default=2, duty=True, warn=10,
                         basis="测评销号：整改不到位的限期重新整改")),
)
CODES = tuple(c.code for c in CLOCKS)
