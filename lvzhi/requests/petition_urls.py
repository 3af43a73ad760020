"""信访代办 and 诉前调解 routes (mounted under /requests/)."""

from django.urls import path

from lvzhi.requests import petition_views as views

urlpatterns = [
    path("petitions/", views.petitions, name="petitions"),
    path("petitions/<int:pk>/close/", views.close_petition, name="petition_close"),
    path("mediations/", views.mediations, name="mediations"),
    path("mediations/<int:pk>/settle/", views.settle_mediation, name="mediation_settle"),
]
