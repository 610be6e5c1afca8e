"""What a refund of an order would be, before it is made (the admin's preview, and the plan
``refund_create`` writes): what is left to refund of each line and of the shipping, what the
chosen units cost the buyer, their share of the line's captured commission, the units going back
into stock, and whether the manufacturer's ledger moves now. Reads only; the rules are told in
``money.services.refunds``."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from money.errors import RefundError, RefundErrorCode
from money.models import EntryKind, LedgerEntry, Refund, RefundLine, RefundMethod, RefundStatus
from orders.models import CheckoutPaymentStatus, Order, OrderItem, OrderStatus
from orders.paystack import paystack_configured

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PAID_ONLINE = (CheckoutPaymentStatus.PAID, CheckoutPaymentStatus.REFUND_DUE)
NOT_FAILED = ~Q(refund__status=RefundStatus.FAILED)


def _cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RefundLineRequest:
    """``quantity`` units of the order line ``order_item_id``."""

    order_item_id: int
    quantity: int


@dataclass(frozen=True)
class PlannedLine:
    item: OrderItem
    quantity: int
    amount: Decimal
    commission: Decimal
    restock: int  # units going back into stock


@dataclass(frozen=True)
class RefundPlan:
    """What a refund would give back (the admin's preview) and what it would write."""

    order: Order
    lines: list[PlannedLine] = field(default_factory=list)
    shipping: Decimal = ZERO
    paid_online: bool = False
    # Whether the manufacturer's ledger moves now (the earning exists, or cash was collected).
    ledger_now: bool = False

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO) + self.shipping

    @property
    def commission(self) -> Decimal:
        return sum((line.commission for line in self.lines), ZERO)


@dataclass(frozen=True)
class Refundable:
    """What is left to refund of an order: units per line (not refunded by a refund that did
    not fail), and shipping."""

    units: dict[int, int]
    refunded_units: dict[int, int]
    # Units put back in stock by every refund, failed ones included (their stock stays back):
    # a line's refunds never return more units than are refunded.
    restocked: dict[int, int]
    shipping: Decimal
    amount: Decimal  # the order's total less its refunds not failed


def refundable_of(*, order: Order) -> Refundable:
    """What is left to refund of ``order`` (two queries)."""
    refunded_units: dict[int, int] = defaultdict(int)
    for item_id, quantity in (
        RefundLine.objects.filter(NOT_FAILED, refund__order_id=order.pk)
        .values_list("order_item_id")
        .annotate(units=Sum("quantity"))
    ):
        refunded_units[item_id] = quantity
    restocked = dict(
        RefundLine.objects.filter(refund__order_id=order.pk)
        .values_list("order_item_id")
        .annotate(units=Sum("restocked"))
    )
    taken = Refund.objects.filter(order_id=order.pk).exclude(status=RefundStatus.FAILED).aggregate(
        amount=Sum("amount"), shipping=Sum("shipping_amount")
    )
    units = {
        item.pk: item.quantity - refunded_units[item.pk] for item in order.items.all()
    }
    return Refundable(
        units=units,
        refunded_units=dict(refunded_units),
        restocked=restocked,
        shipping=order.shipping_cost - (taken["shipping"] or ZERO),
        amount=order.total - (taken["amount"] or ZERO),
    )


def order_paid_online(order: Order) -> bool:
    """Whether the buyer paid ``order`` online (its checkout paid, or paid late)."""
    return order.checkout_id is not None and order.checkout.payment_status in PAID_ONLINE


def order_paid(order: Order) -> bool:
    """Whether the buyer paid ``order``: online, or cash the seller collected."""
    return order_paid_online(order) or order.cash_collected_at is not None


def refund_method_for(order: Order) -> RefundMethod:
    """How a refund of ``order`` reaches the buyer: through Paystack when it was paid online and
    Paystack is configured, else by hand."""
    if order_paid_online(order) and paystack_configured():
        return RefundMethod.PAYSTACK
    return RefundMethod.MANUAL


def earning_of(order: Order) -> LedgerEntry | None:
    """The order's earning entry (written when a paid-online order is delivered: the key
    ``earning:order:<id>``, or ``earning:order:<id>:<manufacturer id>`` per seller of an order
    of several), if any."""
    return (
        LedgerEntry.objects.filter(order_id=order.pk, kind=EntryKind.EARNING)
        .order_by("pk")
        .first()
    )


def _commission_share(item: OrderItem, before: int, quantity: int) -> Decimal:
    """The captured commission of ``quantity`` units of ``item`` after ``before`` were refunded:
    the cumulative share rounded, so the parts add up to the line's commission exactly."""
    upto = _cents(item.commission * (before + quantity) / item.quantity)
    already = _cents(item.commission * before / item.quantity)
    return upto - already


def refund_plan(
    *,
    order: Order,
    lines: Sequence[RefundLineRequest] | None = None,
    shipping: bool = False,
    returned_to_stock: bool = False,
) -> RefundPlan:
    """What refunding ``lines`` (None: every unit left, and the shipping left) of ``order``
    would give back. Raises ``RefundError`` for lines not of the order or more units than are
    left, and when nothing would be refunded."""
    items = {item.pk: item for item in order.items.all()}
    left = refundable_of(order=order)
    if lines is None:
        wanted = {pk: units for pk, units in left.units.items() if units > 0}
        shipping = True
    else:
        wanted = defaultdict(int)
        for line in lines:
            if line.order_item_id not in items:
                raise RefundError(
                    f"Line {line.order_item_id} is not a line of order {order.number}.",
                    code=RefundErrorCode.UNKNOWN_LINE,
                )
            if not isinstance(line.quantity, int) or line.quantity < 0:
                raise RefundError(
                    "A quantity to refund is 0 or more.", code=RefundErrorCode.INVALID_QUANTITY
                )
            wanted[line.order_item_id] += line.quantity
    planned = []
    for pk, quantity in sorted(wanted.items()):
        if quantity == 0:
            continue
        item = items[pk]
        if quantity > left.units[pk]:
            raise RefundError(
                f"{item.item_label}: {quantity} to refund, {left.units[pk]} left to refund.",
                code=RefundErrorCode.TOO_MUCH,
            )
        restock = order.status != OrderStatus.CANCELLED and item.variation_id is not None and (
            item.shipped_at is None or returned_to_stock
        )
        refunded = left.refunded_units.get(pk, 0)
        restock_units = (
            min(max(refunded + quantity - left.restocked.get(pk, 0), 0), quantity)
            if restock
            else 0
        )
        planned.append(
            PlannedLine(
                item=item,
                quantity=quantity,
                amount=item.unit_price_paid * quantity,
                commission=_commission_share(item, refunded, quantity),
                restock=restock_units,
            )
        )
    cash = order.cash_collected_at is not None and not order_paid_online(order)
    plan = RefundPlan(
        order=order,
        lines=planned,
        shipping=max(left.shipping, ZERO) if shipping else ZERO,
        paid_online=order_paid_online(order),
        ledger_now=cash or earning_of(order) is not None,
    )
    if plan.amount <= 0:
        raise RefundError(
            f"Nothing to refund on order {order.number}.", code=RefundErrorCode.NOTHING_TO_REFUND
        )
    if plan.amount > left.amount:  # a backstop: the lines and shipping left cannot add up more
        raise RefundError(
            f"Order {order.number} has {left.amount} left to refund.",
            code=RefundErrorCode.TOO_MUCH,
        )
    return plan
