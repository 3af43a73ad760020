from django.apps import AppConfig


class KeytasksConfig(AppConfig):
    name = "lvzhi.keytasks"
    label = "keytasks"
    verbose_name = "年度重点任务"

    def ready(self) -> None:
        from lvzhi.keytasks import workflow

        workflow.register()
