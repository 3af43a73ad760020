"""The warning rules: pure functions over the current facts, each citing its basis, each
configurable per congress (RuleSet.params["budget_warnings"])."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from lvzhi.core.models import Congress


@dataclass(frozen=True)
class Finding:
    """One thing a rule found. (rule, key) is stable across runs: the run keeps one open warning per pair."""

    rule: str  # the rule's code
    key: str  # what it is about, e.g. "unit:105001", "project:105001/P26001", "transfer:财预〔2026〕12号"
    title: str  # Chinese one-liner, the warning's case title
    unit_code: str | None  # BudgetUnit.code, None for the whole city
    year: int
    month: int  # 0 when not monthly
    measured: Decimal | None
    threshold: Decimal | None
    basis: str  # the law or local rule, with its article
    evidence: dict = field(default_factory=dict)  # JSON-able figures behind it, shown on the warning page


def evaluate(congress: Congress, year: int, *, today: dt.date | None = None) -> list[Finding]:
    """Every enabled rule over the current facts of one budget year."""
    return []
