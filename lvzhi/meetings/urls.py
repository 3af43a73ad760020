from django.urls import path

from lvzhi.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/minutes.docx", views.minutes, name="minutes"),
    path("<int:pk>/sign-in.pdf", views.sign_in_poster, name="poster"),
    path("<int:pk>/sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("materials/<int:pk>/", views.read, name="read"),
    path("versions/<int:pk>/pages/<int:number>.png", views.page_image, name="page"),
    path("votes/<int:pk>/", views.vote_detail, name="vote"),
    path("nominees/<int:pk>/document.docx", views.nominee_document, name="nominee_document"),
    path("nominees/<int:pk>/oath/", views.oath, name="oath"),
]
