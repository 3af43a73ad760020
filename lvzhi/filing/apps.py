from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "lvzhi.filing"
    label = "filing"
    verbose_name = "备案审查"

    def ready(self) -> None:
        from lvzhi.filing import clocks, report_registry, request_workflow, workflow  # noqa: F401

        workflow.register()  # the kind `filing`
        request_workflow.register()  # the kind `review_request`
        report_registry.register()  # figures, the section (catalogues, special reviews, the report)
