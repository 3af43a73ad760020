"""The token endpoint: a token for a good password, a Chinese 400 for a bad one, and the
django-axes lockout answered in JSON, not with the login page's HTML."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lvzhi.api.tests.helpers import CASES_URL, TOKEN_URL
from lvzhi.testing import PASSWORD

pytestmark = pytest.mark.django_db


def token_request(username: str, password: str):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_token_then_authorization_header(world):
    r = token_request(world.clerk.username, PASSWORD)
    assert r.status_code == 200
    token = r.json()["token"]
    assert token_request(world.clerk.username, PASSWORD).json()["token"] == token  # stable
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(CASES_URL).status_code == 200
    world.clerk.refresh_from_db()
    assert world.clerk.last_login is not None
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(CASES_URL).status_code == 401


def test_wrong_password_and_missing_fields(world):
    r = token_request(world.clerk.username, "wrong-password")
    assert r.status_code == 400 and r.json()["detail"] == "用户名或密码错误"
    r = APIClient().post(TOKEN_URL, {"username": world.clerk.username}, format="json")
    assert r.status_code == 400 and "password" in r.json()["errors"]


def test_lockout_after_repeated_failures(world, settings):
    settings.AXES_ENABLED = True
    limit = settings.AXES_FAILURE_LIMIT
    answers = [token_request(world.clerk.username, "wrong-password") for _ in range(limit)]
    assert [a.status_code for a in answers[:-1]] == [400] * (limit - 1)
    assert answers[-1].status_code == 403  # the failure that reaches the limit locks
    # Now even the right password is refused, with a clear Chinese message in JSON.
    r = token_request(world.clerk.username, PASSWORD)
    assert r.status_code == 403
    assert r["Content-Type"].startswith("application/json")
    assert "锁定" in r.json()["detail"] and "30分钟" in r.json()["detail"]
    # Lockout is per username: another account still logs in.
    assert token_request(world.leader.username, PASSWORD).status_code == 200


def test_success_resets_the_failure_count(world, settings):
    settings.AXES_ENABLED = True
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert token_request(world.clerk.username, "wrong-password").status_code == 400
    assert token_request(world.clerk.username, PASSWORD).status_code == 200
    for _ in range(limit - 1):
        assert token_request(world.clerk.username, "wrong-password").status_code == 400
    assert token_request(world.clerk.username, PASSWORD).status_code == 200
