"""Filled in by its part."""

from typing import Any


def build(builder: Any) -> None:
    """Adds this part's demo year."""
