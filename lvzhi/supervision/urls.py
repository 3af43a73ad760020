from django.urls import path

from lvzhi.supervision import views

app_name = "supervision"

urlpatterns = [
    path("problems/", views.problems, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
]

from lvzhi.supervision.plan_urls import urlpatterns as plan_patterns  # noqa: E402

urlpatterns += plan_patterns
