"""The buyer's orders as the storefront reads them (docs/api.md#orders): ``GET /orders``
(envelope, status labels, a pinned query count), ``GET /orders/<id>/``, cancel,
mark-delivered, track; another buyer's order answers 404 and stays as it was."""

import pytest

from catalog.services import product_image_add
from catalog.tests.conftest import image_file
from orders.models import OrderStatus, OrderStatusChange
from orders.services import checkout_place, order_lines_ship, order_status_change
from orders.tests.helpers import line, place, public_product, stock_of
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db

ORDER_KEYS = {
    "id", "order_no", "status", "status_code", "total_price", "subtotal", "tax", "shipping_cost",
    "discount_amount", "estimated_delivery_date", "payment_status", "payment_method",
    "payment_reference", "tracking_number", "shipping_address", "shipping_method", "coupon",
    "escrow", "checkout_id", "refund_due", "refund_due_at", "items", "created_at", "updated_at",
}


@pytest.fixture
def checked_out(customer, phone, shirt_m, buyer_address, standard_shipping):
    """A pay-on-delivery checkout: phone x2 (maker A), shirt M x1 (maker B), the paid
    "Standard" shipping named (10.00, split)."""
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    cart_item_add(user=customer, product_id=shirt_m.product_id, quantity=1,
                  variation_id=shirt_m.pk)
    placed = checkout_place(buyer=customer, shipping_method_id=standard_shipping.pk)
    return {o.items.get().product_name: o for o in placed.orders}


def test_orders_list_is_an_envelope_of_storefront_orders(jwt_client, customer, checked_out):
    response = jwt_client(customer).get("/orders")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert (data["count"], data["next"], data["previous"]) == (2, None, None)
    assert {o["id"] for o in data["results"]} == {o.pk for o in checked_out.values()}
    phone_order = next(o for o in data["results"] if o["id"] == checked_out["Phone"].pk)
    assert set(phone_order) == ORDER_KEYS
    assert phone_order["status"] == "Awaiting Confirmation"
    assert phone_order["order_no"] == checked_out["Phone"].number
    assert (phone_order["total_price"], phone_order["subtotal"], phone_order["shipping_cost"],
            phone_order["discount_amount"], phone_order["tax"]) == (205.0, 200.0, 5.0, 0.0, 0.0)
    assert phone_order["payment_status"] == "Pending"
    assert phone_order["shipping_method"]["name"] == "Standard"
    assert phone_order["estimated_delivery_date"] is not None
    item = phone_order["items"][0]
    assert (item["quantity"], item["price_at_purchase"], item["variant"]) == (
        2, 100.0, {"size": "", "color": ""}
    )
    assert item["product"]["name"] == "Phone"
    assert isinstance(item["product"]["images_data"], list)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Awaiting+Confirmation", {"Shirt"}),
        ("awaiting confirmation", {"Shirt"}),
        ("Processing", {"Phone"}),
        ("Shipped", set()),
        ("Delivered", set()),
        ("Cancelled", set()),
        ("", {"Phone", "Shirt"}),
    ],
)
def test_orders_filter_by_the_storefront_labels(
    jwt_client, customer, staff_user, checked_out, query, expected
):
    order_status_change(order=checked_out["Phone"], to=OrderStatus.PROCESSING, actor=staff_user)
    response = jwt_client(customer).get(f"/orders?status={query}")
    assert response.status_code == 200
    names = {o["items"][0]["product_name"] for o in response.json()["results"]}
    assert names == expected


def test_an_unknown_status_is_a_400(jwt_client, customer, checked_out):
    response = jwt_client(customer).get("/orders?status=Lost")
    assert response.status_code == 400
    assert "Awaiting Confirmation" in response.json()["detail"]


def test_order_detail_has_images_with_a_flat_image_and_a_shipping_address(
    jwt_client, customer, staff_user, phone, checked_out
):
    product_image_add(product=phone, file=image_file(size=(300, 200)), actor=staff_user)
    order = checked_out["Phone"]

    response = jwt_client(customer).get(f"/orders/{order.pk}/")

    assert response.status_code == 200
    data = response.json()
    image = data["items"][0]["product"]["images_data"][0]
    assert image["image"].startswith("http://testserver/")
    assert image["image"] == image["image_urls"]["original"]
    assert data["shipping_address"] == {
        "full_name": "Ama Mensah",
        "phone": "+233201234567",
        "address": "12 Oxford Street",
        "city": "Accra",
        "state": "Greater Accra",
        "country": "GH",
        "postal_code": "00233",
    }
    for money in ("subtotal", "discount_amount", "shipping_cost", "total_price"):
        assert isinstance(data[money], float), money


def test_another_buyers_order_is_unknown_and_unchanged(
    jwt_client, other_customer, checked_out
):
    order = checked_out["Phone"]
    client = jwt_client(other_customer)
    for method, suffix in [("get", ""), ("get", "track/"), ("post", "cancel/"),
                           ("post", "mark-delivered/")]:
        response = getattr(client, method)(f"/orders/{order.pk}/{suffix}")
        assert response.status_code == 404, suffix
        assert response["Content-Type"] == "application/json"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not OrderStatusChange.objects.exists()
    assert client.get("/orders").json()["count"] == 0


def test_cancel_returns_the_whole_order_and_the_stock(jwt_client, customer, phone, checked_out):
    order = checked_out["Phone"]
    response = jwt_client(customer).post(f"/orders/{order.pk}/cancel/")

    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["status"]) == (order.pk, "Cancelled")
    assert set(data) == ORDER_KEYS
    assert stock_of(phone.variations.get()) == 10


def test_cancel_works_while_processing_and_is_refused_once_shipped(
    jwt_client, customer, staff_user, manufacturer_a, phone, shirt_m, checked_out
):
    client = jwt_client(customer)
    shirt_order = order_status_change(
        order=checked_out["Shirt"], to=OrderStatus.PROCESSING, actor=staff_user
    )
    response = client.post(f"/orders/{shirt_order.pk}/cancel")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["refund_due"]) == ("Cancelled", 0.0)
    assert stock_of(shirt_m) == 5

    order = order_status_change(
        order=checked_out["Phone"], to=OrderStatus.PROCESSING, actor=staff_user
    )
    order_lines_ship(order=order, actor=manufacturer_a)
    before = (OrderStatusChange.objects.count(), stock_of(phone.variations.get()))
    response = client.post(f"/orders/{order.pk}/cancel/")
    assert (response.status_code, response.json()["code"]) == (409, "not_cancellable")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert (OrderStatusChange.objects.count(), stock_of(phone.variations.get())) == before


def test_mark_delivered_and_track(jwt_client, customer, staff_user, manufacturer_a, checked_out):
    order = checked_out["Phone"]
    client = jwt_client(customer)
    # Not shipped yet: refused, nothing changes.
    response = client.post(f"/orders/{order.pk}/mark-delivered/")
    assert (response.status_code, response.json()["code"]) == (409, "not_deliverable")
    order_status_change(order=order, to=OrderStatus.PROCESSING, actor=staff_user)
    order_lines_ship(order=order, actor=manufacturer_a, tracking_number="GH-TRACK-42")

    response = client.post(f"/orders/{order.pk}/mark-delivered/")

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["tracking_number"]) == ("Delivered", "GH-TRACK-42")
    track = client.get(f"/orders/{order.pk}/track/").json()
    assert track["tracking_number"] == "GH-TRACK-42"
    assert [(e["status"], e["note"]) for e in track["history"]] == [
        ("Awaiting Confirmation", "Order placed"),
        ("Processing", ""),
        ("Shipped", "All lines shipped"),
        ("Delivered", "Delivery confirmed by the buyer"),
    ]
    # Confirming again changes nothing.
    assert client.post(f"/orders/{order.pk}/mark-delivered/").status_code == 200
    assert OrderStatusChange.objects.filter(order=order).count() == 3


def test_orders_list_costs_the_same_queries_at_any_length(
    jwt_client, customer, manufacturer_a, manufacturer_b, staff_user, django_assert_num_queries
):
    products = [
        public_product(maker, approver=staff_user, name=f"P{i}", stock=50)
        for i, maker in enumerate([manufacturer_a, manufacturer_b] * 3)
    ]
    client = jwt_client(customer)
    place(customer, line(products[0]))
    # JWT user, count, page, lines, products (+ images, variations, reviews), ancestors.
    with django_assert_num_queries(9):
        assert client.get("/orders").json()["count"] == 1
    for product in products[1:]:
        place(customer, line(product, 2), line(products[0]))
    with django_assert_num_queries(9):
        assert client.get("/orders").json()["count"] == 6


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/orders"),
        ("get", "/orders/"),
        ("get", "/orders/1/"),
        ("post", "/orders/1/cancel/"),
        ("post", "/orders/1/mark-delivered/"),
        ("get", "/orders/1/track/"),
    ],
)
def test_order_calls_need_a_token(client, method, url):
    response = getattr(client, method)(url, content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_the_old_rest_orders_route_still_answers(jwt_client, customer, checked_out):
    response = jwt_client(customer).get("/api/orders/")
    assert response.status_code == 200
    assert response.json()["count"] == 2
