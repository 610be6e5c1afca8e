"""Forms of the admin shell."""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.forms import AuthenticationForm

from core.roles import user_can_enter_backoffice


class BackofficeAuthenticationForm(AuthenticationForm):
    """The admin sign-in: staff and manufacturers get in; customers are told where to go."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct email address and password."),
        "no_backoffice_access": _(
            "This account has no access to the backoffice. Customers sign in on the MARTAF "
            "storefront."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        if not user_can_enter_backoffice(user=user):
            raise forms.ValidationError(
                self.error_messages["no_backoffice_access"], code="no_backoffice_access"
            )
