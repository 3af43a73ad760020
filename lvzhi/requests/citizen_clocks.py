"""The clocks of a citizen's request; each length is a rule-set value (RuleSet.params[code]),
so a congress sets its own (the issue's defaults: acknowledge in 3 working days, answer in 15)."""

from __future__ import annotations

from lvzhi.cases.clocks import Clock, register_clock

ACK = "citizen_request_ack"
ANSWER = "citizen_request_answer"
UNIT_REPLY = "citizen_request_unit_reply"
RATING = "citizen_request_rating"

CLOCKS = (
    register_clock(Clock(ACK, "受理", "workdays", default=3, duty=True, notify="office",
                         basis="代表码上见工作规则：代表（联络站）自收到之日起三个工作日内受理、约见、转交或者告知不予受理")),
    register_clock(Clock(ANSWER, "答复群众", "workdays", default=15, duty=True, notify="office",
                         basis="代表码上见工作规则：自收到之日起十五个工作日内答复群众；"
                               "参照广东省12345热线管理办法，投诉类事项十五个工作日")),
    register_clock(Clock(UNIT_REPLY, "单位答复代表", "workdays", default=10, duty=True, notify="unit",
                         basis="参照广东省12345热线管理办法：求助、建议类事项十个工作日内办理并答复")),
    # A window the citizen has to rate or reopen; when it lapses the request closes unrated.
    register_clock(Clock(RATING, "评价", "days", default=30, duty=False, shown=False, remind=False,
                         on_lapse="expire_rating", notify="office",
                         basis="答复后三十日内群众可以评价，不满意的可以申请重新办理一次")),
)
CODES = tuple(c.code for c in CLOCKS)
