"""API tokens: issue (the key is shown once), find by key, revoke.

A key is 52 hexadecimal digits: a 12-digit prefix, stored to find the row, then 40 random
digits. Only the SM3 digest of the whole key is stored, so a database copy or an administrator
cannot use anyone's token. Clients send it as before: `Authorization: Token <key>`.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.core import audit
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import ApiToken, SecurityPolicy, User

SECRET_LENGTH = 40
KEY = re.compile(rf"^[0-9a-f]{{{ApiToken.PREFIX_LENGTH + SECRET_LENGTH}}}$")

OWNER = "owner"
PASSWORD_CHANGED = "password_changed"
DEACTIVATED = "deactivated"
ROLE_CHANGED = "role_changed"
OTP_ENROLLED = "otp_enrolled"
REASONS = {
    OWNER: "本人撤销",
    PASSWORD_CHANGED: "密码已修改",
    DEACTIVATED: "账户已停用",
    ROLE_CHANGED: "角色已变更",
    OTP_ENROLLED: "已启用动态验证码",
}


def digest(key: str) -> str:
    return sm3_hex("lvzhi-api-token:" + key)


def issue(user: User, *, via: str = "api") -> tuple[ApiToken, str]:
    """A new token for `user` and its key (the only time the key exists outside the client)."""
    days = SecurityPolicy.current().api_token_days
    for _ in range(5):
        key = secrets.token_hex((ApiToken.PREFIX_LENGTH + SECRET_LENGTH) // 2)
        now = timezone.now()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user, prefix=key[:ApiToken.PREFIX_LENGTH], digest=digest(key),
                    created_at=now, expires_at=now + dt.timedelta(days=days))
                audit.record(audit.TOKEN, token.pk, "token_issued", "签发接口令牌", actor=user,
                             target=user, payload={"prefix": token.prefix, "via": via,
                                                   "expires_at": token.expires_at.isoformat()})
            return token, key
        except IntegrityError:  # the same prefix twice: draw again
            continue
    raise RuntimeError("无法生成唯一的接口令牌前缀")


def find(key: str) -> ApiToken | None:
    """The active token with this key, or None (unknown, wrong, expired or revoked)."""
    if not isinstance(key, str) or not KEY.match(key):
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(prefix=key[:ApiToken.PREFIX_LENGTH]).first())
    if token is None or not hmac.compare_digest(token.digest, digest(key)):
        return None
    return token if token.is_active() else None


# "最近使用" is kept to the minute: stamping it on every call made every API read a write
# (an UPDATE, and SQLite's write lock under two workers).
TOUCH_EVERY = dt.timedelta(minutes=1)


def touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def revoke(tokens: Iterable[ApiToken], reason: str, *, actor: User | None = None) -> int:
    """Revoke the active ones among `tokens`, one audit event each; returns how many."""
    count = 0
    now = timezone.now()
    with transaction.atomic():
        for token in tokens:
            if token.revoked_at is not None:
                continue
            token.revoked_at, token.revoked_reason = now, reason
            token.save(update_fields=["revoked_at", "revoked_reason"])
            audit.record(audit.TOKEN, token.pk, "token_revoked",
                         f"撤销接口令牌（{REASONS.get(reason, reason)}）", actor=actor,
                         target=token.user, payload={"prefix": token.prefix, "reason": reason})
            count += 1
    return count


def revoke_all(user: User, reason: str, *, actor: User | None = None) -> int:
    """Revoke every unexpired token of `user` (expired ones no longer work anyway)."""
    active = list(ApiToken.objects.select_related("user")
                  .filter(user=user, revoked_at=None, expires_at__gt=timezone.now()))
    return revoke(active, reason, actor=actor) if active else 0
