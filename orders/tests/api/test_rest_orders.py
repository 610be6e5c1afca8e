"""The order API: placing, reading (own orders only), staff status changes, cancelling."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import StockMovement, StockReason
from orders.models import Order, OrderStatusChange
from orders.services import order_status_change
from orders.tests.helpers import line, place, public_product, stock_of

pytestmark = pytest.mark.django_db

ORDERS = "/api/orders/"


def detail_url(order) -> str:
    return f"/api/orders/{order.pk}/"


def body(*lines, payment_method="CASH", **extra) -> dict:
    return {"products": list(lines), "payment_method": payment_method, **extra}


def counts() -> tuple[int, int, list]:
    return (
        Order.objects.count(),
        StockMovement.objects.count(),
        sorted(Order.objects.values_list("pk", "status")),
    )


# --- Placing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ORDERS, "/api/orders"])
def test_place_an_order(jwt_client, customer, phone, shirt, shirt_m, url):
    response = jwt_client(customer).post(
        url,
        body(
            {"product": str(phone.pk), "quantity": 2},
            {"product": str(shirt.pk), "variation": shirt_m.pk, "quantity": 1},
            payment_method="CARD",
            shipping_name="Kofi",
            shipping_phone="+233201234567",
            shipping_address="1 High St",
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    order = Order.objects.get()
    assert data["id"] == order.pk
    assert data["number"] == order.number
    assert (data["status"], data["payment_method"], data["buyer"]) == ("pending", "CARD",
                                                                       customer.pk)
    assert (data["subtotal"], data["discount"], data["total"]) == ("240.00", "10.00", "230.00")
    assert (data["shipping_name"], data["shipping_phone"], data["shipping_address"]) == (
        "Kofi",
        "+233201234567",
        "1 High St",
    )
    assert [
        (i["product"], i["variation"], i["manufacturer"], i["product_name"], i["variation_label"],
         i["quantity"], i["unit_price"], i["unit_discount"], i["unit_price_paid"], i["line_total"],
         i["shipped_at"])
        for i in data["items"]
    ] == [
        (str(phone.pk), phone.variations.get().pk, phone.manufacturer_id, "Phone", "", 2,
         "100.00", "0.00", "100.00", "200.00", None),
        (str(shirt.pk), shirt_m.pk, shirt.manufacturer_id, "Shirt", "M", 1,
         "40.00", "10.00", "30.00", "30.00", None),
    ]
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (8, 4)


def test_placing_needs_a_signed_in_user(api_client, phone):
    response = api_client.post(ORDERS, body({"product": str(phone.pk), "quantity": 1}),
                               format="json")

    assert response.status_code == 401
    assert (Order.objects.count(), stock_of(phone.variations.get())) == (0, 10)


def test_a_product_with_sizes_without_a_variation_is_a_400_naming_the_line(
    jwt_client, customer, phone, shirt
):
    before = counts()

    response = jwt_client(customer).post(
        ORDERS,
        body({"product": str(phone.pk), "quantity": 1}, {"product": str(shirt.pk), "quantity": 1}),
        format="json",
    )

    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "variation_required"
    assert data["detail"].startswith("products[1]: “Shirt” comes in several sizes or colours")
    assert [(ref["index"], ref["product"], ref["variation"], ref["code"])
            for ref in data["lines"]] == [(1, str(shirt.pk), None, "variation_required")]
    assert counts() == before
    assert stock_of(phone.variations.get()) == 10


@pytest.mark.parametrize(
    "lines, detail",
    [
        ([], "products: This list may not be empty."),
        ([{"product": "not-a-uuid", "quantity": 1}], "products[0].product: Must be a valid UUID."),
        (
            [{"product": str(uuid.uuid4()), "quantity": 1}, {"product": str(uuid.uuid4())}],
            "products[1].quantity: This field is required.",
        ),
        (
            [{"product": str(uuid.uuid4()), "quantity": 0}],
            "products[0].quantity: Ensure this value is greater than or equal to 1.",
        ),
    ],
)
def test_malformed_lines_are_a_400_naming_the_line(jwt_client, customer, phone, lines, detail):
    response = jwt_client(customer).post(ORDERS, body(*lines), format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == detail
    assert Order.objects.count() == 0


def test_an_unknown_payment_method_is_a_400(jwt_client, customer, phone):
    response = jwt_client(customer).post(
        ORDERS, body({"product": str(phone.pk), "quantity": 1}, payment_method="GOLD"),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == 'payment_method: "GOLD" is not a valid choice.'
    assert Order.objects.count() == 0


def test_short_lines_are_a_409_naming_them_and_nothing_changes(
    jwt_client, customer, phone, shirt, shirt_l
):
    before = counts()

    response = jwt_client(customer).post(
        ORDERS,
        body(
            {"product": str(phone.pk), "quantity": 1},
            {"product": str(shirt.pk), "variation": shirt_l.pk, "quantity": 3},
        ),
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Not enough stock for Shirt / L: 3 requested, 2 available. Nothing was ordered.",
        "code": "insufficient_stock",
        "lines": [
            {
                "index": 1,
                "product": str(shirt.pk),
                "variation": shirt_l.pk,
                "product_name": "Shirt",
                "variation_label": "L",
                "requested": 3,
                "available": 2,
            }
        ],
    }
    assert counts() == before
    assert (stock_of(phone.variations.get()), stock_of(shirt_l)) == (10, 2)


# --- Reading ---------------------------------------------------------------------------------


def test_a_buyer_lists_only_their_own_orders(jwt_client, customer, other_customer, phone):
    mine = [place(customer, line(phone)) for _ in range(2)]
    place(other_customer, line(phone))

    response = jwt_client(customer).get(ORDERS)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [o["id"] for o in data["results"]] == [o.pk for o in reversed(mine)]


def test_staff_list_every_order_and_filter_by_status(jwt_client, staff_user, customer,
                                                    other_customer, phone):
    first = place(customer, line(phone))
    second = place(other_customer, line(phone))
    order_status_change(order=second, to="processing", actor=staff_user)
    client = jwt_client(staff_user)

    assert [o["id"] for o in client.get(ORDERS).json()["results"]] == [second.pk, first.pk]
    assert [o["id"] for o in client.get(ORDERS, {"status": "processing"}).json()["results"]] == [
        second.pk
    ]


def test_a_manufacturer_lists_their_purchases_not_their_sales(
    jwt_client, customer, manufacturer_a, phone
):
    place(customer, line(phone))  # a sale of manufacturer A

    assert jwt_client(manufacturer_a).get(ORDERS).json()["count"] == 0


def test_the_list_is_paginated(jwt_client, customer, phone):
    for _ in range(3):
        place(customer, line(phone))

    data = jwt_client(customer).get(ORDERS, {"page_size": 2}).json()

    assert (data["count"], len(data["results"]), data["next"] is not None) == (3, 2, True)


def test_list_query_count_does_not_grow_with_the_page(
    jwt_client, staff_user, customer, manufacturer_a, manufacturer_b
):
    plain = public_product(manufacturer_a, approver=staff_user, stock=100)
    sized = public_product(manufacturer_b, approver=staff_user, variations=[{"size": "S",
                                                                             "stock": 100}])
    client = jwt_client(customer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ORDERS).status_code == 200
        return len(captured)

    place(customer, line(plain))
    few = queries()
    for _ in range(12):
        place(customer, line(plain), line(sized, 2, sized.variations.get()))
    many = queries()

    # user, count, page of orders, their lines
    assert few == many == 4


def test_a_buyer_reads_their_order(jwt_client, customer, phone):
    order = place(customer, line(phone))

    response = jwt_client(customer).get(detail_url(order))

    assert response.status_code == 200
    assert response.json()["number"] == order.number


def test_another_buyers_order_is_a_404(jwt_client, customer, other_customer, manufacturer_a, phone):
    order = place(customer, line(phone))

    for intruder in (other_customer, manufacturer_a):
        response = jwt_client(intruder).get(detail_url(order))
        assert response.status_code == 404
        assert "detail" in response.json()
        assert order.number not in response.content.decode()


def test_staff_read_any_order(jwt_client, staff_user, customer, phone):
    order = place(customer, line(phone))
    assert jwt_client(staff_user).get(detail_url(order)).status_code == 200


# --- Changing the status ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["patch", "put"])
def test_staff_change_the_status(jwt_client, staff_user, customer, phone, method):
    order = place(customer, line(phone))

    response = getattr(jwt_client(staff_user), method)(
        detail_url(order), {"status": "processing", "note": "Paid"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "processing"
    change = OrderStatusChange.objects.get(order=order)
    assert (change.from_status, change.to_status, change.actor, change.note) == (
        "pending",
        "processing",
        staff_user,
        "Paid",
    )


@pytest.mark.parametrize("who", ["customer", "manufacturer_a"])
def test_non_staff_cannot_change_the_status(jwt_client, request, customer, phone, who):
    order = place(customer, line(phone))
    before = counts()

    response = jwt_client(request.getfixturevalue(who)).patch(
        detail_url(order), {"status": "delivered"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "staff_only"
    assert counts() == before
    assert not OrderStatusChange.objects.exists()


def test_a_transition_outside_the_workflow_is_a_409(jwt_client, staff_user, customer, phone):
    order = place(customer, line(phone))

    response = jwt_client(staff_user).patch(detail_url(order), {"status": "delivered"},
                                            format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Order {order.number} is pending and cannot become delivered.",
        "code": "invalid_transition",
    }
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_an_unknown_status_is_a_400(jwt_client, staff_user, customer, phone):
    order = place(customer, line(phone))

    response = jwt_client(staff_user).patch(detail_url(order), {"status": "lost"}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == 'status: "lost" is not a valid choice.'
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_orders_cannot_be_deleted(jwt_client, staff_user, customer, phone):
    order = place(customer, line(phone))

    response = jwt_client(staff_user).delete(detail_url(order))

    assert response.status_code == 405
    assert Order.objects.filter(pk=order.pk).exists()


# --- Cancelling ------------------------------------------------------------------------------


def test_the_buyer_cancels_a_pending_order(jwt_client, customer, phone):
    order = place(customer, line(phone, 3))

    response = jwt_client(customer).post(f"{detail_url(order)}cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert stock_of(phone.variations.get()) == 10
    back = StockMovement.objects.get(reason=StockReason.RETURN)
    assert (back.delta, back.actor, back.note) == (3, customer, f"Order {order.number} cancelled")


def test_cancel_without_trailing_slash(jwt_client, customer, phone):
    order = place(customer, line(phone))
    assert jwt_client(customer).post(f"/api/orders/{order.pk}/cancel").status_code == 200


def test_a_shipped_order_cannot_be_cancelled_by_the_buyer(jwt_client, staff_user, customer,
                                                         phone):
    order = place(customer, line(phone, 3))
    order_status_change(order=order, to="processing", actor=staff_user)
    order_status_change(order=order, to="shipped", actor=staff_user)
    before = counts()

    response = jwt_client(customer).post(f"{detail_url(order)}cancel/")

    assert response.status_code == 409
    assert response.json()["code"] == "not_cancellable"
    assert counts() == before
    assert stock_of(phone.variations.get()) == 7


def test_another_buyer_cannot_cancel(jwt_client, customer, other_customer, phone):
    order = place(customer, line(phone, 3))
    before = counts()

    response = jwt_client(other_customer).post(f"{detail_url(order)}cancel/")

    assert response.status_code == 404
    assert counts() == before
    assert stock_of(phone.variations.get()) == 7


def test_cancelling_another_buyers_order_is_a_404_with_a_code(
    jwt_client, customer, other_customer, phone
):
    order = place(customer, line(phone, 2))

    response = jwt_client(other_customer).post(f"{detail_url(order)}cancel/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Order matches the given query.", "code": "not_found"}
    order.refresh_from_db()
    assert (order.status, stock_of(phone.variations.get())) == ("pending", 8)


@pytest.mark.parametrize("page", ["0", "-1", "x"])
def test_a_page_below_1_is_a_400_not_a_404(jwt_client, customer, page):
    response = jwt_client(customer).get(f"{ORDERS}?page={page}")

    assert response.status_code == 400
    assert response.json()["detail"] == "page: A page is a whole number from 1."


def test_a_page_past_the_end_is_an_empty_page(jwt_client, customer):
    response = jwt_client(customer).get(f"{ORDERS}?page=5")

    assert response.status_code == 200
    assert response.json()["results"] == []
