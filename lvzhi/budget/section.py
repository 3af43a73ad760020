"""The budget section: nav entries, demo builder and summary, report figures."""

from __future__ import annotations


def register() -> None:
    """Declares the section (register_section) and the figures (register_figures)."""
    from lvzhi.budget import demo, figures, permissions, run
    from lvzhi.cases.kinds import NavEntry
    from lvzhi.core.models import Role
    from lvzhi.core.sections import Section, register_section
    from lvzhi.reports.registry import register_figures

    register_figures("budget", "预算联网监督", figures.FIGURES)
    register_section(Section(
        code="budget", label="预算联网监督",
        # The analysis for every reader; imports, rules and reports for the 预算工委 (the warnings are the kind's nav).
        nav=(NavEntry(Role.CLERK, "budget:overview", "预算执行", when=permissions.is_budget_office),
             NavEntry(Role.CLERK, "budget:imports", "数据导入", when=permissions.is_budget_office),
             NavEntry(Role.CLERK, "budget:rules", "预警规则", when=permissions.is_budget_office),
             NavEntry(Role.CLERK, "budget:reports", "专项监督报告", when=permissions.is_budget_office),
             NavEntry(Role.LEADER, "budget:overview", "预算执行"),
             NavEntry(Role.COMMITTEE_STAFF, "budget:overview", "预算执行"),
             NavEntry(Role.DEPUTY, "budget:overview", "预算执行")),
        demo=demo.build, summary=demo.summary, sweep=run.sweep))
