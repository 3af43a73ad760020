from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "lvzhi.suggestions"
    label = "suggestions"
    verbose_name = "议案建议"

    def ready(self) -> None:
        from lvzhi.suggestions import workflow

        workflow.register()
