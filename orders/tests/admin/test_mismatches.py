"""Payments that matched no checkout, in the admin: staff read them (the list, the page, and
on the checkout's page with why it expired); read-only; manufacturers reach none of it."""

import pytest
from django.urls import reverse

from orders.models import Checkout, CheckoutPaymentStatus, PaymentMismatch
from orders.services import checkout_payment_record, checkout_place

pytestmark = pytest.mark.django_db

MISMATCHES = reverse("admin:orders_paymentmismatch_changelist")


@pytest.fixture
def mismatch(customer, paystack, two_maker_cart):
    checkout = checkout_place(buyer=customer).checkout
    Checkout.objects.filter(pk=checkout.pk).update(
        payment_status=CheckoutPaymentStatus.EXPIRED, expiry_reason="Payment not received in time"
    )
    checkout_payment_record(
        reference=checkout.paystack_reference, amount_kobo=23000, currency="USD", source="webhook"
    )
    return PaymentMismatch.objects.get()


def test_staff_read_mismatches_and_the_checkout_says_why_it_expired(client, staff_user, mismatch):
    client.force_login(staff_user)
    page = client.get(MISMATCHES).content.decode()
    assert mismatch.reference in page
    assert "Currency differs from the shop&#x27;s" in page
    assert "USD 230.00" in page and "NGN 230.00" in page
    change = reverse("admin:orders_paymentmismatch_change", args=[mismatch.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"reason": "amount"}).status_code == 403
    assert PaymentMismatch.objects.get().reason == "currency"
    checkout_page = client.get(
        reverse("admin:orders_checkout_change", args=[mismatch.checkout_id])
    ).content.decode()
    assert "Payment not received in time" in checkout_page
    assert "Currency differs" in checkout_page


def test_manufacturers_reach_no_mismatch(client, manufacturer_a, mismatch):
    client.force_login(manufacturer_a)
    for url in [
        MISMATCHES,
        reverse("admin:orders_paymentmismatch_change", args=[mismatch.pk]),
        reverse("admin:orders_paymentmismatch_delete", args=[mismatch.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert PaymentMismatch.objects.count() == 1


def _list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(MISMATCHES).status_code == 200
    return len(captured)


def test_the_mismatches_list_costs_the_same_queries_at_any_length(client, staff_user, mismatch):
    client.force_login(staff_user)
    one = _list_queries(client)
    for n in range(5):
        checkout_payment_record(
            reference=mismatch.checkout.paystack_reference, amount_kobo=100 + n, currency="NGN",
            source="verify",
        )
    checkout_payment_record(reference="MTCK-UNKNOWN", amount_kobo=1, currency="NGN")

    assert PaymentMismatch.objects.count() == 7
    assert _list_queries(client) == one
