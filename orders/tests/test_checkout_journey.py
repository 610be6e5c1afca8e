"""The storefront's whole purchase, end to end through the API and the admin: sign in, add two
manufacturers' products to the cart, check out (two orders, stock through the ledger), each
manufacturer sees only their own order in the admin, ships it with a tracking number, the
buyer confirms delivery and reviews the product as a verified purchase."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import StockMovement, StockReason
from conftest import PASSWORD
from orders.models import Checkout, Order, OrderStatus
from orders.services import order_status_change
from orders.tests.helpers import assert_ledger_agrees, stock_of
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_a_buyer_buys_from_two_manufacturers_and_reviews_as_a_verified_purchase(
    customer, manufacturer_a, manufacturer_b, staff_user, phone, shirt, shirt_m,
    standard_shipping,
):
    api = APIClient()
    # Sign in as the storefront does.
    response = api.post(
        "/accounts/login", {"email": customer.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")

    # Two manufacturers' products in the cart, and an address.
    assert api.post(
        "/cart/add", {"product_id": str(phone.pk), "quantity": 2}, format="json"
    ).status_code in (200, 201)
    assert api.post(
        "/cart/add",
        {"product_id": str(shirt.pk), "quantity": 1, "variation": shirt_m.pk},
        format="json",
    ).status_code in (200, 201)
    address = api.post(
        "/shipping/shipping-addresses/",
        {"id": 0, "name": "", "street": "", "phone_number": "", "full_name": "Ama Mensah",
         "phone": "+233201234567", "address": "12 Oxford Street", "city": "Accra",
         "state": "Greater Accra", "postal_code": "", "country": "GH", "is_default": True},
        format="json",
    ).json()
    review = api.get("/checkout/review/").json()
    assert review["default_address_id"] == str(address["id"])
    assert len(review["items"]) == 2

    # Check out: two orders, one per manufacturer; the stock went through the ledger.
    response = api.post("/checkout/", {"shipping_address": str(address["id"])}, format="json")
    assert response.status_code == 201, response.json()
    result = response.json()
    assert len(result["order_ids"]) == 2
    assert result["paystack_url"] is None
    assert api.get("/cart/").json()["items"] == []
    orders = {o.items.get().manufacturer_id: o for o in Order.objects.all()}
    assert set(orders) == {manufacturer_a.pk, manufacturer_b.pk}
    assert {o.checkout_id for o in orders.values()} == {Checkout.objects.get().pk}
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (8, 4)
    sold = StockMovement.objects.filter(reason=StockReason.ORDER)
    assert sorted(sold.values_list("manufacturer_id", "delta")) == sorted(
        [(manufacturer_a.pk, -2), (manufacturer_b.pk, -1)]
    )
    assert_ledger_agrees(phone, shirt)

    # Each manufacturer sees only their own order of the split checkout.
    mine, theirs = orders[manufacturer_a.pk], orders[manufacturer_b.pk]
    admin = Client()
    admin.force_login(manufacturer_a)
    page = admin.get(reverse("admin:orders_order_changelist")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert admin.get(reverse("admin:orders_order_change", args=[theirs.pk])).status_code in (
        302, 403, 404
    )
    assert admin.get(reverse("admin:orders_checkout_changelist")).status_code == 403
    # Staff see the checkout and its payment state.
    staff = Client()
    staff.force_login(staff_user)
    page = staff.get(reverse("admin:orders_checkout_changelist")).content.decode()
    assert "Due on delivery" in page and mine.number in page and theirs.number in page

    # Staff confirm; the manufacturer ships with a tracking number in the admin.
    order_status_change(order=mine, to=OrderStatus.PROCESSING, actor=staff_user)
    response = admin.post(
        reverse("admin:orders_order_ship_lines", args=[mine.pk]),
        {"_form_submitted": "on", "tracking_number": "GHP-000123"},
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    assert (mine.status, mine.tracking_number) == (OrderStatus.SHIPPED, "GHP-000123")
    track = api.get(f"/orders/{mine.pk}/track/").json()
    assert (track["status"], track["tracking_number"]) == ("Shipped", "GHP-000123")

    # The buyer confirms delivery and reviews the phone: a verified purchase.
    delivered = api.post(f"/orders/{mine.pk}/mark-delivered/").json()
    assert delivered["status"] == "Delivered"
    response = api.post(
        f"/products/review-list/{phone.pk}/reviews/",
        {"rating": 5, "comment": "Arrived quickly, works well.", "product": str(phone.pk)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["verified_purchase"] is True
    # The shirt's order is not delivered: its review is not verified.
    response = api.post(
        f"/products/review-list/{shirt.pk}/reviews/",
        {"rating": 4, "comment": "Nice fabric.", "product": str(shirt.pk)},
        format="json",
    )
    assert response.json()["verified_purchase"] is False
    assert Review.objects.count() == 2
