"""The error pages (config/urls.py handler400/403/404/500, CSRF_FAILURE_VIEW, the 405 page of
lvzhi.core.middleware.MethodNotAllowedPage): in the platform's layout and in Chinese, saying what
happened and what to do, with a way back. Under /api/ the same errors stay JSON in the API's one
shape ({"detail", "errors"}, lvzhi/api/errors.py), never a page.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

_CJK = re.compile(r"[\u4e00-\u9fff]")

API_MESSAGES = {400: "请求有误，请检查后重试", 403: "您无权执行此操作", 404: "接口地址或对象不存在",
                405: "该接口地址不支持此请求方法", 500: "服务器内部错误，请稍后重试"}


def _reason(exception: BaseException | None) -> str:
    """The refusal's own sentence when the platform wrote one ("案件不存在或您无权查看");
    Django's internal English ones ("No Case matches the given query.") are not shown."""
    text = str(exception.args[0]) if exception is not None and exception.args else ""
    return text if _CJK.search(text) else ""


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


JSON_UTF8 = "application/json; charset=utf-8"


def json_response(data: dict, status: int = 200) -> JsonResponse:
    """A JSON response outside DRF, as the API's renderer sends them (lvzhi/api/renderers.py):
    Chinese unescaped, charset named."""
    return JsonResponse(data, status=status, content_type=JSON_UTF8, json_dumps_params={"ensure_ascii": False})


def _api(status: int, reason: str = "") -> JsonResponse:
    return json_response({"detail": reason or API_MESSAGES[status], "errors": {}}, status)


def _back(request: HttpRequest) -> str:
    """The page the user came from, for "返回上一页" (a link: the CSP allows no inline script);
    only an address on this site."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


def _page(request: HttpRequest, template: str, status: int, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return _api(status, reason)
    return render(request, template, {"reason": reason, "back": _back(request)}, status=status)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _page(request, "400.html", 400, _reason(exception))


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _page(request, "403.html", 403, _reason(exception))


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _page(request, "404.html", 404, _reason(exception))


def method_not_allowed(request: HttpRequest, allowed: str = "") -> HttpResponse:
    response = _page(request, "405.html", 405)
    if allowed:
        response["Allow"] = allowed
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request: no context processor, session or database is touched,
    since any of them may be what failed (500.html is standalone)."""
    if _is_api(request):
        return _api(500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that has expired (the session ended, or the page was open in
    another login). Django's `reason` is for developers and is not shown."""
    return _page(request, "csrf_failure.html", 403)
