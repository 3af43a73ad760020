from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from lvzhi.core import views
from lvzhi.core.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    # Pages without our base template (Django's CSRF and error pages) still get an icon, not a 404.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("help/", views.help_page, name="help"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("account/otp/", views.otp_setup, name="otp_setup"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
