"""Who acts next on an order, and what: one pure function (no query), asked by the order's page.

``next_step(facts, viewer)`` reads an order's status and how it is paid (``OrderFacts``, made
from an order read with its checkout, and its lines the viewer sees, by ``order_facts``) and answers who takes the next step —
the buyer, a seller, staff, the courier, or nobody — in a sentence for the viewer, and the
order admin's detail action that takes it when the viewer may (``NextStep.action``). It only
names the actions and moves that exist (``ORDER_MOVES``, the ship dialogs, money's "Cash
collected" and "Refund"); the page shows the button only when the admin offers that action to
this user, so every permission stays where it was.

The workflow it reads: a paid (or pay-on-delivery) order waits for staff to confirm it
(pending → processing); each seller then ships their lines (the last one ships the order);
the buyer confirms delivery, or the seller records the cash collected on delivery (which marks
it delivered); a cancelled order paid online waits for staff to refund it.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.money import money_format
from core.roles import BackofficeRole
from orders.models import CheckoutPayment, CheckoutPaymentStatus, Order, OrderStatus, PaymentMethod


class Actor(StrEnum):
    BUYER = "buyer"
    MANUFACTURER = "manufacturer"
    STAFF = "staff"
    COURIER = "courier"
    NOBODY = "nobody"


class Payment(StrEnum):
    """How the buyer pays the order, as the page says it."""

    AWAITING = "awaiting"  # Paystack, not paid yet
    PAID_ONLINE = "paid_online"  # Paystack, paid (in time, or late)
    ON_DELIVERY = "on_delivery"  # cash on delivery (a checkout's, or the order API's CASH)
    EXPIRED = "expired"  # Paystack, not paid in time
    DIRECT = "direct"  # the order API's card or mobile money, outside a checkout


@dataclass(frozen=True)
class OrderFacts:
    status: OrderStatus
    payment: Payment
    # Lines not shipped yet, of those the viewer sees (a seller: their own; staff: all).
    lines_left: int = 0
    cash_collected: bool = False
    refund_due: Decimal = Decimal("0")  # still owed to the buyer of a cancelled order
    refund_recorded: bool = False  # a refund became due (and may have been paid since)


@dataclass(frozen=True)
class NextStep:
    actor: Actor
    text: str
    action: str | None = None  # the order admin's detail action that takes the step
    action_label: str = ""

    @property
    def viewer_acts(self) -> bool:
        return self.action is not None


def order_payment(order: Order) -> Payment:
    """The order's ``Payment``, from its checkout (read with it) or, for an order placed
    through the order API, its payment method."""
    checkout = order.checkout if order.checkout_id else None
    if checkout is None:
        return Payment.ON_DELIVERY if order.payment_method == PaymentMethod.CASH else Payment.DIRECT
    if checkout.payment_method == CheckoutPayment.ON_DELIVERY:
        return Payment.ON_DELIVERY
    return {
        CheckoutPaymentStatus.AWAITING: Payment.AWAITING,
        CheckoutPaymentStatus.EXPIRED: Payment.EXPIRED,
    }.get(checkout.payment_status, Payment.PAID_ONLINE)


def order_facts(order: Order, *, lines_left: int) -> OrderFacts:
    """An order read with its checkout; ``lines_left``: its lines not shipped yet, of those the
    viewer sees."""
    return OrderFacts(
        status=OrderStatus(order.status),
        payment=order_payment(order),
        lines_left=lines_left,
        cash_collected=order.cash_collected_at is not None,
        refund_due=order.refund_due if order.refund_due_at else Decimal("0"),
        refund_recorded=order.refund_due_at is not None,
    )


def next_step(facts: OrderFacts, viewer: BackofficeRole) -> NextStep:
    step = {
        OrderStatus.PENDING: _pending,
        OrderStatus.PROCESSING: _processing,
        OrderStatus.SHIPPED: _shipped,
        OrderStatus.DELIVERED: _delivered,
        OrderStatus.CANCELLED: _cancelled,
    }[facts.status]
    return step(facts, viewer == BackofficeRole.STAFF)


def _pending(facts: OrderFacts, staff: bool) -> NextStep:
    if facts.payment == Payment.AWAITING:
        return NextStep(Actor.BUYER, _("Waiting for the buyer to pay (Paystack)."))
    if facts.payment == Payment.EXPIRED:
        text = _("The buyer did not pay in time: the order is to be cancelled.")
        if staff:
            return NextStep(Actor.STAFF, text, "change_status", _("Cancel the order"))
        return NextStep(Actor.STAFF, text)
    if staff:
        return NextStep(
            Actor.STAFF,
            _("Confirm the order: move it to processing, and its sellers prepare and ship it."),
            "change_status",
            _("Confirm the order"),
        )
    return NextStep(
        Actor.STAFF,
        _(
            "Waiting for the marketplace to confirm the order; you prepare and ship it once it is "
            "processing."
        ),
    )


def _processing(facts: OrderFacts, staff: bool) -> NextStep:
    left = facts.lines_left
    if staff:
        return NextStep(
            Actor.MANUFACTURER,
            ngettext(
                "The sellers prepare and ship the order: %(n)d line left to ship. You may ship "
                "the whole order as one parcel.",
                "The sellers prepare and ship the order: %(n)d lines left to ship. You may ship "
                "the whole order as one parcel.",
                left,
            )
            % {"n": left},
            "change_status",
            _("Ship the whole order"),
        )
    if left:
        return NextStep(
            Actor.MANUFACTURER,
            ngettext(
                "Prepare and ship your line, with the carrier and tracking number.",
                "Prepare and ship your %(n)d lines, with the carrier and tracking number.",
                left,
            )
            % {"n": left},
            "ship_lines",
            _("Ship your lines"),
        )
    return NextStep(
        Actor.MANUFACTURER,
        _("Your lines are shipped; the order ships when the other sellers ship theirs."),
    )


def _shipped(facts: OrderFacts, staff: bool) -> NextStep:
    if facts.payment == Payment.ON_DELIVERY and not facts.cash_collected:
        return NextStep(
            Actor.COURIER,
            _(
                "On its way: the buyer pays cash on delivery. Record the cash once collected; "
                "the order is then delivered."
            ),
            "cash_collected",
            _("Record the cash collected"),
        )
    text = _("Waiting for delivery: the buyer confirms it arrived.")
    if staff:
        return NextStep(
            Actor.COURIER,
            _("Waiting for delivery: the buyer confirms it arrived, or you mark it delivered."),
            "change_status",
            _("Mark delivered"),
        )
    return NextStep(Actor.COURIER, text)


def _delivered(facts: OrderFacts, staff: bool) -> NextStep:
    if facts.payment == Payment.ON_DELIVERY and not facts.cash_collected:
        return NextStep(
            Actor.MANUFACTURER,
            _("Delivered: record the cash the buyer paid on delivery."),
            "cash_collected",
            _("Record the cash collected"),
        )
    return NextStep(Actor.NOBODY, _("Delivered: nothing to do."))


def _cancelled(facts: OrderFacts, staff: bool) -> NextStep:
    if facts.refund_due > 0:
        if staff:  # the whole order's amount: a seller sees their lines' figures only
            text = _("Cancelled after it was paid online: refund %(amount)s to the buyer.") % {
                "amount": money_format(facts.refund_due)
            }
            return NextStep(Actor.STAFF, text, "refund", _("Refund the buyer"))
        return NextStep(
            Actor.STAFF, _("Cancelled after it was paid online: the marketplace refunds the buyer.")
        )
    if facts.refund_recorded:
        return NextStep(Actor.NOBODY, _("Cancelled; the buyer was refunded. Nothing to do."))
    if facts.payment == Payment.EXPIRED:
        return NextStep(
            Actor.NOBODY, _("Cancelled: not paid in time; its stock went back. Nothing to do.")
        )
    if facts.payment in (Payment.AWAITING, Payment.ON_DELIVERY):
        return NextStep(
            Actor.NOBODY, _("Cancelled before it was paid; its stock went back. Nothing to do.")
        )
    return NextStep(Actor.NOBODY, _("Cancelled; its stock went back. Nothing to do."))
