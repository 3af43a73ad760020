from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "lvzhi.votes"
    label = "votes"
    verbose_name = "表决与测评"
    default_auto_field = "django.db.models.BigAutoField"
