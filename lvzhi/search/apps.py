from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "lvzhi.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from lvzhi.search import signals  # noqa: F401  (rebuilds a case's document after its events)
