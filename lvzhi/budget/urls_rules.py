"""Routes of the warning-rule settings pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
