from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("", include("lvzhi.core.urls")),
    path("", include("lvzhi.suggestions.urls")),
    path("files/", include("lvzhi.suggestions.urls_files")),
    path("reports/", include("lvzhi.reports.urls")),
    path("public/", include(("lvzhi.portal.urls", "portal"))),
    path("api/", include("lvzhi.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
