from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from lvzhi.core import views

urlpatterns = [
    path("", views.home, name="home"),
    # Pages without our base template (Django's CSRF and error pages) still get an icon, not a 404.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("account/otp/", views.otp_setup, name="otp_setup"),
]
