"""Routes of the budget imports pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern, path

from lvzhi.budget import views_imports as views

urlpatterns: list[URLPattern] = [
    path("imports/", views.import_list, name="imports"),
    path("imports/upload/", views.upload, name="import_upload"),
    path("imports/preview/<int:pk>/", views.preview_page, name="import_preview"),
    path("imports/<int:pk>/", views.detail, name="import_detail"),
    path("imports/template/<str:dataset>.xlsx", views.template, name="import_template"),
]
