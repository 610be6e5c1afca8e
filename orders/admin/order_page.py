"""An order's page in one view: the summary (number, status, buyer, payment, totals), where it
goes (and its parcels), its lines, and who acts next (``orders.next_step``) with the button that
does it when this user may.

Staff see the whole order; a manufacturer sees their own lines of it and their lines' figures,
never the rest of the basket (the order comes from the admin's scoped, annotated queryset, the
lines from ``order_items_visible_to``). The buttons are the admin's own detail actions, as unfold
offers them to this user: the page adds a way to reach them, never a permission.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.money import money_format
from core.roles import backoffice_role
from orders.admin.common import STATUS_BADGES
from orders.models import Order, OrderItem
from orders.next_step import Actor, NextStep, Payment, next_step, order_facts, order_payment
from orders.selectors import order_items_visible_to

ACTORS = {
    Actor.BUYER: (_("The buyer"), "person"),
    Actor.MANUFACTURER: (_("The sellers"), "storefront"),
    Actor.STAFF: (_("The marketplace (staff)"), "shield_person"),
    Actor.COURIER: (_("The courier"), "local_shipping"),
    Actor.NOBODY: (_("Nobody"), "check_circle"),
}
PAYMENT_WORDS = {
    Payment.AWAITING: _("Awaiting payment (Paystack)"),
    Payment.PAID_ONLINE: _("Paid online (Paystack)"),
    Payment.ON_DELIVERY: _("Pay on delivery"),
    Payment.EXPIRED: _("Not paid in time (Paystack)"),
    Payment.DIRECT: _("Recorded by the order API"),
}
#: The papers on every order's page (``OrderDocumentsMixin``).
DOCUMENTS = [
    ("packing_slip", _("Packing slip"), "inventory_2"),
    ("invoice", _("Invoice"), "receipt_long"),
]


@dataclass(frozen=True)
class LineRow:
    item: OrderItem
    unit_price: str
    discount: str
    line_total: str
    commission: str
    seller: str


def _line_rows(items: list[OrderItem], *, staff: bool) -> list[LineRow]:
    rows = []
    for item in items:
        terms = f"{item.commission_percent.normalize():f} %"
        if item.commission_flat:
            terms += f" + {money_format(item.commission_flat)}"
        seller = (item.manufacturer.email if item.manufacturer else "-") if staff else ""
        rows.append(
            LineRow(
                item=item,
                unit_price=money_format(item.unit_price),
                discount=f"{item.discount_percent.normalize():f} %"
                if item.discount_percent
                else "",
                line_total=money_format(item.line_total),
                commission=f"{money_format(item.commission)} ({terms})",
                seller=seller,
            )
        )
    return rows


def _totals(order: Order, items: list[OrderItem], *, staff: bool) -> list[tuple[str, str, bool]]:
    """(label, amount, is the bottom line). Staff: the order's amounts; a manufacturer: their
    lines' only (the lines in hand), what the marketplace takes and what they keep."""
    commission = sum((item.commission for item in items), Decimal("0"))
    if staff:
        rows = [
            (_("Lines"), money_format(order.subtotal), False),
            (_("Discount"), "− " + money_format(order.discount), False),
            (_("Shipping"), money_format(order.shipping_cost), False),
            (_("Total"), money_format(order.total), True),
            (_("Commission"), money_format(commission), False),
        ]
        if order.refund_due_at:
            rows.append((_("Refund due"), money_format(order.refund_due), False))
        return rows
    before = sum((item.unit_price * item.quantity for item in items), Decimal("0"))
    total = sum((item.line_total for item in items), Decimal("0"))
    return [
        (_("Your lines"), money_format(before), False),
        (_("Discount"), "− " + money_format(before - total), False),
        (_("Your total"), money_format(total), True),
        (_("Commission"), money_format(commission), False),
        (_("You keep (before shipping)"), money_format(total - commission), False),
    ]


def _payment_state(order: Order, payment: Payment, *, staff: bool) -> str:
    words = str(PAYMENT_WORDS[payment])
    if payment == Payment.ON_DELIVERY and order.cash_collected_at:
        words = str(_("Paid on delivery (cash collected)"))
    if order.refund_due_at and order.refund_due > 0:
        amount = money_format(order.refund_due) if staff else ""
        return f"{words}: {_('refund due')} {amount}".rstrip()
    if order.refund_due_at:
        return f"{words}: {_('refunded')}"
    return words


def _address(order: Order) -> list[str]:
    place = ", ".join(
        p for p in (order.shipping_city, order.shipping_state, order.shipping_postal_code) if p
    )
    return [
        line
        for line in (
            order.shipping_name,
            *order.shipping_address.splitlines(),
            place,
            order.shipping_country,
            order.shipping_phone,
        )
        if line.strip()
    ]


def _button(step: NextStep, order: Order, offered: list[dict]) -> dict | None:
    """The detail action that takes the step, as unfold offers it on this page (its path,
    dialog and icon), or None when this user is not offered it."""
    if step.action is None:
        return None
    path = reverse(f"admin:orders_order_{step.action}", args=[order.pk])
    for action in offered:
        if action.get("path") == path:
            return {**action, "title": step.action_label}
    return None


def order_page(request, order: Order, offered_actions: list[dict]) -> dict:
    """The template's ``order_page``: ``order`` read by the admin's scoped queryset (with its
    checkout, and staff's with the buyer); ``offered_actions`` unfold's ``actions_detail`` of
    the page. One query: the lines this user sees."""
    staff = request.user.is_staff
    lines = order_items_visible_to(user=request.user).filter(order_id=order.pk).order_by("pk")
    items = list(lines.select_related("manufacturer") if staff else lines)
    left = sum(1 for item in items if item.shipped_at is None)
    step = next_step(order_facts(order, lines_left=left), backoffice_role(request.user))
    payment = order_payment(order)
    buyer = order.buyer if staff else None
    button = _button(step, order, offered_actions)
    actor_label, actor_icon = ACTORS[step.actor]
    if step.actor == (Actor.STAFF if staff else Actor.MANUFACTURER):
        actor_label = _("You") if staff or button else _("The other sellers")
    return {
        "order": order,
        "staff": staff,
        "status": order.get_status_display(),
        "status_badge": STATUS_BADGES.get(order.get_status_display(), ""),
        "buyer_name": (buyer.get_full_name() or buyer.email) if buyer else order.shipping_name,
        "buyer_email": buyer.email if buyer else "",
        "buyer_gone": staff and buyer is None,
        "payment_method": (
            order.checkout.get_payment_method_display()
            if order.checkout_id
            else order.get_payment_method_display()
        ),
        "payment_state": _payment_state(order, payment, staff=staff),
        "totals": _totals(order, items, staff=staff),
        "address": _address(order),
        "lines": _line_rows(items, staff=staff),
        "shipped_lines": len(items) - left,
        "step": step,
        "actor_label": actor_label,
        "actor_icon": actor_icon,
        "button": button,
        "documents": [
            (reverse(f"admin:orders_order_{name}", args=[order.pk]), label, icon)
            for name, label, icon in DOCUMENTS
        ],
    }


class OrderPageMixin:
    """The order admin's change view: one page (``templates/admin/orders/order/
    change_form.html``) instead of fieldsets and a lines tab."""

    change_form_template = "admin/orders/order/change_form.html"

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": []})]  # the template shows the order (``order_page``)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["order_page"] = order_page(request, obj, context.get("actions_detail", []))
        return super().render_change_form(request, context, add, change, form_url, obj)
