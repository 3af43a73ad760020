"""The annual plan's pages, appended to lvzhi.supervision.urls (namespace "supervision")."""

from django.urls import path

from lvzhi.supervision import plan_views as views

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plan/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plan/<int:pk>/adjust/", views.plan_adjust, name="plan_adjust"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/from-hint/", views.candidate_from_hint, name="candidate_from_hint"),
    path("candidates/<int:pk>/score/", views.candidate_score, name="candidate_score"),
    path("candidates/<int:pk>/decide/", views.candidate_decide, name="candidate_decide"),
    path("topics/", views.topics, name="topics"),
    path("topics/<int:pk>/", views.topic, name="topic"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("public/plan/<int:year>/", views.public_plan, name="public_plan"),
]
