from django.urls import path

from lvzhi.reports import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
