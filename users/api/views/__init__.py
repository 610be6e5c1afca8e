"""Views of the accounts API (MARTAF ``/accounts/...`` routes and the REST ``/api/auth/...`` ones).

Each view parses its input with a serializer, calls one service and renders the result. The
REST routes reuse these views (``users.api.rest_urls``); only the reset confirmation differs,
taking its token from the body instead of the path. One module per area: sessions (sign-up,
log-in, refresh, log-out, one-time and Google log-in), the signed-in account, recovery.
"""

from users.api.views.account import DeleteAccountView, RoleProfileView, UserDetailsView
from users.api.views.recovery import (
    ForgotEmailView,
    PasswordResetConfirmView,
    PasswordResetConfirmWithTokenView,
    PasswordResetRequestView,
)
from users.api.views.sessions import (
    GoogleLoginHandoffView,
    LoginSecondFactorView,
    LoginView,
    LogoutView,
    OneTimeLoginView,
    RefreshView,
    RegisterView,
)

__all__ = [
    "DeleteAccountView",
    "ForgotEmailView",
    "GoogleLoginHandoffView",
    "LoginSecondFactorView",
    "LoginView",
    "LogoutView",
    "OneTimeLoginView",
    "PasswordResetConfirmView",
    "PasswordResetConfirmWithTokenView",
    "PasswordResetRequestView",
    "RefreshView",
    "RegisterView",
    "RoleProfileView",
    "UserDetailsView",
]
