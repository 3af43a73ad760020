from django.urls import path

from lvzhi.reports import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/cases/<slug:figure>/", views.dashboard_cases, name="dashboard_cases"),
    path("annual/", views.annual, name="annual_figures"),
    path("annual/<slug:kind>/<slug:code>/", views.figure_trace, name="figure_trace"),
]
