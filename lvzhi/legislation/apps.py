from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "lvzhi.legislation"
    label = "legislation"
    verbose_name = "立法工作"

    def ready(self) -> None:
        from lvzhi.core.sections import Section, register_section
        from lvzhi.legislation import (  # noqa: F401  (clocks: registered on import)
            bills,
            clocks,
            comment_figures,
            comment_services,
            demo,
            nav,
            plan_figures,
            registry_figures,
            timeline,
        )
        from lvzhi.reports.registry import register_figures

        register_figures("legislation_registry", "法规库", registry_figures.FIGURES)
        register_figures("legislation_plan", "立法计划与法规案", plan_figures.FIGURES)
        register_figures("legislation_comment", "立法征求意见", comment_figures.FIGURES)
        timeline.register_timeline(bills.bill_timeline, "bills")
        timeline.register_timeline(comment_services.comment_timeline, "comments")
        register_section(Section("legislation", "立法工作", nav=nav.NAV, demo=demo.build, sweep=sweep,
                                 summary=demo.summary))


def sweep(today) -> str:
    """The day's legislation chores: bills whose date of effect has come, comment periods past their date."""
    from lvzhi.legislation import bills, comment_services

    return f"法规施行 {bills.sweep_in_force(today)} 件，征求意见到期截止 {comment_services.close_lapsed(today)} 个"
