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
        # superuser-login audit.
        from lvzhi.core import checks, signals  # noqa: F401
        _name_axes_in_chinese()


def _name_axes_in_chinese() -> None:
    """django-axes ships no Simplified Chinese names; the admin shows every page in Chinese."""
    from django.apps import apps

    try:
        config = apps.get_app_config("axes")
    except LookupError:
        return
    config.verbose_name = "登录安全"
    names = {"AccessAttempt": ("登录失败锁定", "登录失败锁定"), "AccessFailureLog": ("登录失败记录", "登录失败记录"),
             "AccessLog": ("登录日志", "登录日志")}
    for model in config.get_models():
        if model.__name__ in names:
            model._meta.verbose_name, model._meta.verbose_name_plural = names[model.__name__]
