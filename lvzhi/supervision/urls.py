from django.urls import path

from lvzhi.supervision import opinion_views, public_views, views
from lvzhi.supervision.activity_urls import urlpatterns as activity_patterns
from lvzhi.supervision.plan_urls import urlpatterns as plan_patterns

app_name = "supervision"

urlpatterns = [
    path("problems/", views.problems, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("topics/<int:topic_pk>/opinions/new/", opinion_views.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/", opinion_views.opinion_detail, name="opinion"),
    path("opinions/<int:pk>/word.docx", opinion_views.opinion_word, name="opinion_word"),
    path("public/topics/<int:pk>/", public_views.public_topic, name="public_topic"),
    path("topics/<int:pk>/bundles/", views.topic_bundles, name="topic_bundles"),
    *plan_patterns,
    *activity_patterns,
]
