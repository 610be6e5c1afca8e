"""A checkout's payment: paid (Paystack's webhook or a verify call), or expired unpaid.

- ``checkout_payment_record``: Paystack says the transaction succeeded. Idempotent: a replayed
  webhook, or a webhook and a verify for one payment, change the checkout once. A payment that
  does not match its checkout (another amount than the total, another currency than
  ``settings.CURRENCY``, an unknown reference) is not a payment of it: nothing changes, and a
  ``PaymentMismatch`` row (and a log line) tells staff. A payment confirmed after the checkout
  expired marks it "refund due" for staff (its orders stay cancelled).
- ``checkout_verify``: ask Paystack about a checkout's transaction (verify-on-return, and
  before expiring a checkout whose webhook may have been lost).
- ``checkout_expire`` / ``checkouts_expire_due``: an unpaid Paystack checkout past
  ``expires_at`` cancels its orders; their stock goes back through the ledger (the orders'
  workflow: ``stock_return_many``, reason "return"). The worker sweeps every minute. An unpaid
  checkout always ends: when Paystack refuses the verify (an unknown reference, an invalid
  key) it expires at once, and when Paystack cannot be reached it expires once
  ``PAYSTACK_UNREACHABLE_GRACE_MINUTES`` have passed since its deadline; ``expiry_reason``
  says which.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from orders.errors import CheckoutError, CheckoutErrorCode, OrderError
from orders.models import (
    Checkout,
    CheckoutPayment,
    CheckoutPaymentStatus,
    Order,
    OrderStatus,
    PaymentMismatch,
    PaymentMismatchReason,
)
from orders.paystack import (
    PaystackRefused,
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


def _mismatch(*, checkout, reference, source, reason, amount_kobo, currency) -> bool:
    PaymentMismatch.objects.create(
        checkout=checkout,
        reference=reference[:100],
        source=source,
        reason=reason,
        amount_kobo=amount_kobo,
        currency=currency[:8],
        expected_kobo=amount_in_kobo(checkout.total_amount) if checkout else None,
        expected_currency=settings.CURRENCY if checkout else "",
    )
    logger.warning(
        "Paystack payment %r (%s %s, from the %s) not recorded: %s", reference, amount_kobo,
        currency, source, PaymentMismatchReason(reason).label,
    )
    return False


@transaction.atomic
def checkout_payment_record(
    *, reference: str, amount_kobo: int, currency: str, paid_at=None, source: str = "webhook"
) -> bool:
    """Record Paystack's word that the transaction ``reference`` was paid ``amount_kobo`` in
    ``currency``. Returns whether the checkout changed (False: a replay, or a mismatch, which
    is recorded for staff: unknown reference, another amount or currency)."""
    checkout = (
        Checkout.objects.select_for_update().filter(paystack_reference=reference).first()
        if reference
        else None
    )
    paid = {"reference": reference, "source": source, "amount_kobo": amount_kobo,
            "currency": (currency or "").upper()}
    if checkout is None:
        return _mismatch(checkout=None, reason=PaymentMismatchReason.UNKNOWN_REFERENCE, **paid)
    if paid["currency"] != settings.CURRENCY:
        return _mismatch(checkout=checkout, reason=PaymentMismatchReason.CURRENCY, **paid)
    if amount_kobo != amount_in_kobo(checkout.total_amount):
        return _mismatch(checkout=checkout, reason=PaymentMismatchReason.AMOUNT, **paid)
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
    except PaystackRefused as error:
        raise CheckoutError(str(error), code=CheckoutErrorCode.PAYSTACK_REFUSED) from error
    except PaystackUnavailable as error:
        raise CheckoutError(str(error), code=CheckoutErrorCode.PAYSTACK_UNAVAILABLE) from error
    if transaction_.paid:
        checkout_payment_record(
            reference=checkout.paystack_reference,
            amount_kobo=transaction_.amount_kobo,
            currency=transaction_.currency,
            paid_at=transaction_.paid_at,
            source="verify",
        )
    checkout.refresh_from_db()
    return checkout


@transaction.atomic
def checkout_expire(
    *, checkout: Checkout, now: datetime | None = None, reason: str = EXPIRED_NOTE
) -> bool:
    """Expire an unpaid Paystack checkout past its deadline for ``reason``: cancel its orders
    that can still be cancelled (their stock goes back through the ledger). Returns whether it
    expired."""
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
                                 note=reason)
        except OrderError as error:  # lines shipped already: staff decide
            logger.warning("Expired checkout %s: order %s kept: %s", locked.pk, order.number,
                           error.message)
    Checkout.objects.filter(pk=locked.pk).update(
        payment_status=CheckoutPaymentStatus.EXPIRED, expiry_reason=reason[:255], updated_at=now
    )
    return True


def _expiry_reason(checkout: Checkout, now: datetime) -> tuple[Checkout, str | None]:
    """Ask Paystack about a checkout past its deadline (a payment whose webhook was lost is
    recorded then). Returns the checkout as it is now and why it expires, or None when it
    should wait: Paystack could not be reached and the grace period has not passed."""
    if not (paystack_configured() and checkout.paystack_reference):
        return checkout, EXPIRED_NOTE
    try:
        return checkout_verify(checkout=checkout), EXPIRED_NOTE
    except CheckoutError as error:
        if error.code == CheckoutErrorCode.PAYSTACK_REFUSED:
            return checkout, f"{EXPIRED_NOTE} ({error.message.rstrip('.')})"
        grace = timedelta(minutes=settings.PAYSTACK_UNREACHABLE_GRACE_MINUTES)
        if now < checkout.expires_at + grace:
            logger.warning("Checkout %s not expired yet: %s", checkout.pk, error.message)
            return checkout, None
        return checkout, (
            f"{EXPIRED_NOTE} (Paystack could not be reached for "
            f"{settings.PAYSTACK_UNREACHABLE_GRACE_MINUTES} minutes past the deadline)"
        )


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
        checkout, reason = _expiry_reason(checkout, now)
        if reason is not None:
            expired += checkout_expire(checkout=checkout, now=now, reason=reason)
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
