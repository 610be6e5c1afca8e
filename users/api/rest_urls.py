"""REST account routes under /api/auth/ (seed two: registration, login and its second step, logout, password reset
and its confirmation), served by the same views and services as the MARTAF routes; plus the
refresh and current-user routes a client of these needs (dj-rest-auth's names)."""

from core.api import optional_slash
from users.api import views

urlpatterns = [
    optional_slash("registration", views.RegisterView.as_view(), "rest-auth-registration"),
    optional_slash("login", views.LoginView.as_view(), "rest-auth-login"),
    optional_slash("login/mfa", views.LoginSecondFactorView.as_view(), "rest-auth-login-mfa"),
    optional_slash("logout", views.LogoutView.as_view(), "rest-auth-logout"),
    optional_slash(
        "password/reset", views.PasswordResetRequestView.as_view(), "rest-auth-password-reset"
    ),
    optional_slash(
        "password/reset/confirm",
        views.PasswordResetConfirmWithTokenView.as_view(),
        "rest-auth-password-reset-confirm",
    ),
    optional_slash("token/refresh", views.RefreshView.as_view(), "rest-auth-token-refresh"),
    optional_slash("user", views.UserDetailsView.as_view(), "rest-auth-user"),
]
