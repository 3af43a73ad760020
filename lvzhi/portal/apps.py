from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lvzhi.portal"
    label = "portal"
    verbose_name = "公开"
