"""The kind budget_warning on the case engine: states, transitions, clock, todos, nav."""

from __future__ import annotations


def register() -> None:
    """Declares the kind (register_kind), its clock and its todos."""
