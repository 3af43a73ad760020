from django.urls import path

from lvzhi.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
    path("<int:pk>/grade/", views.grade, name="grade"),
    path("p/<int:pk>/", views.project_detail, name="project"),
    path("public/", views.public, name="public"),
    path("public/<int:pk>/idea/", views.public_idea, name="public_idea"),
]
