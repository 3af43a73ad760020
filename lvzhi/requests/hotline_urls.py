"""12345 hotline orders' routes (mounted under /requests/)."""

from django.urls import path

from lvzhi.requests import hotline_views as views

urlpatterns = [
    path("hotline/", views.order_list, name="hotline_list"),
    path("hotline/import/", views.import_page, name="hotline_import"),
    path("hotline/template.xlsx", views.template, name="hotline_template"),
    path("hotline/assign/", views.assign_by_area, name="hotline_assign"),
]
