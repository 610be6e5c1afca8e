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
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from catalog.models import StockReason
from catalog.services import StockLine, stock_return_many
from money.errors import RefundError, RefundErrorCode
from money.models import (
    EntryKind,
    Refund,
    RefundLine,
    RefundMethod,
    RefundSource,
    RefundStatus,
)
from money.services.ledger import ledger_entry_add
from money.services.refund_plan import (
    RefundLineRequest,
    RefundPlan,
    earning_of,
    order_paid,
    order_paid_online,
    refund_method_for,
    refund_plan,
    refundable_of,
)
from orders.models import Order
from users.models import User

__all__ = [
    "RefundLineRequest",
    "RefundPlan",
    "earning_of",
    "refund_create",
    "refund_fail",
    "refund_for_cancelled",
    "refund_method_for",
    "refund_plan",
    "refund_settle",
    "refundable_of",
]

ZERO = Decimal("0.00")


def _order_locked(order: Order) -> Order:
    no_key = connection.features.has_select_for_no_key_update
    return (
        Order.objects.select_for_update(no_key=no_key, of=("self",))
        .select_related("checkout")
        .get(pk=order.pk)
    )


def _available_on(order: Order):
    earning = earning_of(order)
    if earning and earning.available_on and earning.available_on > timezone.localdate():
        return earning.available_on
    return None


def _seller_shares(refund: Refund, order: Order) -> list[tuple[int, str, Decimal, Decimal]]:
    """Who the refund is taken from: (manufacturer id, key suffix, amount, commission) per
    seller of the order, as the earnings split it: an order of one seller takes all of it
    (suffix ""); of several, each seller their lines (suffix ":<id>") and the first (lowest id)
    the shipping too."""
    sellers = sorted(
        set(order.items.filter(manufacturer__isnull=False).values_list("manufacturer_id",
                                                                        flat=True))
    )
    if not sellers:  # every seller's account deleted: no ledger to write to
        return []
    if len(sellers) == 1:
        commission = refund.lines.aggregate(total=Sum("commission"))["total"] or ZERO
        return [(sellers[0], "", refund.amount, commission)]
    per_seller = {
        row["order_item__manufacturer_id"]: row
        for row in refund.lines.values("order_item__manufacturer_id")
        .annotate(amount=Sum("amount"), commission=Sum("commission"))
        .order_by()
    }
    shares = []
    for index, seller in enumerate(sellers):
        row = per_seller.get(seller, {})
        amount = (row.get("amount") or ZERO) + (refund.shipping_amount if index == 0 else ZERO)
        shares.append((seller, f":{seller}", amount, row.get("commission") or ZERO))
    return shares


def _ledger_pair(*, refund: Refund, order: Order, sign: int, suffix: str, note: str) -> None:
    """The refund's entries, two per seller (``sign`` -1: the refund; +1: undoing it, keys
    ``refund<suffix>:<refund id>[:<seller>]``)."""
    available_on = _available_on(order)
    for seller, seller_suffix, amount, commission in _seller_shares(refund, order):
        common = {"manufacturer": seller, "order": order, "refund": refund,
                  "available_on": available_on, "note": note}
        if amount:
            ledger_entry_add(kind=EntryKind.REFUND, amount=sign * amount,
                             key=f"refund{suffix}:{refund.pk}{seller_suffix}", **common)
        if commission:
            ledger_entry_add(kind=EntryKind.COMMISSION_REFUND, amount=-sign * commission,
                             key=f"commission-refund{suffix}:{refund.pk}{seller_suffix}",
                             **common)


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
    if not order_paid(locked):
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
        # Imported here: refund_paystack settles and fails refunds through this module.
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
        if left.amount <= 0 or not order_paid_online(locked):
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
    cash = order.cash_collected_at is not None and not order_paid_online(order)
    if cash or earning_of(order) is not None:
        _ledger_pair(refund=locked, order=order, sign=1, suffix="-failed",
                     note=f"Refund failed: {locked.failure_reason}")
    return True
