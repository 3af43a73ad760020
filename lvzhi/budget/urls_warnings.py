"""Routes of the budget warnings pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern, path

from lvzhi.budget import views_warnings as views

urlpatterns: list[URLPattern] = [
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/rerun/", views.rerun, name="warning_rerun"),
    path("warnings/patterns/", views.patterns, name="warning_patterns"),
    path("warnings/departments/<int:unit_id>/", views.department, name="warning_department"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
]
