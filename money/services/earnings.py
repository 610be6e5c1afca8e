"""What a sale earns a manufacturer, written to the ledger when it happens.

- **A paid-online order delivered** (``order_earning_record``, from the ``order_status_changed``
  receiver): the manufacturer earns what the buyer paid for their lines (after discounts) plus
  the order's shipping share, less any refund already made on it (``EARNING``), and the
  marketplace takes the commission captured on the lines, less that of lines already refunded
  (``COMMISSION``). Both wait ``PAYOUT_HOLD_DAYS`` after the delivery date (returns, disputes):
  pending until ``available_on``.
- **A cash-on-delivery order's cash collected** (``order_cash_collect``): the manufacturer holds
  the buyer's money, so the ledger only records the commission they now owe (``CASH_COMMISSION``,
  due at once; the next payouts net it). Recorded by the order's manufacturer or staff on a
  shipped or delivered order; a shipped order becomes delivered (the cash is handed over at the
  door). Recording it again changes nothing.

An order is one manufacturer's (checkout places one per seller), so its entries are keyed by the
order alone (``earning:order:<id>``). An order placed through the REST order API may hold
several sellers' lines: each then gets their own entries, keyed ``...:order:<id>:<manufacturer
id>``, the shipping going to the seller with the smallest id.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.roles import BackofficeRole, backoffice_role, user_can_write_backoffice
from money.errors import MoneyError, MoneyErrorCode
from money.models import EntryKind, Refund, RefundLine, RefundStatus
from money.services.ledger import ledger_entry_add
from orders.models import CheckoutPaymentStatus, Order, OrderItem, OrderStatus, PaymentMethod
from orders.selectors import orders_visible_to
from orders.services.workflow import order_lock, order_transition
from users.models import User

ZERO = Decimal("0.00")
PAID_ONLINE = (CheckoutPaymentStatus.PAID, CheckoutPaymentStatus.REFUND_DUE)


@dataclass(frozen=True)
class SellerShare:
    """One seller's part of an order: what the buyer paid for it and its commission, both
    after the refunds made on it so far (failed refunds aside)."""

    manufacturer_id: int
    key_suffix: str  # "" for an order of one seller, ":<manufacturer id>" otherwise
    amount: Decimal
    commission: Decimal
    captured_commission: Decimal  # before refunds


def order_shares(*, order: Order) -> list[SellerShare]:
    """The sellers' shares of ``order``, in manufacturer id order (three queries)."""
    lines = list(
        OrderItem.objects.filter(order_id=order.pk, manufacturer_id__isnull=False)
        .values("manufacturer_id")
        .annotate(total=Sum("line_total"), commission=Sum("commission"))
        .order_by("manufacturer_id")
    )
    if not lines:
        return []
    live = Refund.objects.filter(order_id=order.pk).exclude(status=RefundStatus.FAILED)
    refunds = live.aggregate(amount=Sum("amount"), shipping=Sum("shipping_amount"))
    refunded_lines = {
        row["order_item__manufacturer_id"]: row
        for row in RefundLine.objects.filter(refund__in=live)
        .values("order_item__manufacturer_id")
        .annotate(amount=Sum("amount"), commission=Sum("commission"))
        .order_by()
    }
    shares = []
    for index, row in enumerate(lines):
        refunded = refunded_lines.get(row["manufacturer_id"], {})
        commission = row["commission"] - (refunded.get("commission") or ZERO)
        if len(lines) == 1:
            amount = order.total - (refunds["amount"] or ZERO)
            suffix = ""
        else:
            amount = row["total"] - (refunded.get("amount") or ZERO)
            if index == 0:
                amount += order.shipping_cost - (refunds["shipping"] or ZERO)
            suffix = f":{row['manufacturer_id']}"
        shares.append(
            SellerShare(row["manufacturer_id"], suffix, amount, commission, row["commission"])
        )
    return shares


def paid_online(order: Order) -> bool:
    """Whether the buyer paid ``order`` online (its checkout's payment landed)."""
    return order.checkout_id is not None and order.checkout.payment_status in PAID_ONLINE


def order_earning_record(*, order: Order, today: date | None = None) -> int:
    """Record a delivered, paid-online order's earning and commission (see the module
    docstring); nothing for an order paid on delivery. Runs inside the delivery's transaction.
    Returns how many entries were written (0 when they already were)."""
    if order.status != OrderStatus.DELIVERED or not paid_online(order):
        return 0
    today = today or timezone.localdate()
    available_on = today + timedelta(days=settings.PAYOUT_HOLD_DAYS)
    written = 0
    for share in order_shares(order=order):
        entries = [
            (EntryKind.EARNING, "earning", share.amount, "Sale"),
            (EntryKind.COMMISSION, "commission", -share.commission, "Commission"),
        ]
        for kind, prefix, amount, label in entries:
            if not amount:
                continue
            written += ledger_entry_add(
                manufacturer=share.manufacturer_id,
                kind=kind,
                amount=amount,
                key=f"{prefix}:order:{order.pk}{share.key_suffix}",
                order=order,
                available_on=available_on,
                note=f"{label}: order {order.number}",
            ) is not None
    return written


def _check_collector(order: Order, actor: User) -> None:
    role = backoffice_role(actor)
    if role is None:
        raise MoneyError(
            "Only the order's seller or staff can record its cash collected.",
            code=MoneyErrorCode.BACKOFFICE_ONLY,
        )
    if not orders_visible_to(user=actor).filter(pk=order.pk).exists():
        raise MoneyError(f"No order {order.pk} of yours.", code=MoneyErrorCode.ORDER_UNKNOWN)
    if not user_can_write_backoffice(user=actor):
        raise MoneyError(
            "Your account is read-only: staff can record the cash collected.",
            code=MoneyErrorCode.READ_ONLY,
        )
    if role == BackofficeRole.MANUFACTURER and (
        OrderItem.objects.filter(order_id=order.pk).exclude(manufacturer_id=actor.pk).exists()
    ):
        raise MoneyError(
            f"Order {order.number} has other sellers' lines: staff record its cash collected.",
            code=MoneyErrorCode.OTHER_SELLERS,
        )


@transaction.atomic
def order_cash_collect(*, order: Order, actor: User) -> Order:
    """Record that the buyer's cash for a cash-on-delivery ``order`` was collected, by its
    seller or staff: the order is marked (when, by whom), a shipped one becomes delivered, and
    each seller owes the marketplace their lines' captured commission (``CASH_COMMISSION``,
    due at once). Recording it again changes nothing and answers the order.

    Raises ``MoneyError``: not a backoffice user (403), not their order (404), read-only
    account or another seller's lines in it (403), an order paid online or not paid in cash, or
    one not shipped yet (409). A refusal changes nothing."""
    _check_collector(order, actor)
    locked = order_lock(order)
    if locked.cash_collected_at is not None:
        return locked
    if locked.payment_method != PaymentMethod.CASH or paid_online(locked):
        raise MoneyError(
            f"Order {locked.number} was not paid on delivery: there is no cash to collect.",
            code=MoneyErrorCode.NOT_CASH_ON_DELIVERY,
        )
    if locked.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        raise MoneyError(
            f"Order {locked.number} is {locked.get_status_display().lower()}: cash is collected "
            "on delivery, once the order is shipped.",
            code=MoneyErrorCode.NOT_DELIVERED,
        )
    if locked.status == OrderStatus.SHIPPED:
        order_transition(
            order=locked, to=OrderStatus.DELIVERED, actor=actor, note="Cash collected on delivery"
        )
    now = timezone.now()
    Order.objects.filter(pk=locked.pk, cash_collected_at__isnull=True).update(
        cash_collected_at=now, cash_collected_by=actor, updated_at=now
    )
    locked.cash_collected_at, locked.cash_collected_by = now, actor
    for share in order_shares(order=locked):
        if share.captured_commission:
            ledger_entry_add(
                manufacturer=share.manufacturer_id,
                kind=EntryKind.CASH_COMMISSION,
                amount=-share.captured_commission,
                key=f"cash-commission:order:{locked.pk}{share.key_suffix}",
                order=locked,
                note=f"Commission on cash collected: order {locked.number}",
            )
    return locked
