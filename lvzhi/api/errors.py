"""Map the case engine's refusals to HTTP: 403 not allowed, 409 wrong state, 400 bad input."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from lvzhi.cases.workflow import TransitionError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionError):
        return Response({"detail": exc.message, "errors": exc.errors}, status=exc.status)
    return drf_handler(exc, context)
