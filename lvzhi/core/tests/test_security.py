"""Login lockout and delay, the password policy and forced changes, idle timeout, SM4 personal
data, numerals."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.crypto import mask, sm3_hex, sm4_decrypt, sm4_encrypt
from lvzhi.core.models import PasswordHistory, SecurityPolicy, User
from lvzhi.core.numbering import chinese_numeral
from lvzhi.core.throttle import client_ip
from lvzhi.deputies.models import Deputy
from lvzhi.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_account_locks_after_five_failures(client, world, settings):
    settings.LOGIN_DELAY_SECONDS = 0  # the delay before the lockout has its own test below
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


# ------------------------------------------------------------------ lockout by username AND address

def login(client, username: str, password: str, ip: str = "127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(client, world, settings):
    settings.LOGIN_DELAY_SECONDS = 0
    for _ in range(5):
        login(client, world.clerk.username, "wrong-password", ip="203.0.113.9")
    # The guessing address is locked out, even with the right password...
    assert "锁定" in login(client, world.clerk.username, PASSWORD, ip="203.0.113.9").content.decode()
    assert "_auth_user_id" not in client.session
    # ...the owner, from the office, is not.
    resp = login(client, world.clerk.username, PASSWORD, ip="198.51.100.7")
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(world.clerk.pk)


def test_a_delay_after_three_failures_then_the_right_password_works(client, world):
    for _ in range(3):
        assert login(client, world.clerk.username, "wrong-password").status_code == 200
    # The 4th try, even with the right password, is refused unchecked for a while...
    resp = login(client, world.clerk.username, PASSWORD)
    assert "秒后再试" in resp.content.decode() and "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=world.clerk.username).failures_since_start == 3  # not counted
    # ...another address is not slowed down, and once the wait is over the password works.
    other = login(client.__class__(), world.clerk.username, PASSWORD, ip="198.51.100.7")
    assert other.status_code == 302
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(seconds=11))
    assert login(client, world.clerk.username, PASSWORD).status_code == 302


def test_client_address_behind_the_local_proxy():
    rf = RequestFactory()
    # nginx on the same machine appends the real address; what a client wrote before it is ignored.
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")) \
        == "203.0.113.9"
    # A request that did not come through the local proxy cannot choose its address.
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")) \
        == "198.51.100.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")) == "127.0.0.1"


# ------------------------------------------------------------------ password policy

def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as e:
        return e.messages
    return []


CJK = "\u4e00-\u9fff"


@pytest.mark.parametrize(("password", "words"), [
    ("Ab1!xyz", "至少需要10个字符"),
    ("abcdefghijk", "至少3类"),
    ("abcdefgh12", "至少3类"),
    ("Password123", "过于常见"),
])
def test_policy_refuses_weak_passwords_in_chinese(password, words):
    messages = refusals(password)
    assert any(words in m for m in messages), messages
    import re
    assert all(re.search(f"[{CJK}]", m) and not re.search("[A-Za-z]{4,}", m) for m in messages), messages


def test_policy_refuses_the_username(world):
    assert "密码不得包含用户名。" in refusals(f"X-{world.clerk.username.upper()}-2026!", world.clerk)


def test_demo_and_test_passwords_meet_the_policy(world):
    from lvzhi.demo.data import DEMO_PASSWORD, STAFF_ACCOUNTS

    for username, *_ in STAFF_ACCOUNTS:
        assert refusals(DEMO_PASSWORD, User(username=username)) == [], username
    assert refusals(PASSWORD, User(username="clerk")) == []


def test_the_last_five_passwords_cannot_come_back(world):
    user = world.clerk
    used = [PASSWORD] + [f"Lvzhi-Round-{i}x" for i in range(1, 6)]
    for pw in used[1:]:
        assert refusals(pw, user) == []
        user.set_password(pw)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 6
    for pw in used[1:]:  # the current one and the four before it, and...
        assert "不得与最近5次使用过的密码相同。" in refusals(pw, user), pw
    assert refusals(used[0], user) == []  # ...the sixth one back is allowed again


def test_a_stricter_policy_from_the_security_administrator():
    SecurityPolicy.objects.create(password_min_length=14, password_min_classes=4)
    assert any("至少需要14个字符" in m for m in refusals("Lvzhi-Test-26"))
    assert any("至少4类" in m for m in refusals("lvzhi-test-2026-long"))


# ------------------------------------------------------------------ forced change

def test_temporary_password_is_changed_before_anything_else(client, world):
    user = world.clerk
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    assert login(client, user.username, PASSWORD).status_code == 302
    page = client.get(reverse("intake"))
    assert page.status_code == 302 and page.url.startswith("/account/password/")
    form = client.get(page.url)
    assert "临时密码" in form.content.decode() and "至少10位" in form.content.decode()
    # The API answers too (session), and refuses a token.
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "请先修改密码" in api.json()["detail"]
    # Wrong old password, mismatch, reuse: Chinese, nothing changes.
    bad = client.post("/account/password/", {"old_password": "nope", "new_password1": "Lvzhi-New-2026!",
                                             "new_password2": "Lvzhi-New-2026!"})
    assert bad.status_code == 400 and "原密码不正确" in bad.content.decode()
    bad = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Lvzhi-New-2026!",
                                             "new_password2": "Lvzhi-New-2027!"})
    assert "两次输入的新密码不一致" in bad.content.decode()
    bad = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": PASSWORD,
                                             "new_password2": PASSWORD})
    assert "不得与最近5次使用过的密码相同" in bad.content.decode()
    ok = client.post("/account/password/?next=" + reverse("intake"), {
        "old_password": PASSWORD, "new_password1": "Lvzhi-New-2026!", "new_password2": "Lvzhi-New-2026!"})
    assert ok.status_code == 302 and ok.url == reverse("intake")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Lvzhi-New-2026!")
    assert client.get(reverse("intake")).status_code == 200  # still logged in
    from lvzhi.cases.models import Event
    assert Event.objects.filter(subject_type="account", subject_id=user.pk, name="password_changed").exists()


def test_expired_password_must_be_changed(client, world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=world.clerk.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    login(client, world.clerk.username, PASSWORD)
    page = client.get(reverse("intake"))
    assert page.status_code == 302 and page.url.startswith("/account/password/")
    assert "已超过有效期" in client.get(page.url).content.decode()
    settings.PASSWORD_MAX_AGE_DAYS = 0  # 0: passwords never expire
    assert client.get(reverse("intake")).status_code == 200
