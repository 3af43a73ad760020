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
    # The warning window (yellow light, reminder): `warn` in `warn_unit` ("workdays" or "days")
    # before the due date. Unset, it follows the clock's unit: WORKDAY_WARN working days for a
    # working-day clock, the rule set's warn_days calendar days for the others. A congress
    # overrides any clock in RuleSet.params["warn"][code].
    warn: int | None = None
    warn_unit: str = ""

    def length(self, rules: RuleSet) -> int:
        if self.rule and hasattr(rules, self.rule):
            return int(getattr(rules, self.rule))
        return int((rules.params or {}).get(self.code, self.default))

    @property
    def term(self) -> str:
        """The deadline's name as a light says it: 答复期限, 申请调整期限, 完成时限."""
        return self.label if self.label.endswith(("期限", "时限")) else f"{self.label}期限"

    def warning(self, rules: RuleSet | None) -> tuple[int, str]:
        """(n, unit) of the warning window under these rules; unit is "workdays" or "days"."""
        unit = self.warn_unit or ("workdays" if self.unit == "workdays" else "days")
        params = (rules.params if rules is not None else None) or {}
        overrides = params.get("warn") if isinstance(params, dict) else None
        override = overrides.get(self.code) if isinstance(overrides, dict) else None
        # A hand-edited params value that is not a whole number is ignored, never a page error.
        if isinstance(override, int | str) and str(override).strip().isdigit():
            return int(str(override).strip()), unit
        if self.warn is not None:
            return self.warn, unit
        if unit == "workdays":
            return WORKDAY_WARN, unit
        if self.unit == "days":
            return DAYS_WARN, unit
        return int(rules.warn_days if rules is not None else MONTH_WARN), unit


# Default warning windows by how a clock is counted (Clock.warning). A 5-working-day window
# warned 15 calendar days ahead would be yellow from its first day.
WORKDAY_WARN = 2  # working days
DAYS_WARN = 3  # calendar days, for a clock counted in days
MONTH_WARN = 15  # calendar days, when no rule set is at hand (RuleSet.warn_days' default)

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
