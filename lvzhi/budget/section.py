"""The budget section: nav entries, demo builder and summary, report figures."""

from __future__ import annotations


def register() -> None:
    """Declares the section (register_section) and the figures (register_figures)."""
