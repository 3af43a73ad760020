"""Odd numbers and characters in an address get a clear answer, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ODD = ["²", "1" * 22, "-1", "abc"]


def client_of(user) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.mark.parametrize("value", ODD)
def test_pages_read_numbers_safely(world, value):
    clerk, leader = client_of(world.clerk), client_of(world.leader)
    assert clerk.get("/office/assign-preview/", {"case": value}).status_code == 404
    assert leader.get("/reports/dashboard/", {"session": value}).status_code == 200
    assert leader.get("/reports/annual/", {"year": value}).status_code == 200
    assert clerk.get("/assist/similar/", {"exclude": value, "title": "加装电梯"}).status_code == 400
    listing = clerk.get("/cases/", {"unit": value})
    assert listing.status_code == 200
    assert "已忽略该筛选条件" in listing.content.decode()


def test_nul_in_an_address_is_refused_before_any_query(world):
    anonymous = Client(raise_request_exception=False)
    r = anonymous.get("/public/", {"q": "电梯\x00"})
    assert r.status_code == 400 and "无效字符" in r.content.decode()
    api = client_of(world.clerk).get("/api/v1/cases/", {"q": "\x00"})
    assert api.status_code == 400 and "无效字符" in api.json()["detail"]


def test_an_unknown_api_address_answers_json(world):
    r = client_of(world.clerk).get("/api/v1/cases/false/")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    assert "接口地址不存在" in r.json()["detail"]
