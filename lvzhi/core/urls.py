from django.contrib.auth import views as auth_views
from django.urls import path

from lvzhi.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("account/otp/", views.otp_setup, name="otp_setup"),
]
