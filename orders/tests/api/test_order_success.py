"""``GET /orders/<id>/success/``: the order's confirmation for its buyer, as the storefront's
order-success page reads it, with the other orders of a checkout split between manufacturers;
404 (JSON) for another buyer, staff included, and for unknown ids; a pinned query count."""

import pytest

from orders.services import checkout_place
from orders.tests.helpers import line, place, public_product
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db

KEYS = {
    "order_id", "order_no", "status", "status_code", "order_date", "delivery_date", "name",
    "phone", "address", "shipping_address", "seller", "items", "subtotal", "discount",
    "shipping_fee", "total", "shipping_method", "payment_method", "payment_status",
    "payment_reference", "card_last4", "card_type", "checkout", "other_orders",
}


@pytest.fixture
def placed(customer, phone, shirt_m, buyer_address, standard_shipping):
    """A split checkout, paid on delivery, the paid "Standard" method (10.00) named: phone x2
    (Maker A), shirt M x1 (Maker B)."""
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    cart_item_add(user=customer, product_id=shirt_m.product_id, quantity=1,
                  variation_id=shirt_m.pk)
    placed = checkout_place(buyer=customer, shipping_method_id=standard_shipping.pk)
    return placed.checkout, {o.items.get().product_name: o for o in placed.orders}


def test_the_buyer_reads_the_confirmation_of_a_split_checkout(jwt_client, customer, placed):
    checkout, orders = placed
    phone_order, shirt_order = orders["Phone"], orders["Shirt"]

    response = jwt_client(customer).get(f"/orders/{phone_order.pk}/success/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == KEYS
    assert (data["order_id"], data["order_no"], data["status"], data["status_code"]) == (
        phone_order.pk, phone_order.number, "Awaiting Confirmation", "pending"
    )
    assert (data["name"], data["phone"]) == ("Ama Mensah", "+233201234567")
    assert data["address"] == "12 Oxford Street, Accra, Greater Accra, 00233, GH"
    assert data["shipping_address"]["city"] == "Accra"
    assert data["seller"] == "Maker A"
    assert (data["subtotal"], data["discount"], data["shipping_fee"], data["total"]) == (
        200.0, 0.0, 5.0, 205.0
    )
    assert data["shipping_method"]["name"] == "Standard"
    assert data["delivery_date"] is not None and data["order_date"] is not None
    assert (data["payment_method"], data["payment_status"], data["payment_reference"]) == (
        "CASH", "Pending", None
    )
    assert (data["card_last4"], data["card_type"]) == (None, None)
    [item] = data["items"]
    assert (item["product_name"], item["quantity"], item["price_at_purchase"]) == (
        "Phone", 2, 100.0
    )
    assert isinstance(item["product"]["images_data"], list)
    assert data["checkout"] == {
        "checkout_id": checkout.pk, "order_count": 2, "subtotal": 240.0,
        "discount_total": 10.0, "shipping_cost": 10.0, "total_amount": 240.0,
        "status": "on_delivery",
    }
    assert data["other_orders"] == [
        {"order_id": shirt_order.pk, "order_no": shirt_order.number,
         "status": "Awaiting Confirmation", "status_code": "pending", "seller": "Maker B",
         "items_count": 1, "total": 35.0}
    ]
    # With and without the trailing slash; from the other order, this one is the other.
    other = jwt_client(customer).get(f"/orders/{shirt_order.pk}/success").json()
    assert [o["order_id"] for o in other["other_orders"]] == [phone_order.pk]


def test_an_order_placed_without_a_checkout_has_no_other_orders(jwt_client, customer, phone):
    order = place(customer, line(phone, 1))
    data = jwt_client(customer).get(f"/orders/{order.pk}/success/").json()
    assert (data["order_id"], data["checkout"], data["other_orders"]) == (order.pk, None, [])
    assert data["seller"] == "Maker A"


@pytest.mark.parametrize("who", ["other_customer", "staff_user"])
def test_anyone_else_or_an_unknown_id_gets_a_json_404(request, jwt_client, placed, who):
    _, orders = placed
    client = jwt_client(request.getfixturevalue(who))
    for url in (f"/orders/{orders['Phone'].pk}/success/", "/orders/999999/success/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()


def test_the_confirmation_needs_a_token(client, placed):
    _, orders = placed
    response = client.get(f"/orders/{orders['Phone'].pk}/success/")
    assert response.status_code == 401


def test_the_confirmation_costs_the_same_queries_whatever_the_checkout(
    jwt_client, customer, manufacturer_a, manufacturer_b, staff_user, buyer_address,
    django_assert_num_queries,
):
    products = [
        public_product(maker, approver=staff_user, name=f"P{i}", stock=50)
        for i, maker in enumerate([manufacturer_a, manufacturer_b] * 3)
    ]
    client = jwt_client(customer)
    cart_item_add(user=customer, product_id=products[0].pk, quantity=1)
    small = checkout_place(buyer=customer).orders[0]
    for product in products:
        cart_item_add(user=customer, product_id=product.pk, quantity=2)
    big = checkout_place(buyer=customer).orders[0]
    # JWT user; the order with its checkout; its lines; the products (+ images, variations,
    # reviews) and their categories' ancestors; the checkout's other orders; their sellers.
    with django_assert_num_queries(10):
        assert client.get(f"/orders/{small.pk}/success/").json()["other_orders"] == []
    with django_assert_num_queries(10):
        data = client.get(f"/orders/{big.pk}/success/").json()
    assert (len(data["items"]), len(data["other_orders"])) == (3, 1)
