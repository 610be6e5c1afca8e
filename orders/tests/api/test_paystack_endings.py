"""An unpaid checkout always ends, and only a matching payment pays it.

- The sweep expires an unpaid checkout past its deadline whatever Paystack answers: not paid,
  an unknown reference, an invalid key, or nothing at all once the grace period has passed;
  ``expiry_reason`` says why and the stock comes back through the ledger.
- A payment in another currency, or of another amount than the checkout's total, changes
  nothing (webhook and verify alike) and is recorded for staff as a ``PaymentMismatch``.

Paystack is a local HTTP server (``paystack`` fixture in conftest).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import StockMovement, StockReason
from orders.models import (
    Checkout,
    CheckoutPaymentStatus,
    Order,
    OrderStatus,
    PaymentMismatch,
    PaymentMismatchReason,
)
from orders.services import checkout_place, checkout_verify, checkouts_expire_due
from orders.tests.conftest import paystack_signature
from orders.tests.helpers import assert_ledger_agrees, charge_success, post_webhook, stock_of

pytestmark = pytest.mark.django_db


def overdue(checkout: Checkout, *, by: timedelta) -> None:
    Checkout.objects.filter(pk=checkout.pk).update(expires_at=timezone.now() - by)


def state() -> list:
    return sorted(
        Checkout.objects.values_list("pk", "payment_status", "paid_at", "expiry_reason")
    ) + sorted(Order.objects.values_list("pk", "status"))


def assert_expired_with_stock_back(checkout: Checkout, phone, shirt_m) -> str:
    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.EXPIRED
    assert set(checkout.orders.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (10, 5)
    assert StockMovement.objects.filter(reason=StockReason.RETURN).count() == 2
    assert_ledger_agrees(phone, shirt_m.product)
    return checkout.expiry_reason


def test_a_checkout_paystack_never_heard_of_expires_at_once(
    customer, paystack, two_maker_cart, phone, shirt_m
):
    checkout = checkout_place(buyer=customer).checkout
    paystack.transactions.clear()  # "Transaction reference not found" (400)
    overdue(checkout, by=timedelta(seconds=1))

    assert checkouts_expire_due() == 1

    reason = assert_expired_with_stock_back(checkout, phone, shirt_m)
    assert reason == (
        "Payment not received in time (Paystack refused the call: Transaction reference not "
        "found)"
    )
    assert checkouts_expire_due() == 0  # once


def test_a_checkout_expires_when_paystack_refuses_our_key(
    customer, paystack, two_maker_cart, phone, shirt_m, settings
):
    checkout = checkout_place(buyer=customer).checkout
    settings.PAYSTACK_SECRET_KEY = "sk_test_revoked"  # Paystack answers 401 "Invalid key"
    overdue(checkout, by=timedelta(seconds=1))

    assert checkouts_expire_due() == 1

    assert "Invalid key" in assert_expired_with_stock_back(checkout, phone, shirt_m)


def test_an_abandoned_payment_expires_with_the_plain_reason(
    customer, paystack, two_maker_cart, phone, shirt_m
):
    checkout = checkout_place(buyer=customer).checkout
    overdue(checkout, by=timedelta(seconds=1))

    assert checkouts_expire_due() == 1

    assert assert_expired_with_stock_back(checkout, phone, shirt_m) == (
        "Payment not received in time"
    )
    notes = set(Order.objects.values_list("status_changes__note", flat=True))
    assert notes == {"Payment not received in time"}


def test_unreachable_paystack_holds_the_stock_for_the_grace_period_then_not(
    customer, paystack, two_maker_cart, phone, shirt_m, settings
):
    settings.PAYSTACK_UNREACHABLE_GRACE_MINUTES = 60
    checkout = checkout_place(buyer=customer).checkout
    paystack.down = True

    overdue(checkout, by=timedelta(minutes=59))
    assert checkouts_expire_due() == 0
    checkout.refresh_from_db()
    assert (checkout.payment_status, checkout.expiry_reason) == (
        CheckoutPaymentStatus.AWAITING, ""
    )
    assert stock_of(phone.variations.get()) == 8

    overdue(checkout, by=timedelta(minutes=61))
    assert checkouts_expire_due() == 1
    reason = assert_expired_with_stock_back(checkout, phone, shirt_m)
    assert "could not be reached for 60 minutes" in reason


def test_a_payment_confirmed_after_expiry_is_refund_due(
    client, customer, paystack, two_maker_cart, phone, shirt_m
):
    checkout = checkout_place(buyer=customer).checkout
    paystack.transactions.clear()
    overdue(checkout, by=timedelta(seconds=1))
    checkouts_expire_due()

    body = charge_success(checkout.paystack_reference, 23000)
    assert post_webhook(client, body, paystack_signature(body)).status_code == 200

    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.REFUND_DUE
    assert set(checkout.orders.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (10, 5)


@pytest.mark.parametrize(
    ("amount", "currency", "reason"),
    [
        (23000, "USD", PaymentMismatchReason.CURRENCY),
        (22999, "NGN", PaymentMismatchReason.AMOUNT),
        (23001, "NGN", PaymentMismatchReason.AMOUNT),
    ],
)
def test_a_webhook_payment_that_does_not_match_changes_nothing_and_tells_staff(
    client, customer, paystack, two_maker_cart, amount, currency, reason
):
    checkout = checkout_place(buyer=customer).checkout
    body = charge_success(checkout.paystack_reference, amount, currency=currency)
    before = state()

    response = post_webhook(client, body, paystack_signature(body))

    assert response.status_code == 200  # acknowledged, so Paystack does not resend it
    assert state() == before
    mismatch = PaymentMismatch.objects.get()
    assert (mismatch.checkout, mismatch.reason, mismatch.source) == (checkout, reason, "webhook")
    assert (mismatch.amount_kobo, mismatch.currency) == (amount, currency)
    assert (mismatch.expected_kobo, mismatch.expected_currency) == (23000, "NGN")


def test_a_verified_payment_in_another_currency_changes_nothing(
    customer, paystack, two_maker_cart
):
    checkout = checkout_place(buyer=customer).checkout
    paystack.pay(checkout.paystack_reference, currency="USD")
    before = state()

    checkout = checkout_verify(checkout=checkout)

    assert checkout.payment_status == CheckoutPaymentStatus.AWAITING
    assert state() == before
    mismatch = PaymentMismatch.objects.get()
    assert (mismatch.reason, mismatch.source) == (PaymentMismatchReason.CURRENCY, "verify")


def test_a_payment_for_an_unknown_reference_is_recorded_for_staff(client, paystack):
    body = charge_success("MTCK-NOT-OURS", 5000)

    assert post_webhook(client, body, paystack_signature(body)).status_code == 200

    mismatch = PaymentMismatch.objects.get()
    assert (mismatch.checkout, mismatch.reason) == (None, PaymentMismatchReason.UNKNOWN_REFERENCE)
    assert not Checkout.objects.exists()


def test_checkout_tells_paystack_the_currency(customer, paystack, two_maker_cart, settings):
    checkout_place(buyer=customer)
    [call] = paystack.calls
    assert call["payload"]["currency"] == settings.CURRENCY == "NGN"
