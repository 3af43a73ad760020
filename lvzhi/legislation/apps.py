from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "lvzhi.legislation"
    label = "legislation"
    verbose_name = "立法工作"

    def ready(self) -> None:
        from lvzhi.core.sections import Section, register_section
        from lvzhi.legislation import demo, nav, registry_figures, timeline  # noqa: F401  (timeline: its providers)
        from lvzhi.reports.registry import register_figures

        register_figures("legislation_registry", "法规库", registry_figures.FIGURES)
        register_section(Section("legislation", "立法工作", nav=nav.NAV, demo=demo.build))
