"""System checks of our own: refuse to run in production with a development key.

Two registrations of one set of problems, so none is reported twice:

- always (every manage.py command, runserver, and gunicorn's start, see deploy/gunicorn.conf.py)
  when DEBUG is off: a production process must not start with the development SECRET_KEY or
  without its own SM4 key;
- with `manage.py check --deploy` while DEBUG is on: the same, so a deployment can be checked
  from a development shell before it goes live.

Messages are Chinese first, English after the slash (operators read both).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# The development SECRET_KEY of config/settings.py, and the placeholders of
# deploy/lvzhi.env.example: none may reach production.
PLACEHOLDER_PREFIXES = ("dev-only-not-secret", "change-me", "django-insecure")


def _secret_key_problem() -> Error | None:
    key = settings.SECRET_KEY or ""
    if key == getattr(settings, "DEV_SECRET_KEY", None) or key.lower().startswith(PLACEHOLDER_PREFIXES):
        return Error(
            "LVZHI_SECRET_KEY 仍是开发用默认值或占位符 / LVZHI_SECRET_KEY is the development "
            "default or a placeholder",
            hint="设置 50 位以上的随机值 / set 50+ random characters: "
                 "python -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="lvzhi.E001")
    return None


def _sm4_key_problem() -> Error | None:
    from django.core.exceptions import ImproperlyConfigured

    from lvzhi.core.crypto import parse_sm4_key, sm4_key_is_default

    if sm4_key_is_default():
        return Error(
            "未设置个人信息加密密钥 LVZHI_SM4_KEY，或仍是开发用默认值 / LVZHI_SM4_KEY is unset "
            "or the development default",
            hint="设置 32 位十六进制数并另行备份 / set 32 hex digits and back them up: "
                 "openssl rand -hex 16；已有数据是用旧的派生密钥加密的，设置后运行 / for data encrypted "
                 "with the old derived key, then run: manage.py rotate_sm4_key --old-derived"
                 "（docs/security.md）",
            id="lvzhi.E002")
    try:
        parse_sm4_key(settings.SM4_KEY_HEX)
    except ImproperlyConfigured as exc:
        return Error(f"{exc} / LVZHI_SM4_KEY must be 32 hex digits", id="lvzhi.E003")
    return None


DEVELOPMENT = "；开发和演示环境请设置 LVZHI_DEBUG=1 / for development and the demo set LVZHI_DEBUG=1"


def key_problems() -> list[Error]:
    problems = [p for p in (_secret_key_problem(), _sm4_key_problem()) if p is not None]
    if not settings.DEBUG:
        for p in problems:
            p.hint = (p.hint or "") + DEVELOPMENT
    return problems


@register(Tags.security)
def production_keys(app_configs=None, **kwargs) -> list[Error]:
    """Runs with every command; outside DEBUG a default key is an error, so nothing starts."""
    return [] if settings.DEBUG else key_problems()


@register(Tags.security, deploy=True)
def deploy_keys(app_configs=None, **kwargs) -> list[Error]:
    """`check --deploy` under DEBUG (outside DEBUG, production_keys already reported them)."""
    return key_problems() if settings.DEBUG else []
