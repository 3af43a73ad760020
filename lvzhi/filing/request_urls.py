"""Review requests' routes (mounted under /filing/)."""

from django.urls import path

from lvzhi.filing import request_views as views

urlpatterns = [
    path("requests/", views.office_list, name="requests"),
    path("requests/<int:pk>/start/", views.start, name="request_start"),
    path("requests/new/", views.portal_new, name="request_new"),
    path("requests/done/<str:receipt>/", views.portal_done, name="request_done"),
    path("requests/lookup/", views.portal_lookup, name="request_lookup"),
    path("requests/results/", views.portal_results, name="request_results"),
]
