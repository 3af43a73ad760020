"""The public comment period's length, a rule-set value (RuleSet.params["comment_period"]).

立法法 第四十条: 法律草案……向社会公布，征求意见，但是经委员长会议决定不公布的除外。向社会公布征求意见的
时间一般不少于三十日. A period shorter than this is allowed only with the reason recorded
(lvzhi.legislation.comment_services.open_period). A window, not a duty: nobody is late on it.
"""

from __future__ import annotations

from lvzhi.cases.clocks import Clock, register_clock

COMMENT_PERIOD = "comment_period"

CLOCKS = (
    register_clock(Clock(COMMENT_PERIOD, "征求意见期限", "days", default=30, duty=False, shown=False,
                         remind=False, basis="立法法第四十条：向社会公布征求意见的时间一般不少于三十日")),
)
