"""A checkout's payment: paid (Paystack's webhook or a verify call), or expired unpaid.

- ``checkout_payment_record``: Paystack says the transaction succeeded. Idempotent: a replayed
  webhook, or a webhook and a verify for one payment, change the checkout once. An amount below
  the checkout's total is not a payment of it (logged, nothing changes). A payment confirmed
  after the checkout expired marks it "refund due" for staff (its orders stay cancelled).
- ``checkout_verify``: ask Paystack about a checkout's transaction (verify-on-return, and
  before expiring a checkout whose webhook may have been lost).
- ``checkout_expire`` / ``checkouts_expire_due``: an unpaid Paystack checkout past
  ``expires_at`` cancels its orders; their stock goes back through the ledger (the orders'
  workflow: ``stock_return_many``, reason "return"). The worker sweeps every minute.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from orders.errors import CheckoutError, CheckoutErrorCode, OrderError
from orders.models import Checkout, CheckoutPayment, CheckoutPaymentStatus, Order, OrderStatus
from orders.paystack import (
    PaystackUnavailable,
    amount_in_kobo,
    paystack_configured,
    paystack_verify,
)
from orders.services.workflow import order_lock, order_transition, refunds_due_record

logger = logging.getLogger(__name__)

EXPIRED_NOTE = "Payment not received in time"


def _paid_at(value) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed or timezone.now()


@transaction.atomic
def checkout_payment_record(*, reference: str, amount_kobo: int, paid_at=None) -> bool:
    """Record Paystack's word that the transaction ``reference`` was paid ``amount_kobo``.
    Returns whether the checkout changed (False: unknown reference, replay, short amount)."""
    checkout = (
        Checkout.objects.select_for_update().filter(paystack_reference=reference).first()
        if reference
        else None
    )
    if checkout is None:
        logger.warning("Paystack payment for unknown reference %r ignored", reference)
        return False
    if amount_kobo < amount_in_kobo(checkout.total_amount):
        logger.warning(
            "Paystack payment %r of %s kobo is short of checkout %s's %s: not recorded",
            reference, amount_kobo, checkout.pk, checkout.total_amount,
        )
        return False
    if checkout.payment_status == CheckoutPaymentStatus.AWAITING:
        status = CheckoutPaymentStatus.PAID
    elif checkout.payment_status == CheckoutPaymentStatus.EXPIRED:
        status = CheckoutPaymentStatus.REFUND_DUE
        logger.warning("Checkout %s was paid after it expired: refund due", checkout.pk)
    else:
        return False  # paid already (a replay), or not a Paystack checkout
    updated = Checkout.objects.filter(
        pk=checkout.pk, payment_status=checkout.payment_status
    ).update(payment_status=status, paid_at=_paid_at(paid_at), updated_at=timezone.now())
    if updated:  # orders cancelled before the money arrived: it is due back
        refunds_due_record(orders=Order.objects.filter(checkout_id=checkout.pk))
    return updated == 1


def checkout_verify(*, checkout: Checkout) -> Checkout:
    """Ask Paystack whether the checkout's transaction was paid, and record it if so. Raises
    ``CheckoutError`` when Paystack is not configured or cannot be reached."""
    if checkout.payment_method != CheckoutPayment.PAYSTACK or not checkout.paystack_reference:
        raise CheckoutError(
            "This checkout is paid on delivery.", code=CheckoutErrorCode.NOT_PAYSTACK
        )
    if not paystack_configured():
        raise CheckoutError(
            "Paystack is not configured here.", code=CheckoutErrorCode.PAYSTACK_NOT_CONFIGURED
        )
    try:
        transaction_ = paystack_verify(reference=checkout.paystack_reference)
    except PaystackUnavailable as error:
        raise CheckoutError(str(error), code=CheckoutErrorCode.PAYSTACK_UNAVAILABLE) from error
    if transaction_.paid:
        checkout_payment_record(
            reference=checkout.paystack_reference,
            amount_kobo=transaction_.amount_kobo,
            paid_at=transaction_.paid_at,
        )
    checkout.refresh_from_db()
    return checkout


@transaction.atomic
def checkout_expire(*, checkout: Checkout, now: datetime | None = None) -> bool:
    """Expire an unpaid Paystack checkout past its deadline: cancel its orders that can still
    be cancelled (their stock goes back through the ledger). Returns whether it expired."""
    now = now or timezone.now()
    locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if locked.payment_status != CheckoutPaymentStatus.AWAITING or not (
        locked.expires_at and locked.expires_at <= now
    ):
        return False
    for order in Order.objects.filter(checkout=locked).order_by("pk"):
        order = order_lock(order)
        if order.status not in (OrderStatus.PENDING, OrderStatus.PROCESSING):
            continue
        try:
            with transaction.atomic():
                order_transition(order=order, to=OrderStatus.CANCELLED, actor=None,
                                 note=EXPIRED_NOTE)
        except OrderError as error:  # lines shipped already: staff decide
            logger.warning("Expired checkout %s: order %s kept: %s", locked.pk, order.number,
                           error.message)
    Checkout.objects.filter(pk=locked.pk).update(
        payment_status=CheckoutPaymentStatus.EXPIRED, updated_at=now
    )
    return True


def checkouts_expire_due(*, now: datetime | None = None) -> int:
    """Expire every unpaid Paystack checkout past its deadline (the worker's sweep). Each is
    first verified with Paystack, so a payment whose webhook was lost is recorded instead.
    Returns how many expired."""
    now = now or timezone.now()
    due = Checkout.objects.filter(
        payment_status=CheckoutPaymentStatus.AWAITING, expires_at__lte=now
    ).order_by("expires_at", "pk")
    expired = 0
    for checkout in due:
        if paystack_configured() and checkout.paystack_reference:
            try:
                checkout = checkout_verify(checkout=checkout)
            except CheckoutError as error:
                # Paystack unreachable: keep the stock held until it can be asked.
                logger.warning("Checkout %s not expired: %s", checkout.pk, error.message)
                continue
        expired += checkout_expire(checkout=checkout, now=now)
    return expired


def checkout_payment_page(*, checkout: Checkout | None) -> Checkout:
    """The Paystack page where the buyer pays this checkout of theirs (``POST /paystack/init/``):
    the transaction checkout initialised; refused when the checkout is unknown, paid on
    delivery, or no longer awaiting payment."""
    if checkout is None:
        raise CheckoutError("No such checkout of yours.", code=CheckoutErrorCode.CHECKOUT_UNKNOWN)
    if checkout.payment_method != CheckoutPayment.PAYSTACK or not checkout.paystack_url:
        raise CheckoutError(
            "This checkout is paid on delivery.", code=CheckoutErrorCode.NOT_PAYSTACK
        )
    if checkout.payment_status != CheckoutPaymentStatus.AWAITING:
        raise CheckoutError(
            f"This checkout is {checkout.get_payment_status_display().lower()}: there is "
            "nothing to pay.",
            code=CheckoutErrorCode.NOT_AWAITING_PAYMENT,
        )
    return checkout
