"""Who is calling the API: a hashed, expiring token, or the page session once it is complete.

* ApiTokenAuthentication reads `Authorization: Token <key>` (the header clients always sent)
  and checks the key against the SM3 digests of lvzhi.core.models.ApiToken: unknown, expired
  and revoked keys are a 401.
* VerifiedSessionAuthentication is DRF's session authentication (CSRF included) plus the
  page rules RequireOTPMiddleware leaves to the API: a user with an authenticator app whose
  session has not given the code gets a 403, like the pages, instead of the API.

Either way, a user who must change the password first (a temporary password set by the
system administrator, or an expired one) gets a 403 "请先修改密码".
"""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication, get_authorization_header
from rest_framework.request import Request

from lvzhi.core import otp, passwords, tokens
from lvzhi.core.models import ApiToken, User

CHANGE_PASSWORD = "请先修改密码：您的密码是临时密码或已过期，请在网页登录后按提示修改，再调用接口。"
OTP_REQUIRED = "该账户已启用动态验证码：请先在网页上输入动态验证码完成登录，或使用接口令牌调用接口。"
BAD_TOKEN = "接口令牌无效、已过期或已撤销，请重新获取。"
BAD_HEADER = "认证头格式有误，应为 Authorization: Token <令牌>。"


def check_account(user: User) -> None:
    if passwords.change_reason(user):
        raise exceptions.PermissionDenied(CHANGE_PASSWORD)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against the hashed ApiToken table (not rest_framework.authtoken)."""

    keyword = "Token"

    def authenticate(self, request: Request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(BAD_HEADER)
        try:
            key = auth[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(BAD_HEADER) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = tokens.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(BAD_TOKEN)
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("账户已停用。")
        check_account(user)
        tokens.touch(token)
        return user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    """The page session, only once its TOTP code was given (as RequireOTPMiddleware asks)."""

    def authenticate(self, request: Request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        page_user = getattr(request._request, "user", None)
        is_verified = getattr(page_user, "is_verified", None)
        if otp.has_device(user) and not (callable(is_verified) and is_verified()):
            raise exceptions.PermissionDenied(OTP_REQUIRED)
        check_account(user)
        return result


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI description: the same cookie session as DRF's (drf-spectacular matches
    TokenAuthentication's subclasses itself, not SessionAuthentication's)."""

    target_class = VerifiedSessionAuthentication
