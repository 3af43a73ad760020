"""The clocks of a review request; each length is a rule-set value (RuleSet.params[code])."""

from __future__ import annotations

from lvzhi.cases.clocks import Clock, register_clock

INTAKE = "review_request_intake"
DECLINE_NOTICE = "review_request_decline_notice"

CLOCKS = (
    # Counted from receipt, and again from the proposer's completion.
    register_clock(Clock(INTAKE, "登记或告知补充", "workdays", default=5, duty=True, notify="office",
                         basis="北京 备案审查条例第二十四条：内容不完整的，自收到之日起五个工作日内告知补充完整")),
    register_clock(Clock(DECLINE_NOTICE, "告知不启动审查", "days", default=10, duty=True, notify="office",
                         basis="北京 备案审查条例第二十五条：自作出决定之日起十日内告知审查建议提起人，并说明理由")),
)
CODES = tuple(c.code for c in CLOCKS)
