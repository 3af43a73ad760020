from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "lvzhi.votes"
    label = "votes"
    verbose_name = "表决与测评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lvzhi.reports.registry import register_figures
        from lvzhi.votes import figures

        register_figures("votes", "满意度测评", figures.FIGURES)
