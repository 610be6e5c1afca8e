"""Checkout without Paystack (pay on delivery): the review, the address choice and
``POST /checkout/``: one order per manufacturer, all or nothing, the checked lines leave the
cart, shipping split evenly (the shapes of docs/api.md#checkout)."""

from decimal import Decimal

import pytest

from catalog.models import StockMovement, StockReason
from orders.models import Checkout, CheckoutAddressChoice, Order, PaymentMethod
from orders.services import checkout_place, checkout_quote
from orders.tests.helpers import checkout_snapshot as snapshot
from orders.tests.helpers import stock_of
from shopping.models import CartItem, ShippingMethod
from shopping.services import cart_item_add, cart_item_checked_set, shipping_address_create

pytestmark = pytest.mark.django_db




@pytest.fixture
def cart(customer, phone, shirt_m, shirt_l):
    """Two phones (maker A, 100.00), one shirt M (maker B, 40.00 - 25%) checked, and one
    shirt L unchecked."""
    phones, _ = cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    shirt, _ = cart_item_add(
        user=customer, product_id=shirt_m.product_id, quantity=1, variation_id=shirt_m.pk
    )
    spare, _ = cart_item_add(
        user=customer, product_id=shirt_l.product_id, quantity=1, variation_id=shirt_l.pk
    )
    cart_item_checked_set(user=customer, item_id=spare.pk, checked=False)
    return {"phones": phones, "shirt": shirt, "spare": spare}


@pytest.mark.parametrize("url", ["/checkout/", "/checkout"])
def test_checkout_places_one_order_per_manufacturer_paid_on_delivery(
    jwt_client, customer, manufacturer_a, manufacturer_b, phone, shirt_m, shirt_l, cart,
    buyer_address, standard_shipping, url,
):
    # The paid method named (as a client may): charged once, split between the orders.
    response = jwt_client(customer).post(
        url,
        {"shipping_address": str(buyer_address.pk), "shipping_method": str(standard_shipping.pk)},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response["Content-Type"] == "application/json"
    data = response.json()
    checkout = Checkout.objects.get()
    orders = list(Order.objects.order_by("pk"))
    assert data == {
        "checkout_id": checkout.pk,
        "order_ids": [order.pk for order in orders],
        "subtotal": 240.0,  # 2 x 100 + 40
        "shipping_cost": 10.0,
        "discount_total": 10.0,  # 25 % of the shirt
        "total_amount": 240.0,
        "status": "on_delivery",
        "payment_method": "on_delivery",
        "paystack_reference": None,
        "paystack_url": None,
        "expires_at": None,
        "detail": "Order placed: pay on delivery.",
    }
    # One order per manufacturer, each with its own lines and half the shipping.
    by_seller = {o.items.get().manufacturer_id: o for o in orders}
    assert set(by_seller) == {manufacturer_a.pk, manufacturer_b.pk}
    phone_order, shirt_order = by_seller[manufacturer_a.pk], by_seller[manufacturer_b.pk]
    assert (phone_order.subtotal, phone_order.shipping_cost, phone_order.total) == (
        Decimal("200.00"), Decimal("5.00"), Decimal("205.00")
    )
    assert (shirt_order.subtotal, shirt_order.discount, shirt_order.total) == (
        Decimal("40.00"), Decimal("10.00"), Decimal("35.00")
    )
    for order in orders:
        assert order.checkout_id == checkout.pk
        assert (order.status, order.payment_method) == ("pending", PaymentMethod.CASH)
        assert (order.shipping_name, order.shipping_city, order.shipping_country) == (
            "Ama Mensah", "Accra", "GH"
        )
    # The stock went through the ledger; the checked lines left the cart, the other stayed.
    assert stock_of(phone.variations.get()) == 8
    assert stock_of(shirt_m) == 4
    assert sorted(
        StockMovement.objects.filter(reason=StockReason.ORDER).values_list("delta", flat=True)
    ) == [-2, -1]
    assert list(CartItem.objects.values_list("pk", flat=True)) == [cart["spare"].pk]
    assert (checkout.shipping_method_name, checkout.shipping_estimated_days) == ("Standard", 3)


def test_a_short_line_orders_nothing_and_names_every_short_line(
    jwt_client, customer, phone, shirt_m, cart, buyer_address, standard_shipping
):
    # Both manufacturers' lines are short now (the cart holds no stock).
    CartItem.objects.filter(pk=cart["phones"].pk).update(quantity=11)
    CartItem.objects.filter(pk=cart["shirt"].pk).update(quantity=6)
    before = snapshot()

    response = jwt_client(customer).post("/checkout/", {}, format="json")

    assert response.status_code == 409, response.json()
    data = response.json()
    assert data["code"] == "insufficient_stock"
    assert "Nothing was ordered" in data["detail"]
    named = {(line["cart_item"], line["requested"], line["available"]) for line in data["lines"]}
    assert named == {(cart["phones"].pk, 11, 10), (cart["shirt"].pk, 6, 5)}
    assert snapshot() == before
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (10, 5)


def test_refusals_before_placing(jwt_client, customer, other_customer, cart, standard_shipping):
    client = jwt_client(customer)
    # No address yet.
    response = client.post("/checkout/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "address_required")
    # Another buyer's address.
    theirs = shipping_address_create(
        user=other_customer, full_name="Kofi", phone="1", address="x", city="Kumasi"
    )
    before = snapshot()
    response = client.post("/checkout/", {"shipping_address": str(theirs.pk)}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "address_unknown")
    assert snapshot() == before
    # An unknown shipping method.
    mine = shipping_address_create(
        user=customer, full_name="Ama", phone="1", address="y", city="Accra"
    )
    before = snapshot()
    response = client.post(
        "/checkout/", {"shipping_address": mine.pk, "shipping_method": "999"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "shipping_method_unknown")
    assert snapshot() == before
    # Nothing checked.
    CartItem.objects.update(checked=False)
    before = snapshot()
    response = client.post("/checkout/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "empty_cart")
    assert response["Content-Type"] == "application/json"
    assert snapshot() == before


def test_review_lists_checked_lines_addresses_methods_and_a_string_default(
    jwt_client, customer, cart, buyer_address, standard_shipping, shirt_m
):
    response = jwt_client(customer).get("/checkout/review/")

    assert response.status_code == 200
    data = response.json()
    assert [item["id"] for item in data["items"]] == [cart["phones"].pk, cart["shirt"].pk]
    shirt = data["items"][1]
    assert shirt["product_name"] == "Shirt"
    assert shirt["variation_display"] == "M"
    assert shirt["discount_amount"] == "10.00"
    assert (shirt["subtotal"], shirt["quantity"], shirt["checked"]) == (30.0, 1, True)
    assert isinstance(shirt["formatted_subtotal"], str)
    assert shirt["product"]["description"] is not None
    assert "product_image" in shirt
    assert shirt["variation"]["id"] == shirt_m.pk
    assert [a["id"] for a in data["available_addresses"]] == [buyer_address.pk]
    assert data["available_addresses"][0]["full_name"] == "Ama Mensah"
    default = ShippingMethod.objects.get(is_default=True)  # the install's free method
    assert data["available_shipping_methods"] == [
        {"id": default.pk, "name": "Standard delivery", "cost": 0.0, "estimated_days": 5,
         "description": "Included in the price", "is_default": True},
        {"id": standard_shipping.pk, "name": "Standard", "cost": 10.0, "estimated_days": 3,
         "description": "", "is_default": False},
    ]
    assert data["shipping_method"] == data["available_shipping_methods"][0]
    assert data["saved_cards"] == []
    assert data["default_address_id"] == str(buyer_address.pk)
    assert (data["subtotal"], data["shipping_cost"], data["total"]) == (230.0, 0.0, 230.0)
    assert data["payment_method"] == "on_delivery"


def test_the_quote_is_what_the_review_shows_and_checkout_takes(
    jwt_client, customer, cart, buyer_address, standard_shipping
):
    express = ShippingMethod.objects.create(
        name="Express", cost=Decimal("25.00"), estimated_days=1
    )

    default = checkout_quote(user=customer)
    quote = checkout_quote(user=customer, shipping_method_id=str(express.pk))

    # None named: the default method (free), never the paid one.
    assert default.shipping_method == ShippingMethod.objects.get(is_default=True)
    assert default.shipping_cost == Decimal("0.00")
    assert [line.item.pk for line in quote.lines] == [cart["phones"].pk, cart["shirt"].pk]
    assert (quote.subtotal, quote.discount, quote.shipping_cost, quote.total) == (
        Decimal("240.00"), Decimal("10.00"), Decimal("25.00"), Decimal("255.00")
    )
    review = jwt_client(customer).get("/checkout/review/").json()
    assert (review["subtotal"], review["shipping_cost"], review["total"]) == (
        float(default.lines_total), float(default.shipping_cost), float(default.total)
    )
    checkout = checkout_place(buyer=customer, shipping_method_id=express.pk).checkout
    assert (
        checkout.subtotal, checkout.discount_total, checkout.shipping_cost, checkout.total_amount
    ) == (quote.subtotal, quote.discount, quote.shipping_cost, quote.total)




def test_the_chosen_address_is_the_one_checkout_ships_to(
    jwt_client, customer, other_customer, cart, buyer_address, standard_shipping
):
    office = shipping_address_create(
        user=customer, full_name="Ama at work", phone="2", address="Ring Road", city="Tema"
    )
    theirs = shipping_address_create(
        user=other_customer, full_name="Kofi", phone="1", address="x", city="Kumasi"
    )
    client = jwt_client(customer)

    response = client.patch(
        "/select/shipping-address/", {"shipping_address": str(office.pk)}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["shipping_address"]["id"] == office.pk
    assert client.get("/checkout/review/").json()["default_address_id"] == str(office.pk)

    response = client.patch(
        "/select/shipping-address", {"shipping_address": str(theirs.pk)}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "address_unknown")
    assert CheckoutAddressChoice.objects.get().shipping_address_id == office.pk

    assert client.post("/checkout/", {}, format="json").status_code == 201
    assert set(Order.objects.values_list("shipping_city", flat=True)) == {"Tema"}
    assert not CheckoutAddressChoice.objects.exists()  # used up


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/checkout/review/"),
        ("patch", "/select/shipping-address/"),
        ("post", "/checkout/"),
        ("post", "/paystack/init/"),
        ("get", "/paystack/verify/MTCK-1/"),
    ],
)
def test_checkout_calls_need_a_token(client, method, url):
    response = getattr(client, method)(url, content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
