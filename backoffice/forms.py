"""Forms of the admin shell."""

from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from unfold.forms import AuthenticationForm

from core.roles import user_can_enter_backoffice


class BackofficeAuthenticationForm(AuthenticationForm):
    """The admin sign-in: staff and manufacturers get in.

    Anyone else (a customer, a deactivated account) is answered exactly like a wrong password,
    and the attempt counts as a failure for the lockout (``backoffice.admin_door``): a distinct
    answer for a right password would tell a guesser that a customer's password is correct.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct email address and password."),
    }

    def confirm_login_allowed(self, user) -> None:
        if user.is_active and user_can_enter_backoffice(user=user):
            return
        self.user_cache = None
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )
        raise self.get_invalid_login_error()
