from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "lvzhi.projects"
    label = "projects"
    verbose_name = "民生实事项目"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lvzhi.cases.kinds import NavEntry
        from lvzhi.core.models import Role
        from lvzhi.core.sections import Section, register_section
        from lvzhi.projects import demo, figures
        from lvzhi.reports.registry import register_figures

        register_figures("projects", "民生实事项目", figures.FIGURES)
        register_section(Section(
            code="projects", label="民生实事项目",
            nav=(NavEntry(Role.CLERK, "projects:list", "民生实事"),
                 NavEntry(Role.LEADER, "projects:list", "民生实事"),
                 NavEntry(Role.DEPUTY, "projects:list", "民生实事"),
                 NavEntry(Role.COMMITTEE_STAFF, "projects:list", "民生实事")),
            demo=demo.build, summary=demo.summary))
