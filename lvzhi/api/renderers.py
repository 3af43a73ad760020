"""JSON as real UTF-8: Chinese text is sent as it is ("填写有误", not "\\u586b\\u5199…"), and the
Content-Type says so (application/json; charset=utf-8) for clients that do not assume it."""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer


class UTF8JSONRenderer(JSONRenderer):
    charset = "utf-8"
    ensure_ascii = False
