"""Trainings' routes (mounted under /deputies/)."""

from django.urls import path

from lvzhi.deputies import training_views as views

urlpatterns = [
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<int:pk>/", views.training_detail, name="training"),
    path("trainings/<int:pk>/sign/<int:deputy_pk>/", views.clerk_sign_in, name="training_clerk_sign_in"),
    path("trainings/<int:pk>/door.pdf", views.door_poster, name="training_poster"),
    path("trainings/<int:pk>/sign-in/<str:token>/", views.door_sign_in, name="training_sign_in"),
]
