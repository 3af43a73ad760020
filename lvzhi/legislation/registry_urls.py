"""The registry's pages, under /legislation/ (namespace "legislation")."""

from django.urls import path

from lvzhi.legislation import registry_views as views

urlpatterns = [
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/new/", views.regulation_new, name="regulation_new"),
    path("regulations/import/", views.regulation_import, name="regulation_import"),
    path("regulations/<int:pk>/", views.regulation, name="regulation"),
    path("regulations/<int:pk>/diff/", views.regulation_diff, name="regulation_diff"),
    path("regulations/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("regulations/<int:pk>/versions/<int:vpk>/dates/", views.version_dates, name="version_dates"),
    path("regulations/<int:pk>/rules/new/", views.rule_new, name="rule_new"),
    path("regulations/<int:pk>/evaluations/new/", views.evaluation_new, name="evaluation_new"),
    path("rules/", views.implementing_rules, name="implementing_rules"),
    path("rules/<int:pk>/done/", views.rule_done, name="rule_done"),
    path("cleanups/", views.cleanups, name="cleanups"),
    path("cleanups/new/", views.cleanup_new, name="cleanup_new"),
    path("cleanups/<int:pk>/", views.cleanup, name="cleanup"),
    path("cleanups/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("cleanups/<int:pk>/decide/", views.cleanup_decide, name="cleanup_decide"),
    path("findings/<int:pk>/follow-up/", views.finding_follow_up, name="finding_follow_up"),
    path("public/regulations/", views.public_regulations, name="public_regulations"),
    path("public/regulations/<int:pk>/", views.public_regulation, name="public_regulation"),
]
