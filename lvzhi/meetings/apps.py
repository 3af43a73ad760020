from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lvzhi.meetings"
    label = "meetings"
    verbose_name = "会议"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lvzhi.cases.kinds import NavEntry
        from lvzhi.core.models import Role
        from lvzhi.core.sections import Section, register_section
        from lvzhi.meetings import demo, figures, permissions
        from lvzhi.reports.registry import register_figures

        register_figures("meetings", "会议", figures.FIGURES)
        register_section(Section(
            code="meetings", label="会议",
            nav=(NavEntry(Role.CLERK, "meetings:list", "会议", permissions.is_office),
                 NavEntry(Role.LEADER, "meetings:list", "会议"),
                 # Deputies and unit heads: the meetings they are on (members or 列席); no query
                 # in the nav to ask whether there are any.
                 NavEntry(Role.DEPUTY, "meetings:list", "会议"),
                 NavEntry(Role.UNIT_HEAD, "meetings:list", "会议")),
            demo=demo.build, summary=demo.summary))
