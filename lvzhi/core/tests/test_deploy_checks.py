"""Safe defaults: no production process with a development key; the SM4 key is its own secret;
HSTS and the proxy header behind TLS; gunicorn without max_requests."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from lvzhi.core import crypto
from lvzhi.core.crypto import DEV_SM4_KEY_HEX, legacy_derived_key, sm4_decrypt, sm4_encrypt
from lvzhi.deputies.models import Deputy

ROOT = Path(__file__).resolve().parents[3]
STRONG_SECRET = secrets.token_urlsafe(50)
SM4_KEY = "00112233445566778899aabbccddeeff"
# What production has (deploy/lvzhi.env.example with real values, LVZHI_HTTPS=1), as settings.
PRODUCTION = dict(
    DEBUG=False, SECRET_KEY=STRONG_SECRET, SM4_KEY_HEX=SM4_KEY, ALLOWED_HOSTS=["lvzhi.example.gov.cn"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=False,
    SILENCED_SYSTEM_CHECKS=["security.W021"], SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True,
    LVZHI_AUDIT_KEY="ab" * 32)
DEFAULTS = dict(PRODUCTION, SECRET_KEY=settings.DEV_SECRET_KEY, SM4_KEY_HEX="")


def check(**kwargs) -> str:
    from io import StringIO

    out = StringIO()
    call_command("check", stdout=out, stderr=out, **kwargs)
    return out.getvalue()


# --------------------------------------------------------------------------- system checks

@override_settings(**PRODUCTION)
def test_deploy_check_passes_cleanly_with_proper_keys(monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set by conftest.py for Playwright
    assert "no issues" in check(deploy=True, fail_level="WARNING")


@override_settings(**DEFAULTS)
def test_default_keys_stop_every_command_outside_debug():
    for kwargs in ({}, {"deploy": True}):
        with pytest.raises(SystemCheckError) as exc:
            check(**kwargs)
        text = str(exc.value)
        assert "lvzhi.E001" in text and "lvzhi.E002" in text and "LVZHI_SM4_KEY" in text
        assert text.count("lvzhi.E001") == 1  # reported once, not by both registrations


@pytest.mark.parametrize("placeholder", ["CHANGE-ME-50-random-characters", "django-insecure-abc"])
@override_settings(**PRODUCTION)
def test_placeholder_secret_key_is_refused(placeholder):
    with override_settings(SECRET_KEY=placeholder), pytest.raises(SystemCheckError, match=r"lvzhi\.E001"):
        check()


@pytest.mark.parametrize("key", ["CHANGE-ME-32-hex-digits", "abcd", DEV_SM4_KEY_HEX])
@override_settings(**PRODUCTION)
def test_bad_or_development_sm4_key_is_refused(key):
    with override_settings(SM4_KEY_HEX=key), pytest.raises(SystemCheckError, match=r"lvzhi\.E00[23]"):
        check()


@override_settings(DEBUG=True, SECRET_KEY=settings.DEV_SECRET_KEY, SM4_KEY_HEX="")
def test_development_runs_with_defaults_but_deploy_check_names_them():
    check()  # runserver, migrate … work under DEBUG
    with pytest.raises(SystemCheckError) as exc:
        check(deploy=True)
    assert "lvzhi.E001" in str(exc.value) and "lvzhi.E002" in str(exc.value)


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LVZHI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(LVZHI_HTTPS="1", LVZHI_ALLOWED_HOSTS="lvzhi.example.gov.cn",
               LVZHI_AUDIT_KEY="ab" * 32, LVZHI_SQLITE_PATH=os.devnull, **extra)
    return env


def test_manage_py_check_deploy_with_the_production_environment():
    """The settings module's own wiring: LVZHI_HTTPS=1 gives HSTS, the SSL redirect and secure
    cookies, so check --deploy passes with real keys and fails with the defaults."""
    cmd = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    ok = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                        env=production_env(LVZHI_SECRET_KEY=STRONG_SECRET, LVZHI_SM4_KEY=SM4_KEY))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "no issues" in ok.stdout
    bad = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, env=production_env())
    assert bad.returncode != 0
    assert "lvzhi.E001" in bad.stderr and "lvzhi.E002" in bad.stderr


# ------------------------------------------------------------------------------- SM4 key

def test_development_sm4_key_reads_what_the_old_derivation_wrote():
    assert legacy_derived_key(settings.DEV_SECRET_KEY).hex() == DEV_SM4_KEY_HEX


@override_settings(DEBUG=True, SM4_KEY_HEX="")
def test_sm4_key_is_never_derived_from_the_secret_key():
    token = sm4_encrypt("13800000000")
    with override_settings(SECRET_KEY=STRONG_SECRET):
        assert sm4_decrypt(token) == "13800000000"
    with override_settings(SM4_KEY_HEX=SM4_KEY):
        token = sm4_encrypt("13800000000")
        with override_settings(SECRET_KEY=STRONG_SECRET + "x"):
            assert sm4_decrypt(token) == "13800000000"


@override_settings(DEBUG=False, SM4_KEY_HEX="")
def test_without_sm4_key_production_refuses_to_encrypt(monkeypatch):
    monkeypatch.setattr(crypto, "_running_tests", lambda: False)
    with pytest.raises(ImproperlyConfigured, match="LVZHI_SM4_KEY"):
        sm4_encrypt("13800000000")
    with override_settings(DEBUG=True):
        assert sm4_decrypt(sm4_encrypt("13800000000")) == "13800000000"


def rotate(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("rotate_sm4_key", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_rotate_sm4_key_from_the_old_derived_key(world):
    """A database written when the key was derived from SECRET_KEY, moved to LVZHI_SM4_KEY."""
    old = legacy_derived_key(STRONG_SECRET)
    phones = {d.pk: f"139{d.pk:08d}" for d in world.deputies}
    for pk, phone in phones.items():
        Deputy.objects.filter(pk=pk).update(phone_encrypted=sm4_encrypt(phone, old),
                                            id_number_encrypted=sm4_encrypt("110101199001011234", old))
    n = 2 * len(phones)
    first, second = world.deputies[0].pk, world.deputies[1].pk
    with override_settings(SECRET_KEY=STRONG_SECRET, SM4_KEY_HEX=SM4_KEY):
        assert f"将重新加密 {n} 项" in rotate("--old-derived", "--dry-run")
        with pytest.raises(ValueError, match="校验失败"):
            _ = Deputy.objects.get(pk=first).phone  # a dry run writes nothing
        assert f"已重新加密 {n} 项" in rotate("--old-derived")
        for pk, phone in phones.items():
            fresh = Deputy.objects.get(pk=pk)
            assert fresh.phone == phone and fresh.id_number == "110101199001011234"
        assert f"已重新加密 0 项；已是新密钥的 {n} 项" in rotate("--old-derived")  # idempotent

        # A value neither key reads: refused, and nothing else is changed either.
        Deputy.objects.filter(pk=first).update(phone_encrypted=sm4_encrypt("x", os.urandom(16)))
        Deputy.objects.filter(pk=second).update(phone_encrypted=sm4_encrypt(phones[second], old))
        with pytest.raises(CommandError, match="回滚"):
            rotate("--old-derived")
        with pytest.raises(ValueError):
            _ = Deputy.objects.get(pk=second).phone
    with override_settings(SM4_KEY_HEX=""), pytest.raises(CommandError, match="LVZHI_SM4_KEY"):
        rotate("--old-derived")


# ----------------------------------------------------------------------------- HTTPS, gunicorn

@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_hsts_and_proxy_header_behind_tls(client):
    plain = client.get("/login/", HTTP_HOST="lvzhi.example.gov.cn")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    tls = client.get("/login/", HTTP_HOST="lvzhi.example.gov.cn", HTTP_X_FORWARDED_PROTO="https")
    assert tls.status_code == 200
    assert tls["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_gunicorn_has_no_max_requests_and_checks_before_serving():
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert conf["threads"] > 1  # so the gthread worker, whose recycling drops requests
    assert "max_requests" not in conf and "max_requests_jitter" not in conf
    assert callable(conf["on_starting"])
