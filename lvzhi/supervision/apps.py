from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "lvzhi.supervision"
    label = "supervision"
    verbose_name = "监督工作"

    def ready(self) -> None:
        from lvzhi.reports.registry import register_figures
        from lvzhi.supervision import activity_figures, figures, workflow

        workflow.register()
        register_figures("supervision", "监督工作", (*activity_figures.FIGURES, *figures.OPINION_FIGURES))
