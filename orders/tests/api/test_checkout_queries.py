"""What one checkout costs the database, seen as the web process runs it: three lines from two
manufacturers over the API (the JWT look-up included), paid on delivery and with Paystack,
with everything the commit sets off (version bump, live push, hand-over of the emails to the
worker's queue; the worker's own sending is not the request's). The number is pinned so that
a change that adds a query per line, per order or per notice shows up here."""

import pytest

from catalog.models import StockMovement
from notifications.models import Notification, OutboundMessage
from orders.models import Order, OrderItem
from shopping.models import CartItem
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db

#: The most queries one checkout of three lines from two manufacturers may run.
CHECKOUT_MAX_QUERIES = 30


@pytest.fixture
def three_line_cart(customer, phone, shirt_m, shirt_l, buyer_address, monkeypatch):
    """Two phones (maker A), a shirt M and a shirt L (maker B); the worker's queue is a real
    broker here (the web process hands tasks over, it does not run them)."""
    from django_q.conf import Conf

    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    for variation in (shirt_m, shirt_l):
        cart_item_add(user=customer, product_id=variation.product_id, quantity=1,
                      variation_id=variation.pk)
    monkeypatch.setattr(Conf, "SYNC", False)
    return CartItem.objects.filter(user=customer).count()


def _checkout(client, max_queries, on_commit):
    with max_queries(CHECKOUT_MAX_QUERIES), on_commit(execute=True) as callbacks:
        response = client.post("/checkout/", {}, format="json")
    assert response.status_code == 201, response.json()
    assert callbacks, "the commit's side effects ran inside the count"
    return response.json()


def _assert_placed(customer) -> None:
    orders = list(Order.objects.filter(buyer=customer).order_by("pk"))
    assert len(orders) == 2
    assert sorted(OrderItem.objects.values_list("product_name", "variation_label", "quantity")) \
        == [("Phone", "", 2), ("Shirt", "L", 1), ("Shirt", "M", 1)]
    assert sorted(StockMovement.objects.filter(reason="order").values_list("delta", "stock_after")) \
        == [(-2, 8), (-1, 1), (-1, 4)]
    assert not CartItem.objects.filter(user=customer).exists()
    # Each seller hears of their own order, the buyer once for both.
    assert Notification.objects.filter(event="order_placed").count() == 3
    assert OutboundMessage.objects.filter(event="order_placed").count() == 3


def test_checkout_paid_on_delivery_three_lines_two_makers(
    jwt_client, customer, three_line_cart, django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    assert three_line_cart == 3
    data = _checkout(
        jwt_client(customer), django_assert_max_num_queries, django_capture_on_commit_callbacks
    )
    assert (data["status"], data["total_amount"]) == ("on_delivery", 260.0)
    _assert_placed(customer)


def test_checkout_with_paystack_three_lines_two_makers(
    jwt_client, customer, three_line_cart, paystack, django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    data = _checkout(
        jwt_client(customer), django_assert_max_num_queries, django_capture_on_commit_callbacks
    )
    assert (data["status"], data["total_amount"]) == ("awaiting_payment", 260.0)
    assert data["paystack_url"]
    _assert_placed(customer)
