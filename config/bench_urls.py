"""The benchmark's WSGI entry and URLconf: every page of config.urls plus one bare view.

    LVZHI_BENCH_URLS=1 gunicorn config.bench_urls:application

benchmarks/bench_vs_openslides.py serves lvzhi this way, so the bare view (the ceiling: the
same server, workers and middleware, no query of ours) is measured beside the real endpoints.
Production serves config.wsgi, which never names this module, and importing it without the
variable fails, so the bare view cannot be mounted by accident.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("LVZHI_BENCH_URLS") != "1":
    raise ImproperlyConfigured("config.bench_urls 仅供基准测试使用（需设置 LVZHI_BENCH_URLS=1）")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
settings.ROOT_URLCONF = __name__

from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

from config import urls as site  # noqa: E402


def bare(request: HttpRequest) -> JsonResponse:
    """The ceiling: a small JSON answer through the whole middleware stack."""
    return JsonResponse({"id": 1, "state": "submitted", "state_label": "已提交"})


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site.urlpatterns]
handler400, handler403 = site.handler400, site.handler403
handler404, handler500 = site.handler404, site.handler500
