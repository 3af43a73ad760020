"""Registers the 发文目录, special reviews and annual report at start-up: the figures group and
the section whose nav shows the 法工委 and filers their pages (the kind's own nav is part A's)."""

from __future__ import annotations


def register() -> None:
    from lvzhi.cases.kinds import NavEntry
    from lvzhi.core.models import Role
    from lvzhi.core.sections import Section, register_section
    from lvzhi.filing import (
        report,  # noqa: F401  (its clock)
        report_figures,
    )
    from lvzhi.filing.permissions import is_filer, is_filing_office
    from lvzhi.reports.registry import register_figures

    register_figures("filing_reports", "备案审查", report_figures.FIGURES)
    register_section(Section(
        code="filing_reports", label="备案审查报告",
        nav=(NavEntry(Role.CLERK, "filing:report_home", "发文目录与年度报告", when=is_filing_office),
             NavEntry(Role.LEADER, "filing:report_home", "备案审查年度报告"),
             # a filer's 发文目录: is_filer reads a cached set of the filers' organisations, no query
             NavEntry(Role.UNIT_HANDLER, "filing:catalogue_submit", "发文目录", is_filer),
             NavEntry(Role.UNIT_HEAD, "filing:catalogue_submit", "发文目录", is_filer)),
    ))
