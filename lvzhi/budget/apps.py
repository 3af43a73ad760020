from django.apps import AppConfig


class BudgetConfig(AppConfig):
    """预算和国有资产联网监督: the finance bureau's data in, warning rules, warnings (kind
    budget_warning) followed to closure, analysis pages, deputies' questions, the 专项监督报告."""

    name = "lvzhi.budget"
    label = "budget"
    verbose_name = "预算联网监督"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lvzhi.budget import setup

        setup.register()
