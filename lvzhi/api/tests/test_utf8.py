"""Every JSON response is real UTF-8 ("填写有误", not "\\u586b\\u5199…") and says so in its
Content-Type, read from the raw bytes as a client receives them."""

from __future__ import annotations

import pytest
from django.test import Client

from lvzhi.api.tests.helpers import CASES_URL, client_for, transition_url
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

JSON_UTF8 = "application/json; charset=utf-8"


def _raw(response) -> bytes:
    assert response["Content-Type"] == JSON_UTF8, response["Content-Type"]
    body = response.content
    assert b"\\u" not in body, body[:200]
    return body


def test_a_list_is_utf8(world):
    case = to_state(world, draft(world), "registered")
    body = _raw(client_for(world.clerk).get(CASES_URL))
    assert case.title.encode("utf-8") in body


def test_a_refusal_is_utf8(world):
    case = to_state(world, draft(world), "submitted")
    body = _raw(client_for(world.clerk).post(transition_url(case.pk, "return_for_revision"), {}, format="json"))
    assert "填写有误".encode() in body and "请填写理由".encode() in body


def test_drf_own_errors_are_utf8(world):
    body = _raw(Client().get(CASES_URL))  # not logged in
    assert "身份".encode() in body or "认证".encode() in body or "登录".encode() in body


def test_an_unknown_api_address_is_utf8(world):
    body = _raw(client_for(world.clerk).get("/api/v1/no-such-endpoint/"))
    assert "接口地址不存在".encode() in body


def test_a_refused_parameter_is_utf8(world):
    body = _raw(client_for(world.clerk).get(CASES_URL + "?q=a%00b"))
    assert "无效字符".encode() in body
