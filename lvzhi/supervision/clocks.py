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

# The 审议意见's own dates (not a case's clocks: an opinion is a record, its dates are computed
# here from the rule set and stored on it; lvzhi.supervision.opinions).
OPINION_SEND = "opinion_send"
OPINION_REPORT = "opinion_report"
OPINION_CLOCKS = (
    register_clock(Clock(OPINION_SEND, "审议意见交办", "workdays", default=5, duty=True,
                         basis="常州 审议意见处理办法：会议结束后5个工作日内交办；浙江 监督条例第四十三条：7日内")),
    register_clock(Clock(OPINION_REPORT, "研究处理情况报告", "months", default=3, duty=True,
                         basis="监督法第十七条；河南 实施办法第十一条、浙江 监督条例第四十四条：收到审议意见三个月内")),
)
