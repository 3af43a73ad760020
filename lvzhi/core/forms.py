"""Login and password forms, in Chinese, with the policy of lvzhi/core/passwords.py."""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from lvzhi.core import throttle
from lvzhi.core.validation import ClerkMessages


class LoginForm(ClerkMessages, auth_forms.AuthenticationForm):
    """Django's login form, refusing unchecked while this address must wait (lvzhi.core.throttle)."""

    throttle_message = ""

    def clean(self):
        wait = throttle.retry_after(self.request, self.cleaned_data.get("username"))
        if wait:
            self.throttle_message = throttle.delay_message(wait)
            raise ValidationError(self.throttle_message, code="throttled")
        return super().clean()


NEW_PASSWORD_MESSAGES = {"password_mismatch": "两次输入的新密码不一致，请重新输入。"}


class PasswordChangeForm(ClerkMessages, auth_forms.PasswordChangeForm):
    """The user's own change: the old password, then the new one twice; clears the forced change."""

    error_messages = {**NEW_PASSWORD_MESSAGES, "password_incorrect": "原密码不正确，请重新输入。"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        for name in ("old_password", "new_password1", "new_password2"):
            self.fields[name].help_text = ""  # "请填写原密码" etc.: lvzhi.core.validation

    def save(self, commit: bool = True):
        self.user.must_change_password = False
        return super().save(commit)


class TemporaryPasswordForm(ClerkMessages, auth_forms.AdminPasswordChangeForm):
    """The system administrator's reset of someone else's password: only ever a temporary one,
    which its owner must change at the next login."""

    error_messages = {**auth_forms.AdminPasswordChangeForm.error_messages, **NEW_PASSWORD_MESSAGES}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "临时密码"
        self.fields["password2"].label = "再次输入临时密码"
        self.fields["password1"].help_text = "账户所有人下次登录时须先修改此密码；原有接口令牌随即失效。"
        self.fields["password1"].required = self.fields["password2"].required = True
        # No "disable password login" here: stopping an account is a deactivation (启用).
        self.fields.pop("usable_password", None)

    def save(self, commit: bool = True):
        self.user.must_change_password = True
        return super().save(commit)
