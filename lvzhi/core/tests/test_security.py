"""Login lockout, idle timeout, SM4 personal data, numerals."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from lvzhi.core.crypto import mask, sm3_hex, sm4_decrypt, sm4_encrypt
from lvzhi.core.numbering import chinese_numeral
from lvzhi.deputies.models import Deputy
from lvzhi.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_account_locks_after_five_failures(client, world):
    user = world.clerk
    for _ in range(5):
        resp = client.post(reverse("login"), {"username": user.username, "password": "wrong-password"})
    resp = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert "锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    resp = client.post(reverse("login"), {"username": world.leader.username, "password": PASSWORD})
    assert resp.status_code == 302


def test_wrong_password_message_in_chinese(client, world):
    resp = client.post(reverse("login"), {"username": world.clerk.username, "password": "nope"})
    assert "用户名或密码不正确" in resp.content.decode()


@override_settings(IDLE_TIMEOUT_SECONDS=0)
def test_idle_session_is_logged_out(client, world):
    client.force_login(world.clerk)
    client.get(reverse("intake"))            # first request records the time
    resp = client.get(reverse("intake"))     # zero-second timeout: logged out
    assert resp.status_code == 302 and "/login/" in resp.url


def test_phone_is_encrypted_at_rest_and_masked(world):
    deputy = Deputy.objects.get(pk=world.deputies[3].pk)
    raw = Deputy.objects.filter(pk=deputy.pk).values_list("phone_encrypted", flat=True).get()
    assert "13800000003" not in raw
    assert deputy.phone == "13800000003"
    assert deputy.phone_masked == "138****0003"


def test_sm4_detects_tampering():
    token = sm4_encrypt("110101199001011234")
    assert sm4_decrypt(token) == "110101199001011234"
    altered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(ValueError, match="校验失败"):
        sm4_decrypt(altered)


def test_sm3_known_vector():
    # GB/T 32905-2016 appendix A example 1.
    assert sm3_hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_mask_and_numerals():
    assert mask("110101199001011234", 6, 4) == "110101********1234"
    assert [chinese_numeral(n) for n in (1, 10, 16, 25, 105, 110)] == [
        "一", "十", "十六", "二十五", "一百零五", "一百一十"]
