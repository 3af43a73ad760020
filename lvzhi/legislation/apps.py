from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "lvzhi.legislation"
    label = "legislation"
    verbose_name = "立法工作"
