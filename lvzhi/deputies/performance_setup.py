"""Registers the 履职档案 pages in the nav at start-up (the sources register themselves)."""

from __future__ import annotations


def register() -> None:
    from lvzhi.cases.kinds import NavEntry
    from lvzhi.core.models import Role
    from lvzhi.core.sections import Section, register_section
    from lvzhi.deputies.activity_permissions import is_deputy_office

    register_section(Section(
        code="performance", label="履职档案",
        nav=(NavEntry(Role.CLERK, "deputies:records", "履职档案", is_deputy_office),
             NavEntry(Role.LEADER, "deputies:records", "履职档案"),
             NavEntry(Role.DEPUTY, "deputies:my_record", "履职档案")),
    ))
