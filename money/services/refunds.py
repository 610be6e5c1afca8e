"""Refunds: money given back to the buyer of a paid order, all of it or by lines.

- ``refund_plan``: what a refund would be (the preview): the lines and units, what they cost the
  buyer, the commission they carried, the shipping, and whether the ledger moves now.
- ``refund_create``: staff refund a paid order (paid online, or cash collected) fully or by
  line quantities, with a reason and optionally its shipping. The order row is locked while the
  refundable amounts are read, so two refunds of the same lines at once refund them once; a
  refund never takes more than is left (each line's units not refunded yet, the shipping not
  refunded yet). Each ``RefundLine`` carries what its units cost and their share of the line's
  captured commission (pro rata per unit; the last unit takes the rounding, so a line refunded
  in parts returns exactly its commission).
- ``refund_for_cancelled``: the ``orders.signals.refunds_due`` receiver: a cancelled order of a
  checkout paid online (by the buyer, staff, or expired and paid late) gets one refund of all
  that is left (source "cancelled").
- ``refund_settle`` / ``refund_fail``: Paystack's ``refund.processed`` / ``refund.failed`` (or a
  manual refund recorded by staff). A processed refund takes its amount off ``Order.refund_due``.

The ledger (docs/money.md's table): once the order's earning exists (a paid-online order
delivered: ``earning:order:<id>``), or for a cash-on-delivery order whose cash was collected, a
refund writes ``refund:<id>`` (- amount) and ``commission-refund:<id>`` (+ its commission),
available when the earning is (or at once when that date has passed). Before delivery it writes
nothing: the earning written at delivery is reduced by the refunds not failed. A refund that
fails once the order has entries writes the opposite pair (``refund-failed:<id>``,
``commission-refund-failed:<id>``): either its own entries or the earning's reduction are undone.
Either way ``order_split(order).balanced`` holds.

Stock: a refunded line of an order not cancelled whose line is not shipped yet returns its units
through the stock ledger (they will not be sent); of a shipped or delivered line, only when staff
tick "returned to stock". A cancelled order's stock went back when it was cancelled.

Paid online with ``PAYSTACK_SECRET_KEY`` set: the refund is PENDING and a django-q2 task sends
it to Paystack after commit (``money.services.refund_paystack``). Otherwise staff pay the buyer
back themselves: a staff refund is recorded processed at once (with the bank reference); an
automatic one waits PENDING for staff to record it.
"""

import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from catalog.models import StockReason
from catalog.services import StockLine, stock_return_many
from money.errors import RefundError, RefundErrorCode
from money.models import (
    EntryKind,
    LedgerEntry,
    Refund,
    RefundLine,
    RefundMethod,
    RefundSource,
    RefundStatus,
)
from money.services.ledger import ledger_entry_add
from orders.models import CheckoutPaymentStatus, Order, OrderItem, OrderStatus
from orders.paystack import paystack_configured
from users.models import User

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


def _paid_online(order: Order) -> bool:
    return order.checkout_id is not None and order.checkout.payment_status in PAID_ONLINE


def _paid(order: Order) -> bool:
    return _paid_online(order) or order.cash_collected_at is not None


def refund_method_for(order: Order) -> RefundMethod:
    """How a refund of ``order`` reaches the buyer: through Paystack when it was paid online and
    Paystack is configured, else by hand."""
    if _paid_online(order) and paystack_configured():
        return RefundMethod.PAYSTACK
    return RefundMethod.MANUAL


def earning_of(order: Order) -> LedgerEntry | None:
    """The order's earning entry (written when a paid-online order is delivered), if any."""
    return LedgerEntry.objects.filter(key=f"earning:order:{order.pk}").first()


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
    cash = order.cash_collected_at is not None and not _paid_online(order)
    plan = RefundPlan(
        order=order,
        lines=planned,
        shipping=max(left.shipping, ZERO) if shipping else ZERO,
        paid_online=_paid_online(order),
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


def _order_locked(order: Order) -> Order:
    no_key = connection.features.has_select_for_no_key_update
    return (
        Order.objects.select_for_update(no_key=no_key, of=("self",))
        .select_related("checkout")
        .get(pk=order.pk)
    )


def _manufacturer_id(order: Order) -> int | None:
    entry = (
        LedgerEntry.objects.filter(order_id=order.pk).order_by("pk").values_list(
            "manufacturer_id", flat=True
        ).first()
    )
    if entry is not None:
        return entry
    return (
        order.items.filter(manufacturer__isnull=False)
        .order_by("pk")
        .values_list("manufacturer_id", flat=True)
        .first()
    )


def _available_on(order: Order):
    earning = earning_of(order)
    if earning and earning.available_on and earning.available_on > timezone.localdate():
        return earning.available_on
    return None


def _ledger_pair(*, refund: Refund, order: Order, sign: int, suffix: str, note: str) -> None:
    """The refund's two entries (``sign`` -1: the refund; +1: undoing it, keys ending
    ``suffix``)."""
    manufacturer_id = _manufacturer_id(order)
    if manufacturer_id is None:  # every seller's account deleted: no ledger to write to
        return
    commission = refund.lines.aggregate(total=Sum("commission"))["total"] or ZERO
    common = {
        "manufacturer": manufacturer_id,
        "order": order,
        "refund": refund,
        "available_on": _available_on(order),
        "note": note,
    }
    ledger_entry_add(
        kind=EntryKind.REFUND, amount=sign * refund.amount, key=f"refund{suffix}:{refund.pk}",
        **common,
    )
    if commission:
        ledger_entry_add(
            kind=EntryKind.COMMISSION_REFUND,
            amount=-sign * commission,
            key=f"commission-refund{suffix}:{refund.pk}",
            **common,
        )


def _reference() -> str:
    return f"RF-{secrets.token_hex(8).upper()}"


@transaction.atomic
def refund_create(
    *,
    order: Order,
    actor: User | None,
    reason: str,
    lines: Sequence[RefundLineRequest] | None = None,
    shipping: bool = False,
    returned_to_stock: bool = False,
    source: RefundSource | str = RefundSource.STAFF,
    bank_reference: str = "",
) -> Refund:
    """Refund ``lines`` of ``order`` (None: all that is left, shipping included) for ``reason``.

    Staff only (``source`` "cancelled" is the system's, ``actor`` may be None). Refused when
    the order is not paid (online, or cash collected), for more than is left, or nothing.
    """
    source = RefundSource(source)
    if source == RefundSource.STAFF and not (actor and actor.is_staff):
        raise RefundError("Only staff can refund an order.", code=RefundErrorCode.STAFF_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise RefundError(
            "Say why the order is refunded.", code=RefundErrorCode.REASON_REQUIRED, field="reason"
        )
    locked = _order_locked(order)
    if not _paid(locked):
        raise RefundError(
            f"Order {locked.number} is not paid: there is nothing to give back.",
            code=RefundErrorCode.NOT_PAID,
        )
    plan = refund_plan(
        order=locked, lines=lines, shipping=shipping, returned_to_stock=returned_to_stock
    )
    online = refund_method_for(locked) == RefundMethod.PAYSTACK
    processed_now = not online and source == RefundSource.STAFF
    now = timezone.now()
    refund = Refund.objects.create(
        order=locked,
        amount=plan.amount,
        shipping_amount=plan.shipping,
        reason=reason[:255],
        source=source,
        method=RefundMethod.PAYSTACK if online else RefundMethod.MANUAL,
        status=RefundStatus.PROCESSED if processed_now else RefundStatus.PENDING,
        bank_reference=bank_reference.strip()[:100],
        reference=_reference(),
        created_by=actor,
        settled_at=now if processed_now else None,
    )
    RefundLine.objects.bulk_create(
        RefundLine(
            refund=refund,
            order_item=line.item,
            quantity=line.quantity,
            amount=line.amount,
            commission=line.commission,
            restocked=line.restock,
        )
        for line in plan.lines
    )
    restock = [StockLine(line.item.variation_id, line.restock) for line in plan.lines
               if line.restock]
    if restock:
        stock_return_many(
            lines=restock,
            reason=StockReason.RETURN,
            actor=actor,
            note=f"Order {locked.number} refunded ({refund.reference})",
        )
    if plan.ledger_now:
        _ledger_pair(refund=refund, order=locked, sign=-1, suffix="", note=reason)
    if processed_now:
        _refund_due_settle(locked, refund.amount)
    if online:
        from money.services.refund_paystack import refund_enqueue

        transaction.on_commit(lambda: refund_enqueue(refund.pk))
    return refund


def _refund_due_settle(order: Order, amount: Decimal) -> None:
    if order.refund_due > 0:
        Order.objects.filter(pk=order.pk).update(
            refund_due=max(order.refund_due - amount, ZERO), updated_at=timezone.now()
        )


def refund_for_cancelled(*, order_ids: Sequence[int]) -> list[Refund]:
    """The ``refunds_due`` receiver: one refund of all that is left of each cancelled order of a
    checkout paid online (none when a refund not failed covers it already). The order's
    ``refund_due`` becomes what this refund gives back. Runs in the cancelling transaction."""
    made = []
    for order in Order.objects.filter(pk__in=list(order_ids)).order_by("pk"):
        locked = _order_locked(order)
        left = refundable_of(order=locked)
        if left.amount <= 0 or not _paid_online(locked):
            Order.objects.filter(pk=locked.pk).update(refund_due=max(left.amount, ZERO))
            continue
        Order.objects.filter(pk=locked.pk).update(refund_due=left.amount)
        made.append(
            refund_create(
                order=locked,
                actor=None,
                reason="Paid order cancelled",
                source=RefundSource.CANCELLED,
            )
        )
    return made


def _refund_locked(refund: Refund | int) -> tuple[Refund, Order]:
    refund_id = refund if isinstance(refund, int) else refund.pk
    order_id = Refund.objects.values_list("order_id", flat=True).get(pk=refund_id)
    order = _order_locked(Order(pk=order_id))  # the order first, as refund_create locks it
    return Refund.objects.select_for_update().get(pk=refund_id), order


@transaction.atomic
def refund_settle(
    *, refund: Refund | int, paystack_refund_id: str = "", bank_reference: str = "",
    actor: User | None = None,
) -> bool:
    """The refund reached the buyer (Paystack's ``refund.processed``, or staff recording a
    manual refund of an automatic one). Returns whether it changed (False: settled already)."""
    if actor is not None and not actor.is_staff:
        raise RefundError("Only staff can record a refund.", code=RefundErrorCode.STAFF_ONLY)
    locked, order = _refund_locked(refund)
    if locked.status != RefundStatus.PENDING:
        return False
    locked.status = RefundStatus.PROCESSED
    locked.settled_at = timezone.now()
    locked.paystack_refund_id = paystack_refund_id[:64] or locked.paystack_refund_id
    locked.bank_reference = bank_reference.strip()[:100] or locked.bank_reference
    locked.save(update_fields=["status", "settled_at", "paystack_refund_id", "bank_reference"])
    _refund_due_settle(order, locked.amount)
    return True


@transaction.atomic
def refund_fail(*, refund: Refund | int, reason: str) -> bool:
    """Paystack could not refund (``refund.failed``, or it refused the request): the refund is
    FAILED, its lines are refundable again, and the ledger is put back when it had moved.
    Returns whether it changed (False: not pending any more)."""
    locked, order = _refund_locked(refund)
    if locked.status != RefundStatus.PENDING:
        return False
    locked.status = RefundStatus.FAILED
    locked.failure_reason = (reason or "Refused")[:255]
    locked.settled_at = timezone.now()
    locked.save(update_fields=["status", "failure_reason", "settled_at"])
    cash = order.cash_collected_at is not None and not _paid_online(order)
    if cash or earning_of(order) is not None:
        _ledger_pair(refund=locked, order=order, sign=1, suffix="-failed",
                     note=f"Refund failed: {locked.failure_reason}")
    return True
