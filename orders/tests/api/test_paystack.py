"""Checkout with Paystack: initialise (amount in kobo, before anything is ordered), the
signed webhook (paid once, replays harmless, a bad signature changes nothing), verify-on-return,
``POST /paystack/init/``, and the sweep that returns an unpaid checkout's stock.

Paystack is replaced at the HTTP boundary only (``paystack`` fixture in conftest): our client
code builds and sends the real requests.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Product, StockMovement, StockReason
from orders.models import Checkout, CheckoutPaymentStatus, Order, OrderStatus
from orders.services import checkout_place, checkouts_expire_due
from orders.tasks import checkouts_expire_due_task
from orders.tests.conftest import PAYSTACK_KEY, paystack_signature
from orders.tests.helpers import assert_ledger_agrees, charge_success, post_webhook, stock_of
from shopping.models import CartItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(two_maker_cart):
    return two_maker_cart


def checkout_state() -> list:
    return sorted(
        Checkout.objects.values_list("pk", "payment_status", "paid_at", "updated_at")
    ) + sorted(Order.objects.values_list("pk", "status", "updated_at"))


def test_checkout_initialises_paystack_and_returns_its_page(
    jwt_client, customer, paystack, cart, phone
):
    response = jwt_client(customer).post("/checkout/", {}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    checkout = Checkout.objects.get()
    assert data["status"] == "awaiting_payment"
    assert data["paystack_reference"] == checkout.paystack_reference
    assert data["paystack_url"] == "https://checkout.paystack.com/ac_1"
    assert data["total_amount"] == 230.0  # the goods: shipping is the default (free) method
    assert len(data["order_ids"]) == 2
    [call] = paystack.calls
    assert (call["method"], call["path"]) == ("POST", "/transaction/initialize")
    assert call["authorization"] == f"Bearer {PAYSTACK_KEY}"
    assert call["payload"]["amount"] == 23000  # kobo
    assert call["payload"]["reference"] == checkout.paystack_reference
    assert call["payload"]["email"] == customer.email
    assert call["payload"]["callback_url"].endswith("/paystack/callback/")
    # The stock is held (taken through the ledger) until the payment or the deadline.
    assert stock_of(phone.variations.get()) == 8
    assert checkout.expires_at > timezone.now() + timedelta(minutes=29)
    assert set(Order.objects.values_list("payment_method", flat=True)) == {"CARD"}


def test_paystack_down_orders_nothing(jwt_client, customer, paystack, cart):
    paystack.down = True
    before = (Order.objects.count(), StockMovement.objects.count(), CartItem.objects.count())

    response = jwt_client(customer).post("/checkout/", {}, format="json")

    assert response.status_code == 502
    assert response.json()["code"] == "paystack_unavailable"
    assert (Order.objects.count(), StockMovement.objects.count(), CartItem.objects.count()) == (
        before
    )
    assert not Checkout.objects.exists()


def test_a_short_line_is_named_before_paystack_is_asked(jwt_client, customer, paystack, cart):
    CartItem.objects.filter(variation__size="M").update(quantity=9)
    response = jwt_client(customer).post("/checkout/", {}, format="json")
    assert response.status_code == 409
    [line] = response.json()["lines"]
    assert line["product_name"] == "Shirt"
    assert paystack.calls == []
    assert not Order.objects.exists()


def test_each_cart_issue_is_named_with_its_order_code_before_paystack_is_asked(
    jwt_client, customer, paystack, cart, phone
):
    Product.objects.filter(pk=phone.pk).update(is_active=False)
    CartItem.objects.filter(variation__size="M").update(quantity=9)
    client = jwt_client(customer)

    response = client.post("/checkout/", {}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "insufficient_stock")
    assert [(line["product_name"], line["code"], line["message"])
            for line in response.json()["lines"]] == [
        ("Phone", "product_unavailable", "This product is no longer available."),
        ("Shirt", "insufficient_stock", "Only 5 left in stock: lower the quantity."),
    ]
    CartItem.objects.filter(product=phone).delete()
    CartItem.objects.update(variation=None, quantity=1)

    response = client.post("/checkout/", {}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "variation_required")
    assert [(line["code"], line["message"]) for line in response.json()["lines"]] == [
        ("variation_required", "Choose a size or colour for this product."),
    ]
    assert paystack.calls == []
    assert not Order.objects.exists()


def test_a_valid_webhook_marks_paid_once_and_replays_change_nothing(
    client, customer, paystack, cart
):
    checkout = checkout_place(buyer=customer).checkout
    body = charge_success(checkout.paystack_reference, 23000)

    response = post_webhook(client, body, paystack_signature(body))

    assert response.status_code == 200
    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.PAID
    assert checkout.paid_at.isoformat() == "2026-11-30T12:00:00+00:00"
    after_first = checkout_state()
    for _ in range(2):
        assert post_webhook(client, body, paystack_signature(body)).status_code == 200
    assert checkout_state() == after_first


def test_paid_orders_read_successful_to_the_buyer(jwt_client, customer, paystack, cart, client):
    checkout = checkout_place(buyer=customer).checkout
    body = charge_success(checkout.paystack_reference, 23000)
    post_webhook(client, body, paystack_signature(body))
    results = jwt_client(customer).get("/orders").json()["results"]
    assert [o["payment_status"] for o in results] == ["Successful", "Successful"]
    assert {o["payment_reference"] for o in results} == {checkout.paystack_reference}


@pytest.mark.parametrize(
    "signature",
    [None, "", "0" * 128, paystack_signature(b"another body"), "signed-with-another-key"],
)
def test_a_bad_signature_is_a_400_and_changes_nothing(client, customer, paystack, cart, signature):
    checkout = checkout_place(buyer=customer).checkout
    body = charge_success(checkout.paystack_reference, 23000)
    if signature == "signed-with-another-key":
        signature = paystack_signature(body, key="sk_test_someone_else")
    before = checkout_state()

    response = post_webhook(client, body, signature)

    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"
    assert checkout_state() == before


def test_a_short_amount_is_not_a_payment(client, customer, paystack, cart):
    checkout = checkout_place(buyer=customer).checkout
    body = charge_success(checkout.paystack_reference, 22999)
    before = checkout_state()
    assert post_webhook(client, body, paystack_signature(body)).status_code == 200
    assert checkout_state() == before


def test_callback_verifies_and_sends_the_buyer_to_the_success_page(
    client, customer, paystack, cart, settings
):
    placed = checkout_place(buyer=customer)
    reference = placed.checkout.paystack_reference
    # Not paid yet: back to the orders page, nothing recorded.
    response = client.get(f"/paystack/callback/?trxref={reference}&reference={reference}")
    assert response.status_code == 302
    assert response["Location"] == f"{settings.FRONTEND_URL}/orders?payment=pending"
    paystack.pay(reference)

    response = client.get(f"/paystack/callback/?trxref={reference}&reference={reference}")

    first = min(order.pk for order in placed.orders)
    assert response["Location"] == f"{settings.FRONTEND_URL}/order-success/{first}"
    placed.checkout.refresh_from_db()
    assert placed.checkout.payment_status == CheckoutPaymentStatus.PAID
    assert [c["path"] for c in paystack.calls[1:]] == [
        f"/transaction/verify/{reference}"
    ] * 2


def test_verify_endpoint_for_the_buyer_only(jwt_client, customer, other_customer, paystack, cart):
    checkout = checkout_place(buyer=customer).checkout
    paystack.pay(checkout.paystack_reference)
    url = f"/paystack/verify/{checkout.paystack_reference}/"

    response = jwt_client(other_customer).get(url)
    assert response.status_code == 404
    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.AWAITING

    response = jwt_client(customer).get(url)
    assert (response.status_code, response.json()["status"]) == (200, "paid")


def test_paystack_init_returns_the_page_of_an_unpaid_checkout(
    jwt_client, customer, other_customer, paystack, cart
):
    checkout = checkout_place(buyer=customer).checkout
    body = {"email": "x@y.z", "amount": 1, "shipping_address_id": "1",
            "checkout_id": str(checkout.pk), "payment_method": "card"}

    response = jwt_client(customer).post("/paystack/init/", body, format="json")

    assert response.status_code == 200
    data = response.json()
    assert data["authorization_url"] == data["paystack_url"] == checkout.paystack_url
    assert (data["reference"], data["total_amount"]) == (checkout.paystack_reference, 230.0)
    assert len(paystack.calls) == 1  # no second transaction
    response = jwt_client(other_customer).post("/paystack/init/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "checkout_unknown")


def test_paystack_init_without_paystack_is_refused(jwt_client, customer):
    response = jwt_client(customer).post("/paystack/init/", {"checkout_id": "1"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "paystack_not_configured")


def test_an_unpaid_checkout_past_its_time_returns_its_stock(
    client, customer, paystack, cart, phone, shirt_m
):
    placed = checkout_place(buyer=customer)
    checkout = placed.checkout
    assert checkouts_expire_due() == 0  # not due yet: nothing happens
    Checkout.objects.filter(pk=checkout.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert checkouts_expire_due_task() == 1

    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.EXPIRED
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (10, 5)
    returned = StockMovement.objects.filter(reason=StockReason.RETURN)
    assert sorted(returned.values_list("delta", flat=True)) == [1, 2]
    assert_ledger_agrees(phone, shirt_m.product)
    # It asked Paystack first (the webhook may have been lost), then expired.
    assert paystack.calls[-1]["path"] == f"/transaction/verify/{checkout.paystack_reference}"
    assert checkouts_expire_due() == 0  # once
    # Paid after all, too late: staff see a refund is due; the orders stay cancelled.
    paystack.pay(checkout.paystack_reference)
    body = charge_success(checkout.paystack_reference, 23000)
    assert post_webhook(client, body, paystack_signature(body)).status_code == 200
    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.REFUND_DUE
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CANCELLED}


def test_the_sweep_records_a_payment_whose_webhook_was_lost(customer, paystack, cart, phone):
    checkout = checkout_place(buyer=customer).checkout
    paystack.pay(checkout.paystack_reference)
    Checkout.objects.filter(pk=checkout.pk).update(expires_at=timezone.now() - timedelta(1))

    assert checkouts_expire_due() == 0

    checkout.refresh_from_db()
    assert checkout.payment_status == CheckoutPaymentStatus.PAID
    assert stock_of(phone.variations.get()) == 8
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.PENDING}
