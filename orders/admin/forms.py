"""The forms of the order page's dialog actions."""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from orders.models import OrderStatus
from orders.selectors import orders_visible_to
from orders.services import ORDER_MOVES


class StatusChangeForm(BaseDialogForm):
    status = forms.ChoiceField(label=_("New status"), widget=UnfoldAdminSelectWidget)
    note = forms.CharField(
        required=False,
        max_length=255,
        label=_("Note"),
        help_text=_("Kept in the order's status history."),
        widget=UnfoldAdminTextInputWidget,
    )
    carrier = forms.CharField(
        required=False,
        max_length=100,
        label=_("Carrier (when shipped)"),
        widget=UnfoldAdminTextInputWidget,
    )
    tracking_number = forms.CharField(
        required=False,
        max_length=100,
        label=_("Tracking number (when shipped)"),
        help_text=_("Shown to the buyer with the carrier."),
        widget=UnfoldAdminTextInputWidget,
    )

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        current = (
            orders_visible_to(user=request.user)
            .filter(pk=object_id)
            .values_list("status", flat=True)
            .first()
        )
        allowed = ORDER_MOVES.targets(current) if current else ()
        # Workflow order (the enum's), not set order.
        self.fields["status"].choices = [(s.value, s.label) for s in OrderStatus if s in allowed]


def _carrier_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=100,
        label=_("Carrier"),
        help_text=_("Who carries the parcel (e.g. GIG Logistics, DHL), shown to the buyer."),
        widget=UnfoldAdminTextInputWidget,
    )


class ShipLinesForm(BaseDialogForm):
    """The parcel's carrier and tracking number, if known (the buyer sees them on their order)."""

    carrier = _carrier_field()
    tracking_number = forms.CharField(
        required=False,
        max_length=100,
        label=_("Tracking number"),
        help_text=_("The carrier's number for this parcel, shown to the buyer."),
        widget=UnfoldAdminTextInputWidget,
    )


class BulkShipForm(forms.Form):
    """Shipping several orders at once: one carrier for all, and a tracking number per order
    (fields ``tracking_<order id>``, made from the selection)."""

    carrier = _carrier_field()

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.orders = list(orders)
        for order in self.orders:
            self.fields[f"tracking_{order.pk}"] = forms.CharField(
                required=False,
                max_length=100,
                label=_("Tracking number of %(number)s") % {"number": order.number},
                widget=UnfoldAdminTextInputWidget,
            )

    def tracking_numbers(self) -> dict[int, str]:
        return {order.pk: self.cleaned_data[f"tracking_{order.pk}"] for order in self.orders}
