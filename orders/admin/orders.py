"""The orders list and an order's page.

Staff see every order and move it along its workflow (detail dialog or bulk actions); a
manufacturer sees the orders with a line of theirs, their lines' figures only, and marks
their lines shipped. Every write goes through ``orders.services``.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeDateFilter
from unfold.decorators import action, display

from core.admin import Dialog, bulk_action_page, dialog_action, htmx_redirect
from core.money import money_format
from orders.admin.common import (
    STATUS_BADGES,
    BuyerColumnMixin,
    OrderCommissionMixin,
    ReadOnlyScopedAdmin,
    lines_shipped_message,
    report,
)
from orders.admin.documents import OrderDocumentsMixin
from orders.admin.extensions import ExtensibleOrderAdminMixin
from orders.admin.filters import RefundDueFilter
from orders.admin.forms import BulkShipForm, ShipLinesForm, StatusChangeForm
from orders.admin.inlines import StatusChangeInline
from orders.admin.order_page import OrderPageMixin
from orders.errors import OrderError
from orders.models import Order, OrderStatus
from orders.selectors import order_items_visible_to, orders_visible_to, orders_with_line_figures
from orders.services import (
    ORDER_MOVES,
    order_lines_ship,
    order_lines_ship_many,
    order_ship,
    order_status_change,
    order_status_change_many,
    orders_ship_many,
)

CHANGE_STATUS_DIALOG = Dialog(
    _("Change the order's status"),
    _("Cancelling puts the stock back. The buyer is told of every change."),
    _("Change status"),
    StatusChangeForm,
)
SHIP_LINES_DIALOG = Dialog(
    _("Mark your lines shipped"),
    _(
        "All your lines of this order not shipped yet are marked shipped. When every line is "
        "shipped, the order is shipped and the buyer is told."
    ),
    _("Mark shipped"),
    ShipLinesForm,
)


#: At most this many orders are shipped by one bulk action (a page of the list).
BULK_SHIP_MAX = 50
#: At most this many orders found by a product name go into a search.
SEARCH_IDS_MAX = 1000

@admin.register(Order)
class OrderAdmin(OrderPageMixin, ExtensibleOrderAdminMixin, OrderCommissionMixin,
                 OrderDocumentsMixin, BuyerColumnMixin,
                 ReadOnlyScopedAdmin):
    empty_icon = "shopping_bag"
    empty_title = _("No orders yet")
    empty_text = _("Orders placed on the storefront appear here, newest first.")
    scope_selector = staticmethod(orders_visible_to)
    list_display_links = ["number"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("payment_method", ChoicesDropdownFilter),
        RefundDueFilter,
        ("created_at", RangeDateFilter),
    ]
    list_filter_submit = True
    list_per_page = 25  # a phone shows each order as a card: 25 cards stay a short page
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    inlines = [StatusChangeInline]  # the lines are on the page itself (``order_page``)
    # Its own actions; those apps above orders register follow (``extensions``: cash collected).
    own_actions = ["mark_processing", "mark_shipped", "mark_delivered", "ship_my_lines",
                   "export_csv"]
    own_actions_detail = ["change_status", "ship_lines", "packing_slip", "invoice"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = orders_with_line_figures(super().get_queryset(request), user=request.user)
        queryset = queryset.select_related("checkout")
        return queryset.select_related("buyer") if request.user.is_staff else queryset

    def get_list_display(self, request):
        if request.user.is_staff:
            return [
                "number",
                "buyer_display",
                "status_badge",
                "payment_method",
                "payment_state",
                "total_display",
                "commission_display",
                "lines_display",
                "created_at",
            ]
        return [
            "number",
            "status_badge",
            "payment_method",
            "payment_state",
            "lines_display",
            "your_total",
            "commission_display",
            "created_at",
        ]

    def get_search_fields(self, request):
        # The search box shows; ``get_search_results`` does the finding.
        return ["number"]

    def get_search_results(self, request, queryset, search_term):
        """Orders found by number, by who they go to (name, city), by a product of their lines
        (a manufacturer's own lines only) and, for staff, by the buyer's email or name. The
        orders of matching lines are looked up first and go in as ids: one condition under the
        queryset's scope, no join that repeats an order per line."""
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = (
            Q(number__icontains=term)
            | Q(shipping_name__icontains=term)
            | Q(shipping_city__icontains=term)
        )
        by_product = list(
            order_items_visible_to(user=request.user)
            .filter(product_name__icontains=term)
            .values_list("order_id", flat=True)
            .distinct()[:SEARCH_IDS_MAX]
        )
        if by_product:
            matches |= Q(pk__in=by_product)
        if request.user.is_staff:
            matches |= (
                Q(buyer__email__icontains=term)
                | Q(buyer__first_name__icontains=term)
                | Q(buyer__last_name__icontains=term)
            )
        return queryset.filter(matches), False

    # -- columns --

    @display(description=_("Status"), ordering="status", label=STATUS_BADGES)
    def status_badge(self, obj: Order) -> str:
        return obj.get_status_display()

    @display(description=_("Total"), ordering="total")
    def total_display(self, obj: Order) -> str:
        return money_format(obj.total)

    @display(description=_("Payment status"))
    def payment_state(self, obj: Order) -> str:
        if obj.checkout_id is None:
            return "-"
        state = obj.checkout.get_payment_status_display()
        if obj.refund_due_at and obj.refund_due > 0:  # cancelled after it was paid online
            return _("%(state)s: refund due %(amount)s") % {
                "state": state, "amount": money_format(obj.refund_due)
            }
        if obj.refund_due_at:  # and the refund reached the buyer
            return _("%(state)s: refunded") % {"state": state}
        return state

    @display(description=_("Lines"))
    def lines_display(self, obj: Order) -> str:
        shipped = obj.line_count - obj.unshipped_count
        return _("%(n)d (%(shipped)d shipped)") % {"n": obj.line_count, "shipped": shipped}

    @display(description=_("Your total"))
    def your_total(self, obj: Order) -> str:
        return money_format(obj.lines_total)

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
        return bool(status and ORDER_MOVES.targets(status))

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
        done_message = ngettext(
            "%(n)d order is now %(status)s.", "%(n)d orders are now %(status)s.", changed
        ) % {"n": changed, "status": to.label.lower()}
        report(request, done_message=done_message, done=changed, refused=refused)

    @action(description=_("Mark selected processing"), permissions=["manage"])
    def mark_processing(self, request, queryset):
        self._bulk_status(request, queryset, OrderStatus.PROCESSING)

    def _ship_page(self, request, queryset, *, title, action_name, intro):
        """The page a bulk ship shows: the carrier, and a tracking number per order."""
        orders = list(queryset.order_by("pk")[:BULK_SHIP_MAX])
        form = BulkShipForm(request.POST if "carrier" in request.POST else None, orders=orders)
        if form.is_bound and form.is_valid():
            return form, None
        if len(orders) == BULK_SHIP_MAX and queryset.count() > BULK_SHIP_MAX:
            messages.error(
                request,
                _("Ship at most %(n)d orders at once: select fewer.") % {"n": BULK_SHIP_MAX},
            )
            return None, redirect(request.get_full_path())
        return None, bulk_action_page(
            self,
            request,
            template="admin/orders/order/bulk_ship.html",
            title=title,
            form=form,
            objects=orders,
            action_name=action_name,
            submit_label=_("Mark shipped"),
            intro=intro,
        )

    @action(description=_("Mark selected shipped…"), permissions=["manage"])
    def mark_shipped(self, request, queryset):
        form, page = self._ship_page(
            request,
            queryset,
            title=_("Ship orders"),
            action_name="mark_shipped",
            intro=_(
                "Every line of these orders not shipped yet is marked shipped and the buyer is "
                "told, with the carrier and the tracking number you give."
            ),
        )
        if form is None:
            return page
        numbers = form.tracking_numbers()
        carrier = form.cleaned_data["carrier"]
        shipped, refused = orders_ship_many(
            shipments=[(order, carrier, numbers[order.pk]) for order in form.orders],
            actor=request.user,
        )
        done_message = ngettext(
            "%(n)d order is now shipped.", "%(n)d orders are now shipped.", shipped
        ) % {"n": shipped}
        report(request, done_message=done_message, done=shipped, refused=refused)
        return None

    @action(description=_("Mark selected delivered"), permissions=["manage"])
    def mark_delivered(self, request, queryset):
        self._bulk_status(request, queryset, OrderStatus.DELIVERED)

    @action(description=_("Mark my lines of the selected orders shipped…"), permissions=["ship"])
    def ship_my_lines(self, request, queryset):
        form, page = self._ship_page(
            request,
            queryset,
            title=_("Ship your lines"),
            action_name="ship_my_lines",
            intro=_(
                "Your lines of these orders not shipped yet are marked shipped. An order ships "
                "when its last line does, and the buyer is told."
            ),
        )
        if form is None:
            return page
        shipped, refused = order_lines_ship_many(
            orders=form.orders,
            actor=request.user,
            carrier=form.cleaned_data["carrier"],
            tracking_numbers=form.tracking_numbers(),
        )
        report(request, done_message=lines_shipped_message(shipped), done=shipped, refused=refused)
        return None

    # -- detail actions --

    def _detail_write(self, request, object_id, write: Callable[[Order], str]) -> HttpResponse:
        """Run ``write`` on the order (if this user may see it); show the sentence it returns,
        or the refusal; back to the order's page."""
        order = self.get_scoped_or_403(request, object_id)
        try:
            done = write(order)
        except OrderError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return htmx_redirect(self.change_url(object_id))

    @dialog_action(
        _("Change status"),
        "published_with_changes",
        "change-status",
        "change_status",
        CHANGE_STATUS_DIALOG,
    )
    def change_status(self, request, form, object_id):
        def write(order: Order) -> str:
            data = form.cleaned_data
            if data["status"] == OrderStatus.SHIPPED:
                order = order_ship(
                    order=order,
                    actor=request.user,
                    carrier=data.get("carrier", ""),
                    tracking_number=data.get("tracking_number", ""),
                    note=data.get("note", ""),
                )
            else:
                order = order_status_change(
                    order=order, to=data["status"], actor=request.user, note=data.get("note", "")
                )
            return _("Order %(number)s is now %(status)s.") % {
                "number": order.number,
                "status": order.get_status_display().lower(),
            }

        return self._detail_write(request, object_id, write)

    @dialog_action(
        _("Mark my lines shipped"), "local_shipping", "ship-lines", "ship_lines", SHIP_LINES_DIALOG
    )
    def ship_lines(self, request, form, object_id):
        return self._detail_write(
            request,
            object_id,
            lambda order: lines_shipped_message(
                order_lines_ship(
                    order=order,
                    actor=request.user,
                    tracking_number=form.cleaned_data.get("tracking_number", ""),
                    carrier=form.cleaned_data.get("carrier", ""),
                )
            ),
        )
