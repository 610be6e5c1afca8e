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


class ShipLinesForm(BaseDialogForm):
    """The parcel's tracking number, if there is one (the buyer sees it on their order)."""

    tracking_number = forms.CharField(
        required=False,
        max_length=100,
        label=_("Tracking number"),
        help_text=_("The carrier's number for this parcel, shown to the buyer."),
        widget=UnfoldAdminTextInputWidget,
    )
