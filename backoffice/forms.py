"""Forms of the admin shell."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.forms import AuthenticationForm

from core.roles import user_can_enter_backoffice
from users.mfa import second_factor_required, totp_enabled
from users.signin_policy import signin_check, signin_failed, signin_succeeded


class BackofficeAuthenticationForm(AuthenticationForm):
    """The admin sign-in: staff and manufacturers get in.

    Anyone else (a customer, a deactivated account) is answered exactly like a wrong password,
    and the attempt counts as a failure of the sign-in policy (``users.signin_policy``): a
    distinct answer for a right password would tell a guesser that a customer's password is
    correct. A refused attempt raises ``SignInRefused`` before any password is checked; the
    site's login view answers it with ``backoffice.admin_door.lockout_response``.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct email address and password."),
    }

    def confirm_login_allowed(self, user) -> None:
        if user.is_active and user_can_enter_backoffice(user=user):
            return
        self.user_cache = None
        raise self.get_invalid_login_error()

    def clean(self):
        email = self.cleaned_data.get("username")
        signin_check(request=self.request, email=email)
        try:
            cleaned = super().clean()
        except ValidationError:
            signin_failed(request=self.request, email=email)
            raise
        user = self.user_cache
        # For a user who owes a second factor the password alone is not yet a success: the
        # counts are cleared when the code passes (backoffice.two_factor.verify), so entering
        # a known password again cannot reset the count of guessed codes.
        if user is not None and not (totp_enabled(user) or second_factor_required(user)):
            signin_succeeded(request=self.request, email=email)
        return cleaned
