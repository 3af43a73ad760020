from django.apps import AppConfig


class AssistConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lvzhi.assist"
    verbose_name = "智能辅助"
