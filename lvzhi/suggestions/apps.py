from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "lvzhi.suggestions"
    label = "suggestions"
    verbose_name = "议案建议"

    def ready(self) -> None:
        from lvzhi.suggestions import duty, workflow

        workflow.register()
        duty.register()  # its lines of each deputy's 履职档案
