from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "lvzhi.supervision"
    label = "supervision"
    verbose_name = "监督工作"

    def ready(self) -> None:
        from lvzhi.supervision import workflow

        workflow.register()
