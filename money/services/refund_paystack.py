"""A refund paid back through Paystack: asked for by a django-q2 task, outside any database
transaction, settled by Paystack's webhooks.

- ``refund_enqueue``: after the refund's transaction commits, one task per refund (never raises:
  a broker that is down leaves the refund pending for the sweep).
- ``refund_send``: the task. A refund already known to Paystack (its id stored, or our reference
  found in the merchant notes of the transaction's refunds) is not asked again, so a retry, a
  sweep and a slow first attempt never refund the buyer twice. Paystack refusing (a 4xx: the
  amount is more than is left of the transaction, ...) fails the refund; Paystack not answering
  leaves it pending for the sweep (``refunds_send_due``, every few minutes in the worker).
- ``paystack_refund_event``: ``refund.processed`` settles it, ``refund.failed`` fails it
  (registered on the Paystack webhook through ``orders.webhooks``). Replays change nothing.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django_q.tasks import async_task

from money.models import Refund, RefundMethod, RefundStatus
from money.services.refunds import refund_fail, refund_settle
from orders.paystack import (
    PaystackRefused,
    PaystackUnavailable,
    amount_in_kobo,
    paystack_request,
)

logger = logging.getLogger(__name__)

SEND_TASK = "money.tasks.refund_send_task"
# A pending Paystack refund not known to Paystack this long after it was made is sent again by
# the sweep (its task was lost, or Paystack could not be reached).
RESEND_AFTER = timedelta(minutes=10)


# --- Paystack's refund calls ------------------------------------------------------------------
# ``POST /refund`` {transaction: <reference>, amount: <kobo>, currency, merchant_note} queues a
# refund of (part of) a paid transaction; ``GET /refund?transaction=<reference>`` lists the
# transaction's refunds. Paystack takes no reference of ours for a refund: ours goes in
# ``merchant_note``, and is looked for among the transaction's refunds before asking again.


@dataclass(frozen=True)
class PaystackRefund:
    id: str
    status: str  # "pending", "processing", "processed", "failed", ...
    amount_kobo: int
    transaction_reference: str
    merchant_note: str = ""


def _refund_of(data: dict) -> PaystackRefund:
    transaction = data.get("transaction")
    if isinstance(transaction, dict):
        transaction = transaction.get("reference")
    try:
        amount = int(data.get("amount") or 0)
    except (TypeError, ValueError) as error:
        raise PaystackUnavailable("Paystack answered an unreadable refund.") from error
    return PaystackRefund(
        id=str(data.get("id") or ""),
        status=str(data.get("status") or ""),
        amount_kobo=amount,
        transaction_reference=str(transaction or data.get("transaction_reference") or ""),
        merchant_note=str(data.get("merchant_note") or ""),
    )


def paystack_refund_create(
    *, transaction_reference: str, amount: Decimal, reference: str, note: str = ""
) -> PaystackRefund:
    """Refund ``amount`` of the transaction ``transaction_reference``; ``reference`` (ours)
    goes in the merchant note."""
    data = paystack_request(
        "POST",
        "/refund",
        payload={
            "transaction": transaction_reference,
            "amount": amount_in_kobo(amount),
            "currency": settings.CURRENCY,
            "customer_note": note[:200],
            "merchant_note": reference,
        },
    )
    if not isinstance(data, dict):
        raise PaystackUnavailable("Paystack answered without the refund.")
    return _refund_of(data)


def paystack_refunds_of(*, transaction_reference: str) -> list[PaystackRefund]:
    """The refunds Paystack has of the transaction ``transaction_reference``."""
    rows = paystack_request("GET", "/refund", params={"transaction": transaction_reference})
    refunds = [_refund_of(row) for row in rows if isinstance(row, dict)] if isinstance(
        rows, list
    ) else []
    return [r for r in refunds if r.transaction_reference in ("", transaction_reference)]


# --- The task and the webhooks ----------------------------------------------------------------


def refund_enqueue(refund_id: int) -> None:
    """Queue the refund's task. Never raises: the sweep sends it when the broker is down."""
    try:
        async_task(SEND_TASK, refund_id, group="refunds")
    except Exception:
        logger.exception("Could not queue refund %s; the sweep will send it.", refund_id)


def _known(refund: Refund, transaction_reference: str) -> PaystackRefund | None:
    for known in paystack_refunds_of(transaction_reference=transaction_reference):
        if known.merchant_note == refund.reference:
            return known
    return None


def _apply(refund: Refund, answer: PaystackRefund) -> str:
    if answer.status == "processed":
        refund_settle(refund=refund.pk, paystack_refund_id=answer.id)
        return "processed"
    if answer.status == "failed":
        refund_fail(refund=refund.pk, reason="Paystack could not refund the payment")
        return "failed"
    Refund.objects.filter(pk=refund.pk, paystack_refund_id="").update(
        paystack_refund_id=answer.id[:64]
    )
    return "sent"


def refund_send(*, refund_id: int) -> str:
    """Ask Paystack to refund ``refund_id`` (not in a transaction: the HTTP calls hold no
    lock). Returns what happened: "sent", "processed", "failed", "unavailable", or "skipped"
    (not a pending Paystack refund, or already known to Paystack)."""
    refund = Refund.objects.select_related("order__checkout").filter(pk=refund_id).first()
    if (
        refund is None
        or refund.status != RefundStatus.PENDING
        or refund.method != RefundMethod.PAYSTACK
        or refund.paystack_refund_id
    ):
        return "skipped"
    reference = refund.order.checkout.paystack_reference
    try:
        known = _known(refund, reference)
        if known is not None:
            return _apply(refund, known)
        answer = paystack_refund_create(
            transaction_reference=reference,
            amount=refund.amount,
            reference=refund.reference,
            note=f"Refund of order {refund.order.number}",
        )
    except PaystackRefused as error:
        logger.warning("Paystack refused refund %s: %s", refund.reference, error)
        refund_fail(refund=refund.pk, reason=str(error))
        return "failed"
    except PaystackUnavailable as error:
        logger.warning("Refund %s not sent yet: %s", refund.reference, error)
        return "unavailable"
    if answer.amount_kobo and answer.amount_kobo != amount_in_kobo(refund.amount):
        logger.error("Paystack refund %s: %s kobo, %s asked", answer.id, answer.amount_kobo,
                     refund.amount)
    return _apply(refund, answer)


def refunds_send_due(*, now: datetime | None = None) -> int:
    """Send again every pending Paystack refund Paystack has not acknowledged
    ``RESEND_AFTER`` after it was made. Returns how many were sent."""
    cutoff = (now or timezone.now()) - RESEND_AFTER
    due = Refund.objects.filter(
        status=RefundStatus.PENDING,
        method=RefundMethod.PAYSTACK,
        paystack_refund_id="",
        created_at__lte=cutoff,
    ).values_list("pk", flat=True)
    return sum(refund_send(refund_id=pk) != "unavailable" for pk in list(due))


def _refund_for_event(data: dict) -> Refund | None:
    refund_id = str(data.get("id") or "")
    if refund_id:
        refund = Refund.objects.filter(paystack_refund_id=refund_id).first()
        if refund is not None:
            return refund
    note = str(data.get("merchant_note") or "")
    if note:
        refund = Refund.objects.filter(reference=note).first()
        if refund is not None:
            return refund
    # Else the transaction's oldest pending Paystack refund of that amount.
    transaction_reference = data.get("transaction_reference") or data.get("transaction")
    if isinstance(transaction_reference, dict):
        transaction_reference = transaction_reference.get("reference")
    try:
        amount = int(data.get("amount") or 0)
    except (TypeError, ValueError):
        return None
    candidates = Refund.objects.filter(
        order__checkout__paystack_reference=str(transaction_reference or ""),
        status=RefundStatus.PENDING,
        method=RefundMethod.PAYSTACK,
    ).order_by("created_at", "pk")
    return next((r for r in candidates if amount_in_kobo(r.amount) == amount), None)


def paystack_refund_event(*, event: str, data: dict) -> bool:
    """Paystack's ``refund.processed`` / ``refund.failed``. Returns whether a refund changed."""
    refund = _refund_for_event(data)
    if refund is None:
        logger.warning("Paystack %s for no refund of ours: %r", event, data.get("id"))
        return False
    if event == "refund.processed":
        return refund_settle(refund=refund.pk, paystack_refund_id=str(data.get("id") or ""))
    if event == "refund.failed":
        return refund_fail(refund=refund.pk, reason="Paystack could not refund the payment")
    return False


def refund_processed_webhook(data: dict) -> None:
    """Paystack's ``refund.processed`` (registered in ``MoneyConfig.ready``)."""
    paystack_refund_event(event="refund.processed", data=data)


def refund_failed_webhook(data: dict) -> None:
    """Paystack's ``refund.failed`` (registered in ``MoneyConfig.ready``)."""
    paystack_refund_event(event="refund.failed", data=data)
