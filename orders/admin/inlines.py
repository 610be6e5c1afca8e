"""The tabs of an order's page: its lines (a manufacturer's own only) and its status history."""

from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import display

from core.admin import HistoryInlineMixin, ReadOnlyAdminMixin
from orders.admin.common import LineColumnsMixin
from orders.models import OrderItem, OrderStatusChange
from orders.selectors import order_items_visible_to


class OrderItemInline(LineColumnsMixin, ReadOnlyAdminMixin, TabularInline):
    model = OrderItem
    hide_title = True  # the row is the line; no "2 × Tote / Red" heading above it
    fields = [
        "product_name",
        "variation_label",
        "quantity",
        "unit_price_display",
        "discount_percent",
        "line_total_display",
        "commission_display",
        "shipped_at",
    ]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    tab = True
    verbose_name_plural = _("Lines")

    def get_queryset(self, request):
        # A manufacturer sees only their own lines of the order, never the rest of the basket.
        return order_items_visible_to(user=request.user).select_related("manufacturer")

    def get_fields(self, request, obj=None):
        fields = list(self.fields)
        if request.user.is_staff:
            fields.insert(2, "seller")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class StatusChangeInline(HistoryInlineMixin, TabularInline):
    """One row per change, read as people write it: "Processing → Shipped", by whom, when."""

    model = OrderStatusChange
    hide_title = True  # no "11: processing → shipped" heading above each row
    fields = ["change", "by", "created_at", "note"]
    readonly_fields = fields
    verbose_name_plural = _("Status history")

    @display(description=_("Change"))
    def change(self, obj: OrderStatusChange) -> str:
        return f"{obj.get_from_status_display()} → {obj.get_to_status_display()}"
