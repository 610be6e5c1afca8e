"""Orders in the backoffice.

Staff see every order and move it along its workflow (detail dialog or bulk actions; every
change goes through ``orders.services`` and is recorded). A manufacturer sees only the orders
that contain their products, and in them only their own lines (``orders_visible_to`` /
``order_items_visible_to`` in every queryset, object permission and inline), and marks their
lines shipped. Orders are never added or edited here: buyers place them, services change them;
the pages are read-only and the actions do the writing.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import ChoicesDropdownFilter, DropdownFilter, RangeDateFilter
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from core.admin import HistoryInlineMixin, ScopedAdminMixin
from orders.errors import OrderError
from orders.models import Order, OrderItem, OrderStatus, OrderStatusChange
from orders.selectors import (
    order_items_visible_to,
    orders_visible_to,
    orders_with_line_figures,
)
from orders.services import (
    ALLOWED_TRANSITIONS,
    order_lines_ship,
    order_lines_ship_many,
    order_status_change,
    order_status_change_many,
)

STATUS_BADGES = {
    OrderStatus.PENDING.label: "warning",
    OrderStatus.PROCESSING.label: "info",
    OrderStatus.SHIPPED.label: "primary",
    OrderStatus.DELIVERED.label: "success",
    OrderStatus.CANCELLED.label: "danger",
}


def _money(amount) -> str:
    return f"{amount:,.2f}"


def _hx_redirect(url: str) -> HttpResponse:
    return HttpResponse(headers={"HX-Redirect": url})


def _report(request: HttpRequest, done_message: str, done: int, refusals: list[OrderError]):
    if done:
        messages.success(request, done_message)
    for error in refusals[:10]:
        messages.warning(request, error.message)
    if len(refusals) > 10:
        messages.warning(request, _("… and %(n)d more refused.") % {"n": len(refusals) - 10})


# --- Dialog forms ----------------------------------------------------------------------------


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
        allowed = ALLOWED_TRANSITIONS.get(OrderStatus(current), ()) if current else ()
        # Workflow order (the enum's), not set order.
        self.fields["status"].choices = [(s.value, s.label) for s in OrderStatus if s in allowed]


class ShipLinesForm(BaseDialogForm):
    """Nothing to fill in: the dialog is the confirmation (and keeps the write a POST)."""


# --- Inlines ---------------------------------------------------------------------------------


class OrderItemInline(TabularInline):
    model = OrderItem
    fields = [
        "product_name",
        "variation_label",
        "quantity",
        "unit_price_display",
        "discount_percent",
        "line_total_display",
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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("Seller"))
    def seller(self, obj: OrderItem) -> str:
        return obj.manufacturer.email if obj.manufacturer else "-"

    @display(description=_("Unit price"))
    def unit_price_display(self, obj: OrderItem) -> str:
        return _money(obj.unit_price)

    @display(description=_("Line total"))
    def line_total_display(self, obj: OrderItem) -> str:
        return _money(obj.line_total)


class StatusChangeInline(HistoryInlineMixin, TabularInline):
    model = OrderStatusChange
    fields = ["created_at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    tab = True
    verbose_name_plural = _("Status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")



# --- Orders ----------------------------------------------------------------------------------


class ReadOnlyScopedAdmin(ScopedAdminMixin, ModelAdmin):
    """View permission only: orders are written by services, through the actions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and self.has_view_permission(request, obj)

    def has_ship_permission(self, request, obj=None) -> bool:
        # Manufacturers ship their lines; staff ship whole orders through the status.
        user = request.user
        return (
            not user.is_staff
            and user.has_perm("orders.ship_orderitem")
            and self.has_view_permission(request, obj)
        )


@admin.register(Order)
class OrderAdmin(ReadOnlyScopedAdmin):
    scope_selector = staticmethod(orders_visible_to)
    list_display_links = ["number"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("payment_method", ChoicesDropdownFilter),
        ("created_at", RangeDateFilter),
    ]
    list_filter_submit = True
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    actions = ["mark_processing", "mark_shipped", "mark_delivered", "ship_my_lines"]
    actions_detail = ["change_status", "ship_lines"]
    inlines = [OrderItemInline, StatusChangeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = orders_with_line_figures(super().get_queryset(request), user=request.user)
        return queryset.select_related("buyer") if request.user.is_staff else queryset

    def get_list_display(self, request):
        if request.user.is_staff:
            return [
                "number",
                "buyer_display",
                "status_badge",
                "payment_method",
                "total_display",
                "lines_display",
                "created_at",
            ]
        return [
            "number",
            "status_badge",
            "payment_method",
            "lines_display",
            "your_total",
            "created_at",
        ]

    def get_search_fields(self, request):
        if request.user.is_staff:
            return ["number", "buyer__email", "shipping_name"]
        return ["number", "shipping_name"]

    def get_fieldsets(self, request, obj=None):
        ship_to = (
            _("Ship to"),
            {"fields": ["shipping_name", "shipping_phone", "shipping_address"]},
        )
        if request.user.is_staff:
            return [
                (
                    _("Order"),
                    {
                        "fields": [
                            "number",
                            "buyer",
                            "status",
                            "payment_method",
                            "created_at",
                            "updated_at",
                        ]
                    },
                ),
                (_("Amounts"), {"fields": ["subtotal", "discount", "total"]}),
                ship_to,
            ]
        # A manufacturer: their lines' figures only, never the whole basket's amounts.
        return [
            (_("Order"), {"fields": ["number", "status", "payment_method", "created_at"]}),
            (_("Your lines"), {"fields": ["lines_display", "your_total"]}),
            ship_to,
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["lines_display", "your_total"]

    # -- columns --

    @display(description=_("Buyer"), ordering="buyer__email")
    def buyer_display(self, obj: Order) -> str:
        return obj.buyer.email if obj.buyer else _("Former customer")

    @display(description=_("Status"), ordering="status", label=STATUS_BADGES)
    def status_badge(self, obj: Order) -> str:
        return obj.get_status_display()

    @display(description=_("Total"), ordering="total")
    def total_display(self, obj: Order) -> str:
        return _money(obj.total)

    @display(description=_("Lines"))
    def lines_display(self, obj: Order) -> str:
        shipped = obj.line_count - obj.unshipped_count
        return _("%(n)d (%(shipped)d shipped)") % {"n": obj.line_count, "shipped": shipped}

    @display(description=_("Your total"))
    def your_total(self, obj: Order) -> str:
        return _money(obj.lines_total)

    # -- permissions of the actions (unfold passes an object id on detail pages) --

    def _status_of(self, request, object_id) -> str | None:
        cache = request.__dict__.setdefault("_order_status_cache", {})
        if object_id not in cache:
            cache[object_id] = (
                self.get_queryset(request)
                .filter(pk=object_id)
                .values_list("status", flat=True)
                .first()
            )
        return cache[object_id]

    def has_change_status_permission(self, request, obj=None) -> bool:
        if not self.has_manage_permission(request, obj):
            return False
        if obj is None:
            return True
        status = self._status_of(request, obj.pk if isinstance(obj, Order) else obj)
        return bool(status and ALLOWED_TRANSITIONS[OrderStatus(status)])

    def has_ship_lines_permission(self, request, obj=None) -> bool:
        if not self.has_ship_permission(request, obj):
            return False
        if obj is None:
            return True
        status = self._status_of(request, obj.pk if isinstance(obj, Order) else obj)
        return status == OrderStatus.PROCESSING

    # -- bulk actions --

    def _bulk_status(self, request, queryset, to: OrderStatus) -> None:
        changed, refused = order_status_change_many(
            orders=list(queryset), to=to, actor=request.user
        )
        _report(
            request,
            ngettext(
                "%(n)d order is now %(status)s.", "%(n)d orders are now %(status)s.", changed
            )
            % {"n": changed, "status": to.label.lower()},
            changed,
            refused,
        )

    @action(description=_("Mark selected processing"), permissions=["manage"])
    def mark_processing(self, request, queryset):
        self._bulk_status(request, queryset, OrderStatus.PROCESSING)

    @action(description=_("Mark selected shipped"), permissions=["manage"])
    def mark_shipped(self, request, queryset):
        self._bulk_status(request, queryset, OrderStatus.SHIPPED)

    @action(description=_("Mark selected delivered"), permissions=["manage"])
    def mark_delivered(self, request, queryset):
        self._bulk_status(request, queryset, OrderStatus.DELIVERED)

    @action(description=_("Mark my lines of the selected orders shipped"), permissions=["ship"])
    def ship_my_lines(self, request, queryset):
        shipped, refused = order_lines_ship_many(orders=list(queryset), actor=request.user)
        _report(
            request,
            ngettext("%(n)d line marked shipped.", "%(n)d lines marked shipped.", shipped)
            % {"n": shipped},
            shipped,
            refused,
        )

    # -- detail actions --

    def _change_url(self, object_id) -> str:
        return reverse("admin:orders_order_change", args=[object_id])

    def _get_scoped(self, request, object_id) -> Order:
        order = self.get_queryset(request).filter(pk=object_id).first()
        if order is None:
            raise PermissionDenied
        return order

    @action(
        description=_("Change status"),
        icon="published_with_changes",
        url_path="change-status",
        permissions=["change_status"],
        dialog={
            "title": _("Change the order's status"),
            "description": _(
                "Cancelling puts the stock back. The buyer is told of every change."
            ),
            "form_class": StatusChangeForm,
            "form_submit_text": _("Change status"),
        },
    )
    def change_status(self, request, form, object_id):
        order = self._get_scoped(request, object_id)
        try:
            order = order_status_change(
                order=order,
                to=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data.get("note", ""),
            )
        except OrderError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Order %(number)s is now %(status)s.")
                % {"number": order.number, "status": order.get_status_display().lower()},
            )
        return _hx_redirect(self._change_url(object_id))

    @action(
        description=_("Mark my lines shipped"),
        icon="local_shipping",
        url_path="ship-lines",
        permissions=["ship_lines"],
        dialog={
            "title": _("Mark your lines shipped"),
            "description": _(
                "All your lines of this order not shipped yet are marked shipped. When every "
                "line is shipped, the order is shipped and the buyer is told."
            ),
            "form_class": ShipLinesForm,
            "form_submit_text": _("Mark shipped"),
        },
    )
    def ship_lines(self, request, form, object_id):
        order = self._get_scoped(request, object_id)
        try:
            shipped = order_lines_ship(order=order, actor=request.user)
        except OrderError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(n)d line marked shipped.", "%(n)d lines marked shipped.", shipped)
                % {"n": shipped},
            )
        return _hx_redirect(self._change_url(object_id))


# --- Order lines -----------------------------------------------------------------------------


class ShippedFilter(DropdownFilter):
    title = _("shipped")
    parameter_name = "shipped"

    def lookups(self, request, model_admin):
        return [("no", _("Not shipped")), ("yes", _("Shipped"))]

    def queryset(self, request, queryset):
        match self.value():
            case "no":
                return queryset.filter(shipped_at__isnull=True)
            case "yes":
                return queryset.filter(shipped_at__isnull=False)
        return queryset


@admin.register(OrderItem)
class OrderItemAdmin(ReadOnlyScopedAdmin):
    """A manufacturer's working list: their lines across orders, to ship."""

    scope_selector = staticmethod(order_items_visible_to)
    list_filter = [ShippedFilter, ("order__status", ChoicesDropdownFilter)]
    list_filter_submit = True
    search_fields = ["order__number", "product_name"]
    list_per_page = 100
    show_full_result_count = False
    ordering = ["-order__created_at", "-order_id", "id"]
    actions = ["mark_shipped"]

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
            "shipped_badge",
            "order_status",
            "placed",
        ]
        if request.user.is_staff:
            columns.insert(2, "seller")
        return columns

    def get_fields(self, request, obj=None):
        fields = [
            "order",
            "product_name",
            "variation_label",
            "quantity",
            "unit_price",
            "discount_percent",
            "unit_discount",
            "line_total",
            "shipped_at",
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
        return f"{obj.product_name} / {obj.variation_label}" if obj.variation_label else (
            obj.product_name
        )

    @display(description=_("Seller"))
    def seller(self, obj: OrderItem) -> str:
        return obj.manufacturer.email if obj.manufacturer else "-"

    @display(description=_("Line total"), ordering="line_total")
    def line_total_display(self, obj: OrderItem) -> str:
        return _money(obj.line_total)

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
        _report(
            request,
            ngettext("%(n)d line marked shipped.", "%(n)d lines marked shipped.", shipped)
            % {"n": shipped},
            shipped,
            refused,
        )
