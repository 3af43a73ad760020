"""Routes of the warning-rule settings pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern, path

from lvzhi.budget import views_rules as views

urlpatterns: list[URLPattern] = [
    path("rules/", views.rule_list, name="rules"),
]
