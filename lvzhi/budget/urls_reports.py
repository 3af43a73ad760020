"""Routes of the budget reports pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern, path

from lvzhi.budget import views_reports as v

urlpatterns: list[URLPattern] = [
    path("reports/", v.report_list, name="reports"),
    path("reports/<int:pk>/download/", v.report_download, name="report_download"),
]
