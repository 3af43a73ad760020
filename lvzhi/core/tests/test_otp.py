"""Optional two-factor login: enrol an authenticator, then every login asks for its code."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from lvzhi.testing import PASSWORD

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, drift: int = 0) -> str:
    """The app's current code; drift=1 is the next 30-second step, which the device accepts
    (tolerance 1) after the current one was used (it refuses a replayed code)."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=drift):06d}"


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get(reverse("otp_setup"))
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(reverse("otp_setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert bad.status_code == 400 and "验证码不正确" in bad.content.decode()
    time.sleep(1.1)  # django-otp throttles a device for 1 s after a wrong code
    assert client.post(reverse("otp_setup"), {"token": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_login_asks_for_the_code_once_enrolled(client, world):
    device = enrol(client, world.leader)
    client.logout()
    client.post(reverse("login"), {"username": world.leader.username, "password": PASSWORD})
    resp = client.get(reverse("dashboard"))
    assert resp.status_code == 302 and resp.url.startswith("/login/otp/")
    wrong = client.post("/login/otp/", {"token": "12ab56", "next": "/reports/dashboard/"})
    assert wrong.status_code == 400 and "动态验证码不正确" in wrong.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    time.sleep(1.1)
    device.refresh_from_db()
    ok = client.post("/login/otp/", {"token": code(device, drift=1), "next": "/reports/dashboard/"})
    assert ok.status_code == 302 and ok.url == "/reports/dashboard/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_users_without_a_device_are_not_asked(client, world):
    client.post(reverse("login"), {"username": world.clerk.username, "password": PASSWORD})
    assert client.get(reverse("intake")).status_code == 200


def test_api_token_needs_the_code_too(client, world):
    device = enrol(client, world.leader)
    api = APIClient()
    resp = api.post("/api/v1/auth/token/", {"username": world.leader.username, "password": PASSWORD},
                    format="json")
    assert resp.status_code == 400 and "otp" in resp.json()["errors"]
    resp = api.post("/api/v1/auth/token/", {"username": world.leader.username, "password": PASSWORD,
                                            "otp": code(device, drift=1)}, format="json")
    assert resp.status_code == 200 and resp.json()["token"]


def test_session_api_calls_need_the_code_like_the_pages(client, world):
    device = enrol(client, world.leader)
    # The enrolling session gave a code: the API answers it.
    assert client.get("/api/v1/me/").status_code == 200
    client.logout()
    client.post(reverse("login"), {"username": world.leader.username, "password": PASSWORD})
    # Password only: the pages send it to the code, and the API refuses it in Chinese.
    resp = client.get("/api/v1/me/")
    assert resp.status_code == 403 and "动态验证码" in resp.json()["detail"]
    assert client.get("/api/v1/cases/").status_code == 403
    time.sleep(1.1)
    device.refresh_from_db()
    client.post("/login/otp/", {"token": code(device, drift=1), "next": "/"})
    assert client.get("/api/v1/me/").status_code == 200


def test_a_token_from_before_enrolment_stops_working(client, world):
    api = APIClient()
    key = api.post("/api/v1/auth/token/", {"username": world.leader.username, "password": PASSWORD},
                   format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    enrol(client, world.leader)
    resp = api.get("/api/v1/me/")
    assert resp.status_code == 401 and "令牌" in resp.json()["detail"]
    from lvzhi.core.models import ApiToken
    assert ApiToken.objects.get(user=world.leader).revoked_reason == "otp_enrolled"
