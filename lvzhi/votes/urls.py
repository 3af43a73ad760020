from django.urls import path

from lvzhi.votes import views

app_name = "votes"

urlpatterns = [
    path("", views.vote_list, name="list"),
    path("new/", views.vote_new, name="new"),
    path("rules/", views.vote_rules, name="rules"),
    path("<int:pk>/", views.vote_detail, name="detail"),
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
]
