"""双联系 routes (mounted under /deputies/)."""

from django.urls import path

from lvzhi.deputies import liaison_views as views

urlpatterns = [
    path("liaison/", views.liaison, name="liaison"),
    path("liaison/<int:pk>/contact/", views.contact, name="liaison_contact"),
]
