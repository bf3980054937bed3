from django.contrib.auth import views as auth_views
from django.urls import path

from . import password_views, user_views, views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", views.otp_verify, name="otp-verify"),
    path("2fa/setup/", views.otp_setup, name="otp-setup"),
    path("security/", views.security, name="security"),
    path("password/", password_views.PasswordChange.as_view(), name="password-change"),
    path("password/reset/", password_views.PasswordReset.as_view(), name="password-reset"),
    path("password/reset/sent/", password_views.PasswordResetDone.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        password_views.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/done/", password_views.PasswordResetComplete.as_view(), name="password-reset-complete"),
    path("language/", views.set_language, name="set-language"),
    path("users/", user_views.user_list, name="user-list"),
    path("users/new/", user_views.user_create, name="user-create"),
    path("users/<int:pk>/edit/", user_views.user_edit, name="user-edit"),
]
