from django.urls import path

from lvzhi.portal import views

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<int:pk>/", views.detail, name="detail"),
]
