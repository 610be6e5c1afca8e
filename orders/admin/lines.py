"""The order lines list: a manufacturer's working list of their lines across orders, to ship."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import action, display

from orders.admin.common import (
    STATUS_BADGES,
    LineColumnsMixin,
    ReadOnlyScopedAdmin,
    lines_shipped_message,
    report,
)
from orders.admin.filters import ShippedFilter
from orders.models import LINE_AS_BOUGHT, Order, OrderItem
from orders.selectors import order_items_visible_to
from orders.services import order_lines_ship_many


@admin.register(OrderItem)
class OrderItemAdmin(LineColumnsMixin, ReadOnlyScopedAdmin):
    empty_icon = "receipt_long"
    empty_title = _("No order lines yet")
    empty_text = _("Each product of an order placed on the storefront is a line here.")
    scope_selector = staticmethod(order_items_visible_to)
    list_filter = [ShippedFilter, ("order__status", ChoicesDropdownFilter)]
    list_filter_submit = True
    search_fields = ["order__number", "product_name"]
    list_per_page = 25  # as the orders list: 25 cards on a phone
    show_full_result_count = False
    # Newest orders first, as placed: order ids rise with placement, and the lines' own
    # indexes (the order's, and the manufacturer's ``(manufacturer, order)``) hold them in that
    # order, where sorting by the order's date meant joining and sorting every line in scope.
    ordering = ["-order_id", "id"]
    actions = ["mark_shipped"]

    def get_ordering(self, request):
        # A search across every line (staff) joins the orders first: walking them by date
        # finds a page at once, where the lines' order id meant sorting every match.
        if request.user.is_staff and request.GET.get("q", "").strip():
            return ["-order__created_at", "-order_id", "id"]
        return super().get_ordering(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("order")
        if request.user.is_staff:
            queryset = queryset.select_related("manufacturer")
        return queryset

    def get_list_display(self, request):
        columns = [
            "order_link",
            "item",
            "quantity",
            "line_total_display",
            "commission_display",
            "shipped_badge",
            "order_status",
            "placed",
        ]
        if request.user.is_staff:
            columns.insert(2, "seller")
        return columns

    def get_fields(self, request, obj=None):
        fields = [
            "order", *LINE_AS_BOUGHT, "line_total", "commission_percent", "commission_flat",
            "commission", "shipped_at",
        ]
        if request.user.is_staff:
            fields[1:1] = ["product", "variation", "manufacturer"]
        return fields

    @display(description=_("Order"), ordering="order__number")
    def order_link(self, obj: OrderItem):
        url = reverse("admin:orders_order_change", args=[obj.order_id])
        return format_html('<a class="martaf-link" href="{}">{}</a>', url, obj.order.number)

    @display(description=_("Item"), ordering="product_name")
    def item(self, obj: OrderItem) -> str:
        return obj.item_label

    @display(description=_("Shipped"), label={"yes": "success", "no": "warning"})
    def shipped_badge(self, obj: OrderItem):
        if obj.shipped_at:
            return "yes", obj.shipped_at.strftime("%Y-%m-%d")
        return "no", _("Not yet")

    @display(description=_("Order status"), ordering="order__status", label=STATUS_BADGES)
    def order_status(self, obj: OrderItem) -> str:
        return obj.order.get_status_display()

    @display(description=_("Placed"), ordering="order__created_at")
    def placed(self, obj: OrderItem):
        return obj.order.created_at

    @action(description=_("Mark selected lines shipped"), permissions=["ship"])
    def mark_shipped(self, request, queryset):
        items = list(queryset.values_list("pk", "order_id"))
        orders = [Order(pk=order_id) for order_id in sorted({order_id for _, order_id in items})]
        shipped, refused = order_lines_ship_many(
            orders=orders, actor=request.user, item_ids=[pk for pk, _ in items]
        )
        report(request, done_message=lines_shipped_message(shipped), done=shipped, refused=refused)
