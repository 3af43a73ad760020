"""Routes of the budget imports pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
