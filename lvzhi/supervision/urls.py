from django.urls import path

from lvzhi.supervision import views

app_name = "supervision"

urlpatterns = [
    path("problems/", views.problems, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
]
