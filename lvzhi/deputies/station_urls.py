"""Liaison stations' routes (mounted under /deputies/)."""

from django.urls import path

from lvzhi.deputies import station_views as views

urlpatterns = [
    path("stations/", views.station_list, name="stations"),
    path("stations/<int:pk>/", views.station_detail, name="station"),
    path("stations/<int:pk>/shifts/", views.add_shift, name="station_shift"),
    path("stations/<int:pk>/shifts/<int:shift_pk>/remove/", views.remove_shift, name="station_shift_remove"),
    path("stations/<int:pk>/visits/", views.log_visit, name="station_visit"),
]
