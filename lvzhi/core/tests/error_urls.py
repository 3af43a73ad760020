"""The project's addresses and error handlers, plus one page that fails (for the 500 page)."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("test-broken/", broken), *urlpatterns]
