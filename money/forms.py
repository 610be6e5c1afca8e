"""The money admin's forms: a manufacturer's bank details, a manual payout's bank reference, a
refund of an order and a manual refund's bank reference."""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminPasswordWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
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


# --- Refunds ---------------------------------------------------------------------------------


class RefundForm(forms.Form):
    """Staff refund an order: units per line (0 to what is left), optionally the shipping left,
    whether shipped units came back into stock, why, and (paid back by hand) the bank's
    reference. One ``line_<id>`` field per line of the order (``lines``: (line, units left))."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Shown on the refund; the buyer's words or yours."),
        widget=UnfoldAdminTextInputWidget,
    )

    def __init__(self, *args, lines, shipping_left, any_shipped: bool, manual: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields = []
        for item, left in lines:
            name = f"line_{item.pk}"
            self.fields[name] = forms.IntegerField(
                label=item.item_label,
                min_value=0,
                max_value=left,
                initial=0,
                required=False,
                disabled=left == 0,
                widget=UnfoldAdminIntegerFieldWidget(attrs={"min": 0, "max": left}),
            )
            self.line_fields.append((item, left, name))
        if shipping_left > 0:
            self.fields["shipping"] = forms.BooleanField(
                label=_("Refund the shipping"), required=False, widget=UnfoldBooleanSwitchWidget
            )
        if any_shipped:
            self.fields["returned_to_stock"] = forms.BooleanField(
                label=_("Shipped units came back and go into stock"),
                required=False,
                widget=UnfoldBooleanSwitchWidget,
            )
        if manual:
            self.fields["bank_reference"] = forms.CharField(
                label=_("Bank reference"),
                max_length=100,
                required=False,
                help_text=_("How you paid the buyer back (your bank's reference)."),
                widget=UnfoldAdminTextInputWidget,
            )

    def bound_line_rows(self):
        """(line, units left, bound field) for the template's table."""
        return [(item, left, self[name]) for item, left, name in self.line_fields]

    def line_requests(self) -> list[tuple[int, int]]:
        return [
            (item.pk, self.cleaned_data.get(name) or 0)
            for item, _left, name in self.line_fields
        ]


class RefundRecordForm(BaseDialogForm):
    bank_reference = forms.CharField(
        label=_("Bank reference"),
        max_length=100,
        help_text=_("The reference of the transfer you made to the buyer."),
        widget=UnfoldAdminTextInputWidget,
    )
