"""Routes of the budget participation pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern, path

from lvzhi.budget import views_participation as v

urlpatterns: list[URLPattern] = [
    path("draft/", v.draft, name="draft"),
    path("questions/", v.questions, name="questions"),
    path("questions/<int:pk>/answer/", v.answer, name="question_answer"),
]
