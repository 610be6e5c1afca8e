"""Cancelling an order paid online records a refund due (refunds are made by staff, outside
this system, for now): its total and since when, on the order, in the buyer's order JSON, on the
staff's order list (with a filter) and in the buyer's cancellation notice. An order paid on
delivery owes nothing back. A payment that lands after an order was cancelled (while awaiting
payment, or after the checkout expired) makes its total due too."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from orders.models import Checkout, CheckoutPaymentStatus, Order, OrderStatus
from orders.services import (
    checkout_payment_record,
    checkout_place,
    checkouts_expire_due,
    order_cancel,
    order_status_change,
)
from orders.tests.helpers import by_product, pay, stock_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(two_maker_cart):
    """Phone x2 (Maker A, 200.00) and shirt M x1 (Maker B, 30.00 after 25 % off)."""
    return two_maker_cart


def test_cancelling_a_paid_processing_order_records_its_total_as_due(
    jwt_client, client, customer, staff_user, phone, paystack, cart
):
    placed = checkout_place(buyer=customer)
    pay(placed.checkout)
    phone_order = by_product(placed.orders)["Phone"]
    order_status_change(order=phone_order, to=OrderStatus.PROCESSING, actor=staff_user)

    response = jwt_client(customer).post(f"/orders/{phone_order.pk}/cancel/")

    assert response.status_code == 200
    data = response.json()
    phone_order.refresh_from_db()
    assert (phone_order.status, phone_order.refund_due) == ("cancelled", Decimal("200.00"))
    assert phone_order.refund_due_at is not None
    assert (data["status"], data["payment_status"], data["refund_due"]) == (
        "Cancelled", "Successful", 200.0
    )
    assert data["refund_due_at"] is not None
    assert stock_of(phone.variations.get()) == 10
    told = Notification.objects.filter(user=customer, event="order_status_changed").latest("pk")
    assert told.title == f"Order {phone_order.number} is now cancelled"
    assert "₦200.00 you paid for it is due back to you" in told.body
    # The other order of the checkout goes on, owing nothing.
    shirt_order = by_product(placed.orders)["Shirt"]
    shirt_order.refresh_from_db()
    assert (shirt_order.status, shirt_order.refund_due_at) == ("pending", None)
    # Staff find it with the filter, the amount on the list.
    client.force_login(staff_user)
    listing = client.get(reverse("admin:orders_order_changelist") + "?refund=due")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert phone_order.number in html and shirt_order.number not in html
    assert "refund due ₦200.00" in html
    page = client.get(reverse("admin:orders_order_change", args=[phone_order.pk]))
    assert "Refund due" in page.content.decode()


def test_an_order_paid_on_delivery_owes_nothing_back(customer, cart):
    order = checkout_place(buyer=customer).orders[0]
    order_cancel(order=order, actor=customer)
    order.refresh_from_db()
    assert (order.status, order.refund_due, order.refund_due_at) == ("cancelled", 0, None)


def test_an_unpaid_paystack_order_cancelled_owes_nothing_until_the_money_lands(
    customer, paystack, cart
):
    placed = checkout_place(buyer=customer)
    cancelled = by_product(placed.orders)["Shirt"]
    order_cancel(order=cancelled, actor=customer)
    cancelled.refresh_from_db()
    assert (cancelled.refund_due, cancelled.refund_due_at) == (0, None)

    pay(placed.checkout)  # the buyer paid the whole checkout on the page still open

    cancelled.refresh_from_db()
    assert (cancelled.refund_due, cancelled.refund_due_at is not None) == (Decimal("30.00"), True)
    kept = by_product(placed.orders)["Phone"]
    kept.refresh_from_db()
    assert (kept.status, kept.refund_due_at) == ("pending", None)
    # A replayed payment changes nothing.
    since = cancelled.refund_due_at
    assert not checkout_payment_record(
        reference=placed.checkout.paystack_reference, amount_kobo=23000, currency="NGN"
    )
    cancelled.refresh_from_db()
    assert cancelled.refund_due_at == since


def test_a_payment_after_the_checkout_expired_makes_every_order_refund_due(
    customer, paystack, cart
):
    placed = checkout_place(buyer=customer)
    Checkout.objects.filter(pk=placed.checkout.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert checkouts_expire_due() == 1
    assert not Order.objects.filter(refund_due_at__isnull=False).exists()

    pay(placed.checkout)

    placed.checkout.refresh_from_db()
    assert placed.checkout.payment_status == CheckoutPaymentStatus.REFUND_DUE
    assert sorted(Order.objects.values_list("refund_due", flat=True)) == [
        Decimal("30.00"), Decimal("200.00")
    ]
