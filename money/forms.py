"""The money admin's forms: a manufacturer's bank details, a manual payout's bank reference."""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminPasswordWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
)

from money.banks import bank_choices


def bank_field(*, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Bank"),
        required=required,
        choices=[("", _("Choose your bank")), *bank_choices()],
        widget=UnfoldAdminSelectWidget,
    )


def account_number_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Account number"),
        required=required,
        min_length=10,
        max_length=10,
        help_text=_("Your 10-digit NUBAN account number."),
        widget=UnfoldAdminTextInputWidget(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def current_password_field(*, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=_("Current password"),
        required=required,
        strip=False,
        help_text=help_text or _("Your sign-in password: needed to change where we pay you."),
        widget=UnfoldAdminPasswordWidget(attrs={"autocomplete": "current-password"}),
    )


class BankDetailsForm(forms.Form):
    bank_code = bank_field()
    account_number = account_number_field()
    password = current_password_field()

    def __init__(self, *args, needs_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_password:
            del self.fields["password"]


class ManualPayoutForm(BaseDialogForm):
    bank_reference = forms.CharField(
        label=_("Bank reference"),
        max_length=100,
        help_text=_("The reference your bank gave the transfer you made."),
        widget=UnfoldAdminTextInputWidget,
    )
