"""Page access by role: the one decorator every app's views use."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def in_congress(user) -> bool:
    """A signed-in account scoped to a congress: the first question of every app's permission predicates."""
    return bool(user.is_authenticated and getattr(user, "congress_id", None))


def role_required(*roles: str) -> Callable:
    """Logged in, one of `roles`, and scoped to a congress; otherwise 403 with a Chinese message.
    What a user may do to a case is the case engine's question, not this one's."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.role not in roles or not in_congress(request.user):
                raise PermissionDenied("您的角色无权访问该页面")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
