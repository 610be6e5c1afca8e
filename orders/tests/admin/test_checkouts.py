"""Checkouts in the admin: staff read them (payment state, the orders placed, read-only);
manufacturers reach no checkout page by any path, and see only their own order of a split
checkout; the orders list shows each order's payment state; the list's query count is pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import Checkout, CheckoutPaymentStatus
from orders.services import checkout_place
from orders.tests.helpers import public_product
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db

CHECKOUTS = reverse("admin:orders_checkout_changelist")


def checkout_of(buyer, *products):
    for product in products:
        cart_item_add(user=buyer, product_id=product.pk, quantity=1)
    return checkout_place(buyer=buyer)


@pytest.fixture
def split(customer, phone, shirt_m, buyer_address, standard_shipping):
    cart_item_add(user=customer, product_id=phone.pk, quantity=1)
    cart_item_add(user=customer, product_id=shirt_m.product_id, quantity=1,
                  variation_id=shirt_m.pk)
    return checkout_place(buyer=customer)


def test_staff_see_checkouts_and_their_payment_state(client, staff_user, split):
    client.force_login(staff_user)
    page = client.get(CHECKOUTS).content.decode()
    assert "Due on delivery" in page
    for order in split.orders:
        assert order.number in page
    change = reverse("admin:orders_checkout_change", args=[split.checkout.pk])
    page = client.get(change).content.decode()
    assert "Ama Mensah" in page and "Standard" in page
    # Read-only: nothing to save, nothing to delete or add.
    assert client.post(change, {"payment_status": "paid"}).status_code == 403
    assert client.get(reverse("admin:orders_checkout_add")).status_code == 403
    delete = reverse("admin:orders_checkout_delete", args=[split.checkout.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Checkout.objects.get().payment_status == CheckoutPaymentStatus.ON_DELIVERY


def test_manufacturers_reach_no_checkout_page(client, manufacturer_a, split):
    client.force_login(manufacturer_a)
    pk = split.checkout.pk
    for url in [
        CHECKOUTS,
        reverse("admin:orders_checkout_change", args=[pk]),
        reverse("admin:orders_checkout_delete", args=[pk]),
    ]:
        assert client.get(url).status_code == 403, url
    # Django's history page answers an object out of reach with a redirect to the index.
    response = client.get(reverse("admin:orders_checkout_history", args=[pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    assert "Checkouts" not in client.get(reverse("admin:index")).content.decode()
    assert Checkout.objects.filter(pk=pk).exists()


def test_a_manufacturer_sees_only_their_order_of_a_split_checkout(
    client, manufacturer_a, split
):
    client.force_login(manufacturer_a)
    by_seller = {o.items.get().manufacturer_id: o for o in split.orders}
    page = client.get(reverse("admin:orders_order_changelist")).content.decode()
    mine = by_seller.pop(manufacturer_a.pk)
    [theirs] = by_seller.values()
    assert mine.number in page and theirs.number not in page
    assert "Due on delivery" in page  # the payment state column
    response = client.get(reverse("admin:orders_order_change", args=[theirs.pk]))
    assert response.status_code in (302, 403, 404)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_checkouts_list_costs_the_same_queries_at_any_length(
    client, staff_user, customer, manufacturer_a, manufacturer_b, buyer_address,
    standard_shipping,
):
    products = [
        public_product(maker, approver=staff_user, name=f"P{i}", stock=20)
        for i, maker in enumerate([manufacturer_a, manufacturer_b])
    ]
    client.force_login(staff_user)
    checkout_of(customer, *products)
    one = _queries(client, CHECKOUTS)
    for _ in range(4):
        checkout_of(customer, *products)
    assert _queries(client, CHECKOUTS) == one
    # session, user, count, page (checkouts + buyer), their orders, the notification bell
    assert one == 6
