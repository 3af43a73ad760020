from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lvzhi.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from lvzhi.cases import signals  # noqa: F401  (registers the recompute receivers)
