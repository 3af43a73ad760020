"""The token endpoint: a new hashed, expiring token for a good password, a Chinese 400 for a
bad one, the delay and the django-axes lockout (per username and address) answered in JSON,
not with the login page's HTML; tokens are revoked on password change and by their owner."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.test import APIClient

from lvzhi.api.tests.helpers import CASES_URL, TOKEN_URL
from lvzhi.cases.models import Event
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import ApiToken, User
from lvzhi.testing import PASSWORD

pytestmark = pytest.mark.django_db


def token_request(username: str, password: str, ip: str = "127.0.0.1"):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json",
                            REMOTE_ADDR=ip)


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_then_authorization_header(world):
    r = token_request(world.clerk.username, PASSWORD)
    assert r.status_code == 200
    token = r.json()["token"]
    assert r.json()["expires_at"]
    # Each request issues a new token (the key is never stored, so it cannot be shown again).
    second = token_request(world.clerk.username, PASSWORD).json()["token"]
    assert second != token
    client = with_token(token)
    assert client.get(CASES_URL).status_code == 200
    assert with_token(second).get(CASES_URL).status_code == 200
    world.clerk.refresh_from_db()
    assert world.clerk.last_login is not None
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    r = client.get(CASES_URL)
    assert r.status_code == 401 and "令牌" in r.json()["detail"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token[:-1]}{'0' if token[-1] != '0' else '1'}")
    assert client.get(CASES_URL).status_code == 401


def test_tokens_are_stored_hashed_and_the_issue_is_audited(world):
    key = token_request(world.clerk.username, PASSWORD).json()["token"]
    token = ApiToken.objects.get(user=world.clerk)
    stored = list(ApiToken.objects.values_list("prefix", "digest"))
    assert all(key not in value for row in stored for value in row)
    assert token.digest != key and len(token.digest) == 64 and token.digest != sm3_hex(key)
    assert key.startswith(token.prefix)
    assert Event.objects.get(name="token_issued", subject_id=token.pk).payload["prefix"] == token.prefix
    assert with_token(key).get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_kept_to_the_minute(world):
    """A read does not write: the stamp moves again only once a minute has passed."""
    key = token_request(world.clerk.username, PASSWORD).json()["token"]
    assert with_token(key).get("/api/v1/me/").status_code == 200
    first = ApiToken.objects.get(user=world.clerk).last_used_at
    assert with_token(key).get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.get(user=world.clerk).last_used_at == first
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    assert with_token(key).get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.get(user=world.clerk).last_used_at > first


def test_tokens_expire(world, settings):
    settings.API_TOKEN_DAYS = 30
    key = token_request(world.clerk.username, PASSWORD).json()["token"]
    token = ApiToken.objects.get(user=world.clerk)
    assert (token.expires_at - token.created_at) == dt.timedelta(days=30)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert with_token(key).get("/api/v1/me/").status_code == 401


def test_a_password_change_revokes_the_tokens(world):
    key = token_request(world.clerk.username, PASSWORD).json()["token"]
    user = User.objects.get(pk=world.clerk.pk)
    user.set_password("Lvzhi-Other-2026!")
    user.save()
    assert with_token(key).get("/api/v1/me/").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_reason == "password_changed"


def test_the_owner_lists_and_revokes_tokens_on_a_page(client, world):
    key = token_request(world.clerk.username, PASSWORD).json()["token"]
    token = ApiToken.objects.get(user=world.clerk)
    token_request(world.leader.username, PASSWORD)  # somebody else's: not listed
    client.force_login(world.clerk)
    page = client.get("/account/tokens/")
    text = page.content.decode()
    assert page.status_code == 200 and "我的接口令牌" in text and token.prefix in text and key not in text
    assert text.count("撤销</button>") == 1
    # A new one from the page is shown once.
    issued = client.post("/account/tokens/")
    new_key = issued.context["new_key"]
    assert new_key in issued.content.decode() and new_key not in client.get("/account/tokens/").content.decode()
    # Revoke: the key stops working; another user's token cannot be revoked from here.
    other = ApiToken.objects.get(user=world.leader)
    assert client.post(f"/account/tokens/{other.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert with_token(key).get("/api/v1/me/").status_code == 401
    assert with_token(new_key).get("/api/v1/me/").status_code == 200
    assert Event.objects.filter(name="token_revoked", subject_id=token.pk, actor=world.clerk).exists()
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_temporary_password_gets_no_token_and_old_tokens_answer_change_first(world):
    key = token_request(world.clerk.username, PASSWORD).json()["token"]
    User.objects.filter(pk=world.clerk.pk).update(must_change_password=True)
    r = token_request(world.clerk.username, PASSWORD)
    assert r.status_code == 403 and "请先修改密码" in r.json()["detail"]
    r = with_token(key).get(CASES_URL)
    assert r.status_code == 403 and "请先修改密码" in r.json()["detail"]


def test_wrong_password_and_missing_fields(world):
    r = token_request(world.clerk.username, "wrong-password")
    assert r.status_code == 400 and r.json()["detail"] == "用户名或密码错误"
    r = APIClient().post(TOKEN_URL, {"username": world.clerk.username}, format="json")
    assert r.status_code == 400 and "password" in r.json()["errors"]


def test_an_overlong_username_is_a_400_and_logs_nothing(world, settings):
    settings.AXES_ENABLED = True
    r = token_request("张" * 300, "wrong-password")
    assert r.status_code == 400 and r.json()["errors"]["username"] == ["用户名最多150个字符"]
    assert not AccessAttempt.objects.exists()


def test_lockout_after_repeated_failures(world, settings):
    settings.AXES_ENABLED = True
    settings.LOGIN_DELAY_SECONDS = 0  # the delay before the lockout has its own test
    limit = settings.AXES_FAILURE_LIMIT
    answers = [token_request(world.clerk.username, "wrong-password") for _ in range(limit)]
    assert [a.status_code for a in answers[:-1]] == [400] * (limit - 1)
    assert answers[-1].status_code == 403  # the failure that reaches the limit locks
    # Now even the right password is refused, with a clear Chinese message in JSON.
    r = token_request(world.clerk.username, PASSWORD)
    assert r.status_code == 403
    assert r["Content-Type"].startswith("application/json")
    assert "锁定" in r.json()["detail"] and "30分钟" in r.json()["detail"]
    # Lockout is per username and address: another account still logs in, and so does this
    # account from another address.
    assert token_request(world.leader.username, PASSWORD).status_code == 200
    assert token_request(world.clerk.username, PASSWORD, ip="198.51.100.7").status_code == 200


def test_a_delay_after_three_failures(world, settings):
    settings.AXES_ENABLED = True
    for _ in range(3):
        assert token_request(world.clerk.username, "wrong-password").status_code == 400
    r = token_request(world.clerk.username, PASSWORD)
    assert r.status_code == 429 and "秒后再试" in r.json()["detail"] and int(r["Retry-After"]) > 0
    assert token_request(world.clerk.username, PASSWORD, ip="198.51.100.7").status_code == 200
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=1))
    assert token_request(world.clerk.username, PASSWORD).status_code == 200


def test_success_resets_the_failure_count(world, settings):
    settings.AXES_ENABLED = True
    settings.LOGIN_DELAY_SECONDS = 0
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert token_request(world.clerk.username, "wrong-password").status_code == 400
    assert token_request(world.clerk.username, PASSWORD).status_code == 200
    for _ in range(limit - 1):
        assert token_request(world.clerk.username, "wrong-password").status_code == 400
    assert token_request(world.clerk.username, PASSWORD).status_code == 200
