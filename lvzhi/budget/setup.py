"""Registers the budget supervision at start-up: the warning kind and its clock, the section, the figures.

Each part registers itself from its own module; nothing outside lvzhi/budget names the app."""

from __future__ import annotations


def register() -> None:
    from lvzhi.budget import kind, section

    kind.register()
    section.register()
