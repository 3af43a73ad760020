"""Log a user out after a period without requests (idle timeout, 等保 session rules)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

KEY = "lvzhi_last_seen"
# The idle stamp is rewritten at most once a minute: writing it on every request saved the
# session (an UPDATE, and SQLite's write lock) on every page. An idle logout may therefore
# come up to a minute later than IDLE_TIMEOUT_SECONDS after the last request, never sooner.
STAMP_EVERY_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="lvzhi-idle-stamp-at-login")
def stamp_at_login(sender, request, user, **kwargs) -> None:
    """A login saves the session anyway: stamp it then, so the first page after it writes nothing."""
    session = getattr(request, "session", None)
    if session is not None:
        session[KEY] = time.time()


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(KEY)
            # A short timeout (a test's 0 s) keeps its precision: at most 1/30 of it.
            every = min(STAMP_EVERY_SECONDS, settings.IDLE_TIMEOUT_SECONDS / 30)
            if last is not None and now - last > settings.IDLE_TIMEOUT_SECONDS + every:
                logout(request)
                messages.info(request, "长时间未操作，已自动退出，请重新登录。")
            else:
                if last is None or now - last >= every:
                    request.session[KEY] = now
                prime_user(request.user)
        return self.get_response(request)


def prime_user(user) -> None:
    """Load the user's organization and congress in one query, once per request: the chrome
    (header, title, footer), the permission rules and the event's actor label all read them,
    one lazy query each otherwise."""
    from lvzhi.core.models import Organization

    state = user._state.fields_cache
    if not user.organization_id or "organization" in state:
        return
    org = Organization.objects.select_related("congress").filter(pk=user.organization_id).first()
    state["organization"] = org
    if org is not None and user.congress_id == org.congress_id and "congress" not in state:
        state["congress"] = org.congress


class RequireOTPMiddleware:
    """After the password, a user with a confirmed TOTP device must give a code (lvzhi.core.otp)."""

    ALLOWED = ("/login/", "/logout/", "/static/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (user.is_authenticated and not user.is_verified()
                and not request.path.startswith(self.ALLOWED)):
            from lvzhi.core.otp import has_device

            if has_device(user):
                return redirect_to_login(request.get_full_path(), "/login/otp/")
        return self.get_response(request)


class RequirePasswordChangeMiddleware:
    """A temporary password (set by the system administrator) or an expired one must be changed
    before anything else: every page redirects to 修改密码. The API answers 403 itself
    (lvzhi.api.authentication), so /api/ is left alone here."""

    ALLOWED = ("/login/", "/logout/", "/static/", "/api/", "/account/password/", "/favicon.ico")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.ALLOWED):
            from lvzhi.core.passwords import change_reason

            if change_reason(user):  # the page says why
                return redirect_to_login(request.get_full_path(), "/account/password/")
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in the address's parameters is never meant: PostgreSQL refuses it inside
    a query (a 500), so every page and the API answer 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
                "\x00" in v for vs in request.GET.lists() for v in vs[1]):
            from django.core.exceptions import BadRequest

            from lvzhi.core.errors import bad_request  # the styled page; JSON under /api/

            return bad_request(request, BadRequest("请求参数中含有无效字符（空字符），已拒绝"))
        return self.get_response(request)


class MethodNotAllowedPage:
    """A page address opened with a method it does not take (a POST-only address reloaded or
    opened from the history) answers Django's blank 405; show the styled page instead, with
    the same Allow header. The API's 405s are DRF's JSON and are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.http import HttpResponseNotAllowed

        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not request.path.startswith("/api/"):
            from lvzhi.core.errors import method_not_allowed

            return method_not_allowed(request, response.get("Allow", ""))
        return response
