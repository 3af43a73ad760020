"""Included at /api/ by config/urls.py."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from lvzhi.api import views
from lvzhi.deputies import activity_api, performance_api
from lvzhi.legislation import api as legislation_api
from lvzhi.meetings import api as meetings_api
from lvzhi.projects import api as projects_api

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/kinds/", views.KindListView.as_view(), name="kind-list"),
    path("v1/cases/", views.CaseListView.as_view(), name="case-list"),
    path("v1/cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("v1/cases/<int:pk>/transitions/<str:name>/", views.TransitionView.as_view(),
         name="case-transition"),
    path("v1/units/", views.UnitListView.as_view(), name="unit-list"),
    path("v1/deputies/", views.DeputyListView.as_view(), name="deputy-list"),
    # The schema only; a Swagger/Redoc page would need assets from a CDN, which is not allowed.
    path("v1/deputies/activities/", activity_api.ActivityListView.as_view(), name="activity-list"),
    path("v1/deputies/activities/<int:pk>/", activity_api.ActivityDetailView.as_view(), name="activity-detail"),
    path("v1/deputies/<int:pk>/record/", performance_api.RecordView.as_view(), name="deputy-record"),
    path("v1/legislation/regulations/", legislation_api.RegulationListView.as_view(), name="regulation-list"),
    path("v1/legislation/regulations/<int:pk>/", legislation_api.RegulationDetailView.as_view(),
         name="regulation-detail"),
    path("v1/legislation/comment-periods/", legislation_api.CommentPeriodListView.as_view(),
         name="comment-period-list"),
    path("v1/meetings/", meetings_api.MeetingListView.as_view(), name="meeting-list"),
    path("v1/meetings/<int:pk>/", meetings_api.MeetingDetailView.as_view(), name="meeting-detail"),
    path("v1/projects/", projects_api.RoundListView.as_view(), name="project-round-list"),
    path("v1/projects/<int:pk>/", projects_api.RoundDetailView.as_view(), name="project-round-detail"),
    path("v1/budget/", include("lvzhi.budget.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Anything else under /api/ answers the API's JSON 404, not Django's HTML page.
    re_path(r"^.*$", views.not_found, name="not-found"),
]
