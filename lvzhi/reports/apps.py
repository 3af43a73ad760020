from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lvzhi.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from lvzhi.reports import signals  # noqa: F401  (connects the CaseFact refresh)
