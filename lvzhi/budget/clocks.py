"""The one clock a budget warning runs: the unit's answer, N working days from the push.

N is RuleSet.params["budget_warning_answer_workdays"] (default 10), so a congress sets its own on
the rules page; the clock hangs on the unit's Assignment, so the shared deadline monitor, the
lights and the sweep show a missed answer as overdue like every other kind's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lvzhi.cases.clocks import Clock, register_clock

if TYPE_CHECKING:
    from lvzhi.cases.models import RuleSet

ANSWER = "budget_warning_answer"
PARAM = "budget_warning_answer_workdays"
DEFAULT_WORKDAYS = 10


@dataclass(frozen=True)
class ParamClock(Clock):
    """A clock whose length sits in RuleSet.params under a name of its own (not its code)."""

    param: str = ""

    def length(self, rules: RuleSet) -> int:
        value = (rules.params or {}).get(self.param, self.default)
        try:
            return int(value)
        except (TypeError, ValueError):  # a hand-edited value that is not a number: the default
            return self.default


CLOCKS = (
    register_clock(ParamClock(ANSWER, "预警说明", "workdays", default=DEFAULT_WORKDAYS, duty=True, notify="unit",
                              param=PARAM,
                              basis="《监督法》第三十条、上海市预算审查监督条例第二十一条：在线预警，"
                                    "有关部门在规定期限内说明或者整改并反馈")),
)
CODES = tuple(c.code for c in CLOCKS)
