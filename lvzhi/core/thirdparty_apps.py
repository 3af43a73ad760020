"""Third-party apps named in Chinese in the admin (INSTALLED_APPS names these configs).

Their models' and fields' English names are translated by the project's catalogue
(lvzhi/core/locale/zh_Hans/LC_MESSAGES/django.po), which also covers Django's own strings
that its Simplified Chinese catalogue lacks. django-otp writes its field names and help texts
as plain strings, never marked for translation: `ready()` wraps them in gettext_lazy with the
same English text, so the catalogue translates them and the migration autodetector (which
runs untranslated) still sees the fields unchanged.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig
from django_tasks.backends.database.apps import TasksAppConfig


def _mark_for_translation(config: AppConfig) -> None:
    for model in config.get_models():
        opts = model._meta
        for attr in ("verbose_name", "verbose_name_plural"):
            value = getattr(opts, attr)
            if isinstance(value, str) and not isinstance(value, Promise):
                setattr(opts, attr, gettext_lazy(value))
        for field in opts.get_fields():
            for attr in ("verbose_name", "help_text"):
                value = getattr(field, attr, None)
                if isinstance(value, str) and value and not isinstance(value, Promise):
                    setattr(field, attr, gettext_lazy(value))


class LoginSecurityConfig(AxesConfig):
    """django-axes: lockouts after failed logins and the login logs."""

    verbose_name = "登录安全"

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # Their names on a record's page and in the admin log, in Chinese.
        AccessAttempt.__str__ = lambda a: f"登录失败锁定：{a.username or ''}（{a.ip_address or ''}）"
        AccessFailureLog.__str__ = lambda a: f"登录失败：{a.username or ''}（{a.ip_address or ''}）"
        AccessLog.__str__ = lambda a: f"登录：{a.username or ''}（{a.ip_address or ''}）"


class AuthenticatorConfig(TOTPConfig):
    """django-otp's TOTP devices: the authenticator apps' six-digit codes."""

    verbose_name = "动态验证码"

    def ready(self) -> None:
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        _mark_for_translation(self)
        # TOTPDevice names itself in Meta without gettext, and its plural is derived from that.
        TOTPDevice._meta.verbose_name = TOTPDevice._meta.verbose_name_plural = gettext_lazy("TOTP device")


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks' database backend: model retraining and other background work."""

    verbose_name = "后台任务"
