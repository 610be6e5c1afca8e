"""MARTAF account routes (/accounts/..., /reset-password/, /forgot-email/).

Every route answers with and without its trailing slash (``optional_slash``). Names start with
``accounts-`` (or the seed's own) so they never collide with allauth's (``google_login`` ...),
which lives under ``/oauth/``.
"""

from core.api import optional_slash
from users.api import views

urlpatterns = [
    optional_slash("accounts/register", views.RegisterView.as_view(), "accounts-register"),
    optional_slash("accounts/login", views.LoginView.as_view(), "accounts-login"),
    optional_slash(
        "accounts/login/mfa", views.LoginSecondFactorView.as_view(), "accounts-login-mfa"
    ),
    optional_slash("accounts/refresh", views.RefreshView.as_view(), "accounts-refresh"),
    optional_slash("accounts/logout", views.LogoutView.as_view(), "accounts-logout"),
    optional_slash(
        "accounts/UserDetails", views.UserDetailsView.as_view(), "accounts-user-details"
    ),
    optional_slash("accounts/customer", views.RoleProfileView.as_view(), "accounts-customer"),
    optional_slash("accounts/delete", views.DeleteAccountView.as_view(), "accounts-delete"),
    optional_slash(
        "accounts/google/login",
        views.GoogleLoginHandoffView.as_view(),
        "accounts-google-handoff",
    ),
    optional_slash(
        "accounts/one-time-login", views.OneTimeLoginView.as_view(), "accounts-one-time-login"
    ),
    optional_slash("reset-password", views.PasswordResetRequestView.as_view(), "reset-password"),
    optional_slash(
        r"reset-password-confirm/(?P<token>[^/]+)",
        views.PasswordResetConfirmView.as_view(),
        "reset-password-confirm",
    ),
    optional_slash("forgot-email", views.ForgotEmailView.as_view(), "forgot-email"),
]
