from django.urls import path

from lvzhi.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.round_list, name="list"),
]
