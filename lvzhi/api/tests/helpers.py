"""Clients that authenticate the way an outside system does: a token from the token endpoint."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from lvzhi.core.models import User
from lvzhi.testing import PASSWORD, SUGGESTION_BODY

TOKEN_URL = "/api/v1/auth/token/"
CASES_URL = "/api/v1/cases/"


def client_for(user: User) -> APIClient:
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": user.username, "password": PASSWORD},
                           format="json")
    assert response.status_code == 200, response.content.decode()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    # Used once, as a client would: the minute's first call also stamps 最近使用 (one UPDATE
    # more), which would blur the query counts the tests compare.
    assert client.get("/api/v1/me/").status_code == 200
    return client


def case_url(pk: int) -> str:
    return f"{CASES_URL}{pk}/"


def transition_url(pk: int, name: str, full: bool = False) -> str:
    return f"{CASES_URL}{pk}/transitions/{name}/" + ("?full=1" if full else "")


def fire(client: APIClient, pk: int, name: str, data: dict[str, Any] | None = None,
         fmt: str = "json", expect: int = 200, full: bool = False) -> dict[str, Any]:
    """`full`: ask for the whole case after the transition (the answer is slim without it)."""
    response = client.post(transition_url(pk, name, full), data or {}, format=fmt)
    assert response.status_code == expect, (name, response.status_code, response.content.decode())
    return response.json()


def draft_payload(cosigners: list[int] | None = None, **overrides: Any) -> dict[str, Any]:
    data = {"kind": "suggestion", "title": "关于加快老旧小区加装电梯的建议", "body": SUGGESTION_BODY,
            "category": "城乡建设", "cosigners": cosigners or []}
    data.update(overrides)
    return data
