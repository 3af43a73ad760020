from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("lvzhi.core.urls")),
    path("", include("lvzhi.suggestions.urls")),
    path("", include("lvzhi.cases.urls")),
    path("files/", include("lvzhi.suggestions.urls_files")),
    path("keytasks/", include("lvzhi.keytasks.urls")),
    path("supervision/", include("lvzhi.supervision.urls")),
    path("votes/", include("lvzhi.votes.urls")),
    path("projects/", include("lvzhi.projects.urls")),
    path("budget/", include("lvzhi.budget.urls")),
    path("meetings/", include("lvzhi.meetings.urls")),
    path("legislation/", include("lvzhi.legislation.urls")),
    path("filing/", include("lvzhi.filing.urls")),
    path("deputies/", include("lvzhi.deputies.urls")),
    path("requests/", include("lvzhi.requests.urls")),
    path("reports/", include("lvzhi.reports.urls")),
    path("public/", include(("lvzhi.portal.urls", "portal"))),
    path("api/", include("lvzhi.api.urls")),
    path("assist/", include("lvzhi.assist.urls")),
    path("admin/", admin.site.urls),
]

# Error pages in the platform's layout, in Chinese (JSON under /api/): lvzhi/core/errors.py.
handler400 = "lvzhi.core.errors.bad_request"
handler403 = "lvzhi.core.errors.permission_denied"
handler404 = "lvzhi.core.errors.page_not_found"
handler500 = "lvzhi.core.errors.server_error"
