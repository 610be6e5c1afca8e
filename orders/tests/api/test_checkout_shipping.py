"""Shipping is never charged unless the buyer was shown it. The storefront names no method and
shows shipping as free: checkout and its review then use the default method (free), so the
total is the goods; a paid method is charged only when named; without a default, nothing is
charged. The review and the checkout agree, with and without Paystack."""

from decimal import Decimal

import pytest

from orders.models import Checkout, Order
from orders.services import checkout_place, checkout_quote
from shopping.models import CartItem, ShippingMethod
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db

GOODS = 230.0  # 2 phones at 100.00, a shirt at 40.00 - 25 %


@pytest.fixture
def cart(customer, phone, shirt_m, buyer_address):
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    cart_item_add(user=customer, product_id=shirt_m.product_id, quantity=1,
                  variation_id=shirt_m.pk)


@pytest.fixture
def paid_methods(standard_shipping):
    """Two paid methods beside the install's free default: "Standard" (10.00, cheaper than
    any the old rule would have picked) and "Express" (25.00)."""
    express = ShippingMethod.objects.create(name="Express", cost=Decimal("25.00"), estimated_days=1)
    return {"standard": standard_shipping, "express": express}


def amounts(data: dict) -> tuple:
    return (data["subtotal"], data["shipping_cost"], data["total_amount"])


def test_no_method_named_uses_the_free_default_and_the_review_agrees(
    jwt_client, customer, cart, paid_methods
):
    client = jwt_client(customer)
    review = client.get("/checkout/review/").json()

    assert review["shipping_method"]["name"] == "Standard delivery"
    assert review["shipping_method"]["is_default"] is True
    assert (review["subtotal"], review["shipping_cost"], review["total"]) == (GOODS, 0.0, GOODS)

    response = client.post("/checkout/", {"shipping_address": ""}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["shipping_cost"], data["total_amount"]) == (0.0, review["total"])
    checkout = Checkout.objects.get()
    assert (checkout.shipping_method.is_default, checkout.shipping_method_name) == (
        True, "Standard delivery"
    )
    assert set(Order.objects.values_list("shipping_cost", flat=True)) == {Decimal("0.00")}


def test_a_named_paid_method_is_charged_as_the_quote_says(
    jwt_client, customer, cart, paid_methods
):
    express = paid_methods["express"]
    quote = checkout_quote(user=customer, shipping_method_id=str(express.pk))

    response = jwt_client(customer).post(
        "/checkout/", {"shipping_method": str(express.pk)}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert amounts(response.json()) == (240.0, 25.0, GOODS + 25)
    checkout = Checkout.objects.get()
    assert (checkout.shipping_cost, checkout.total_amount) == (quote.shipping_cost, quote.total)
    assert sorted(Order.objects.values_list("shipping_cost", flat=True)) == [
        Decimal("12.50"), Decimal("12.50")
    ]


def test_an_inactive_method_named_is_refused_and_nothing_changes(
    jwt_client, customer, cart, paid_methods
):
    express = paid_methods["express"]
    ShippingMethod.objects.filter(pk=express.pk).update(is_active=False)
    before = sorted(CartItem.objects.values_list("pk", "quantity"))

    response = jwt_client(customer).post(
        "/checkout/", {"shipping_method": express.pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "shipping_method_unknown")
    assert not Checkout.objects.exists() and not Order.objects.exists()
    assert sorted(CartItem.objects.values_list("pk", "quantity")) == before


def test_without_a_default_nothing_is_charged_rather_than_a_paid_method(
    jwt_client, customer, cart, paid_methods
):
    ShippingMethod.objects.update(is_default=False)
    client = jwt_client(customer)
    review = client.get("/checkout/review/").json()
    assert review["shipping_method"] is None
    assert (review["shipping_cost"], review["total"]) == (0.0, GOODS)
    assert len(review["available_shipping_methods"]) == 3  # still offered, by name

    data = client.post("/checkout/", {}, format="json").json()

    assert (data["shipping_cost"], data["total_amount"]) == (0.0, GOODS)
    checkout = Checkout.objects.get()
    assert (checkout.shipping_method, checkout.shipping_method_name) == (None, "")


def test_paystack_is_asked_for_the_goods_only_when_no_method_is_named(
    jwt_client, customer, cart, paid_methods, paystack
):
    review = jwt_client(customer).get("/checkout/review/").json()
    placed = checkout_place(buyer=customer)

    [call] = paystack.calls
    assert call["payload"]["amount"] == int(GOODS * 100) == int(review["total"] * 100)
    assert placed.checkout.total_amount == Decimal("230.00")
