"""The tab of an order's page: its status history (the lines are on the page itself)."""

from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import display

from core.admin import HistoryInlineMixin
from orders.models import OrderStatusChange


class StatusChangeInline(HistoryInlineMixin, TabularInline):
    """One row per change, read as people write it: "Processing → Shipped", by whom, when."""

    model = OrderStatusChange
    hide_title = True  # no "11: processing → shipped" heading above each row
    fields = ["change", "by", "created_at", "note"]
    readonly_fields = fields
    verbose_name_plural = _("Status history")
    tab = False  # below the lines, on the one page (``order_page``)

    @display(description=_("Change"))
    def change(self, obj: OrderStatusChange) -> str:
        return f"{obj.get_from_status_display()} → {obj.get_to_status_display()}"
