from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LvzhiAdminConfig(admin_apps.AdminConfig):
    """The admin site checks roles, not is_staff (lvzhi.core.admin_site)."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "lvzhi.core.admin_site.LvzhiAdminSite"


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # checks: no production start with development keys; signals: token revocation,
        # superuser-login audit. Third-party apps are named in Chinese in one place:
        # lvzhi/core/thirdparty_apps.py and the project's catalogue (lvzhi/core/locale/).
        from lvzhi.core import checks, middleware, signals  # noqa: F401  (middleware: the login stamp)
