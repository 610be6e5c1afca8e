"""What the order admins share: read-only scoped pages, status badges, line columns, and the
report of a bulk action whose refusals each name their order."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin
from unfold.decorators import display

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from core.money import money_format
from orders.errors import OrderError
from orders.models import OrderItem, OrderStatus

STATUS_BADGES = {
    OrderStatus.PENDING.label: "warning",
    OrderStatus.PROCESSING.label: "info",
    OrderStatus.SHIPPED.label: "primary",
    OrderStatus.DELIVERED.label: "success",
    OrderStatus.CANCELLED.label: "danger",
}

# Each refusal is its own message (it names the order and why); past this many, one line
# counts the rest.
REFUSALS_SHOWN = 10


def report(request: HttpRequest, *, done_message: str, done: int, refused: list[OrderError]):
    """The success message when something was done, then the refusals, each in its words."""
    if done:
        messages.success(request, done_message)
    for error in refused[:REFUSALS_SHOWN]:
        messages.warning(request, error.message)
    if len(refused) > REFUSALS_SHOWN:
        messages.warning(
            request, _("… and %(n)d more refused.") % {"n": len(refused) - REFUSALS_SHOWN}
        )


def lines_shipped_message(n: int) -> str:
    return ngettext("%(n)d line marked shipped.", "%(n)d lines marked shipped.", n) % {"n": n}


class ReadOnlyScopedAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    """View permission only: orders are written by services, through the actions."""

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


class BuyerColumnMixin:
    """The buyer as a column (orders, checkouts): their name with their email under it, the
    email alone for an account without a name; a deleted account reads as such. (The rows'
    queryset selects the buyer: no query per row.)"""

    @display(description=_("Buyer"), ordering="buyer__email", header=True)
    def buyer_display(self, obj) -> tuple:
        if obj.buyer is None:
            return (_("Former customer"), None)
        name = obj.buyer.get_full_name()
        return (name, obj.buyer.email) if name else (obj.buyer.email, None)


class OrderCommissionMixin:
    """The marketplace's commission on the order's lines this user sees (captured at placement,
    never on shipping; ``orders_with_line_figures``)."""

    @display(description=_("Commission"))
    def commission_display(self, obj) -> str:
        return money_format(obj.lines_commission)


class LineColumnsMixin:
    """Columns of an order line, on the order's page and in the lines list."""

    @display(description=_("Seller"))
    def seller(self, obj: OrderItem) -> str:
        return obj.manufacturer.email if obj.manufacturer else "-"

    @display(description=_("Unit price"))
    def unit_price_display(self, obj: OrderItem) -> str:
        return money_format(obj.unit_price)

    @display(description=_("Line total"), ordering="line_total")
    def line_total_display(self, obj: OrderItem) -> str:
        return money_format(obj.line_total)

    @display(description=_("Commission"), ordering="commission")
    def commission_display(self, obj: OrderItem) -> str:
        """The marketplace's commission captured at placement, and its terms."""
        terms = f"{obj.commission_percent.normalize():f} %"
        if obj.commission_flat:
            terms += f" + {money_format(obj.commission_flat)}"
        return f"{money_format(obj.commission)} ({terms})"
