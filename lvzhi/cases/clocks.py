"""The registry of clocks. A clock says how a deadline is counted and what its lapse means.

A kind lists the clocks it runs (CaseKind.clocks); the shared handling transitions register
theirs in lvzhi.cases.handling.clocks. `lvzhi.cases.deadlines` computes every due date from a
clock and the congress's RuleSet, so adding a kind never edits the rule set's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lvzhi.cases.models import RuleSet


@dataclass(frozen=True)
class Clock:
    code: str
    label: str
    # "months", "workdays", "days", or "fixed" (the due date is given when the clock starts).
    unit: str
    # The RuleSet column that holds the length; without one, RuleSet.params[code] or `default`.
    rule: str = ""
    default: int = 0
    # A duty a party can be late on (turns red, emits one overdue event). Otherwise a window
    # that lapses: a right not used, never "overdue".
    duty: bool = True
    # Whether lists show it as a case's next due date, and whether the sweep reminds before it.
    shown: bool = True
    remind: bool = True
    # For a window: the transition the system fires when it has lapsed ("" = the window just closes).
    on_lapse: str = ""
    # Who hears of a reminder or lapse: "unit" (the assigned organisation), "office" (the kind's
    # office), or "evaluator" (the kind's evaluator relation).
    notify: str = "unit"
    # Articles the length comes from, for the rules page and the docs.
    basis: str = ""

    def length(self, rules: RuleSet) -> int:
        if self.rule and hasattr(rules, self.rule):
            return int(getattr(rules, self.rule))
        return int((rules.params or {}).get(self.code, self.default))


_CLOCKS: dict[str, Clock] = {}


def register_clock(clock: Clock) -> Clock:
    existing = _CLOCKS.get(clock.code)
    if existing is not None and existing != clock:
        raise ValueError(f"clock {clock.code} declared twice, differently")
    _CLOCKS[clock.code] = clock
    return clock


def unregister_clock(code: str) -> None:
    _CLOCKS.pop(code, None)


def get_clock(code: str) -> Clock:
    try:
        return _CLOCKS[code]
    except KeyError:
        raise LookupError(f"未声明的期限类型：{code}") from None


def all_clocks() -> list[Clock]:
    return list(_CLOCKS.values())


def clock_label(code: str) -> str:
    clock = _CLOCKS.get(code)
    return clock.label if clock else code


def duty_codes() -> list[str]:
    return [c.code for c in _CLOCKS.values() if c.duty]


def shown_codes() -> list[str]:
    return [c.code for c in _CLOCKS.values() if c.shown]


def reminded_codes() -> list[str]:
    return [c.code for c in _CLOCKS.values() if c.remind]
