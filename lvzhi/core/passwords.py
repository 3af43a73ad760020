"""The password policy 等保 asks for, with every message in Chinese.

At least 10 characters, at least 3 of the 4 classes (upper case, lower case, digits, symbols),
not containing the username, not one of the last 5 passwords, and not a well-known password.
The numbers come from the security administrator's 安全策略 (lvzhi.core.models.SecurityPolicy),
which may raise them but not go below these floors. A password also expires
(`password_max_age_days`): the next login must change it (lvzhi.core.middleware).
"""

from __future__ import annotations

import datetime as dt
import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from lvzhi.core.models import PasswordHistory, SecurityPolicy, User


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols (anything else) the password has."""
    letters_digits = string.ascii_letters + string.digits
    return sum([any(ch in string.ascii_uppercase for ch in password),
                any(ch in string.ascii_lowercase for ch in password),
                any(ch in string.digits for ch in password),
                any(ch not in letters_digits for ch in password)])


# Help texts are read when Django's forms are imported, before any database query may run:
# they name the floors; policy_text() gives the current numbers on the pages.


def policy_text(policy: SecurityPolicy | None = None) -> str:
    p = policy or SecurityPolicy.current()
    return (f"密码至少{p.password_min_length}位，须包含大写字母、小写字母、数字、符号中的至少"
            f"{p.password_min_classes}类，不得包含用户名，不得与最近{p.password_history}次使用过的密码相同。")


class MinimumLengthValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        n = SecurityPolicy.current().password_min_length
        if len(password) < n:
            raise ValidationError(f"密码太短：至少需要{n}个字符。", code="password_too_short")

    def get_help_text(self) -> str:
        return "至少10个字符（以安全策略为准）。"


class CharacterClassesValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        n = SecurityPolicy.current().password_min_classes
        if character_classes(password) < n:
            raise ValidationError(f"密码须包含大写字母、小写字母、数字、符号中的至少{n}类。",
                                  code="password_too_simple")

    def get_help_text(self) -> str:
        return "包含大写字母、小写字母、数字、符号中的至少3类。"


class UsernameValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不得包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "不得包含用户名。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 well-known passwords, with a Chinese message."""

    def validate(self, password: str, user: User | None = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("该密码过于常见，容易被猜中，请换一个。", code="password_too_common") from None

    def get_help_text(self) -> str:
        return "不得使用常见密码。"


class HistoryValidator:
    """Not the current password and not one of the last N (PasswordHistory keeps the hashes)."""

    def validate(self, password: str, user: User | None = None) -> None:
        if user is None or user.pk is None:
            return
        n = SecurityPolicy.current().password_history
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:n])
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current and current not in hashes:
            hashes.insert(0, current)
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(f"不得与最近{n}次使用过的密码相同。", code="password_reused")

    def get_help_text(self) -> str:
        return "不得与最近使用过的密码相同。"


# ------------------------------------------------------------------------ must change

MUST_CHANGE = "must"
EXPIRED = "expired"
REASON_TEXT = {
    MUST_CHANGE: "您的密码是管理员设置的临时密码，请先修改密码。",
    EXPIRED: "您的密码已超过有效期，请先修改密码。",
}


def change_reason(user: User, policy: SecurityPolicy | None = None) -> str:
    """Why this user must change the password before doing anything else ("" if not)."""
    if not user.is_authenticated or not user.has_usable_password():
        return ""
    if user.must_change_password:
        return MUST_CHANGE
    days = (policy or SecurityPolicy.current()).password_max_age_days
    changed = user.password_changed_at
    if days and changed and timezone.now() - changed > dt.timedelta(days=days):
        return EXPIRED
    return ""
