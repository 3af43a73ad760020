"""One error shape for the whole API: {"detail": a Chinese sentence, "errors": {field: [..]}}.

The case engine's refusals map to 403 not allowed, 409 wrong state, 400 bad input, 404 unknown
transition, 503 busy (lock races retried and lost; nothing changed); DRF's own errors
(validation, authentication, not found) are reshaped the same way so a client needs one parser.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from lvzhi.cases.workflow import TransitionError


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested ErrorDetail lists → {field: [message, ...]} like the engine's `errors`."""
    if isinstance(detail, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"__all__": [str(m) for m in detail]}
    return {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionError):
        return Response({"detail": exc.message, "errors": exc.errors}, status=exc.status)
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next((msgs[0] for msgs in errors.values() if msgs), "请求内容有误")
        response.data = {"detail": f"填写有误：{first}", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "errors": {}}
    return response
