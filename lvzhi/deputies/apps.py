from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "lvzhi.deputies"
    label = "deputies"
    verbose_name = "代表"
