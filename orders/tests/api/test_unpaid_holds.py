"""What one buyer may hold unpaid: open Paystack checkouts and units of one product across
them (``CHECKOUT_UNPAID_MAX_CHECKOUTS``, ``CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT``). Over the
limit: 409 ``unpaid_limit``, Paystack never asked, nothing changed. Paid on delivery is not
limited. Also the ``Idempotency-Key`` header's validation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Checkout, Order
from orders.tests.helpers import checkout_snapshot as snapshot
from orders.tests.helpers import public_product, stock_of
from shopping.models import CartItem
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(manufacturer_a, staff_user):
    """A product with 101 units."""
    return public_product(manufacturer_a, approver=staff_user, name="Lamp", stock=101)


@pytest.fixture(autouse=True)
def _ships(buyer_address, standard_shipping):
    pass




def check_out(jwt_client, buyer, **headers):
    return jwt_client(buyer).post("/checkout/", {}, format="json", **headers)


def test_one_buyer_cannot_hold_all_the_stock_unpaid(
    jwt_client, customer, paystack, stocked, settings
):
    assert settings.CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT == 20  # the default
    cart_item_add(user=customer, product_id=stocked.pk, quantity=101)
    before = snapshot()

    response = check_out(jwt_client, customer)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "unpaid_limit"
    assert "At most 20 units of one product can await payment" in body["detail"]
    assert [(line["product_name"], line["requested"], line["limit"]) for line in body["lines"]] == [
        ("Lamp", 101, 20)
    ]
    assert snapshot() == before
    assert paystack.calls == []  # refused before a payment was started
    assert stock_of(stocked.variations.get()) == 101


def test_units_awaiting_payment_add_up_across_checkouts(
    jwt_client, customer, paystack, stocked
):
    cart_item_add(user=customer, product_id=stocked.pk, quantity=20)
    assert check_out(jwt_client, customer).status_code == 201
    cart_item_add(user=customer, product_id=stocked.pk, quantity=1)
    before = snapshot()

    response = check_out(jwt_client, customer)

    assert (response.status_code, response.json()["code"]) == (409, "unpaid_limit")
    [line] = response.json()["lines"]
    assert (line["held"], line["requested"]) == (20, 1)
    assert "20 already awaiting payment" in response.json()["detail"]
    assert snapshot() == before
    # Once that checkout is paid (or expires), the buyer may hold again.
    Checkout.objects.update(payment_status="paid")
    assert check_out(jwt_client, customer).status_code == 201


def test_open_unpaid_checkouts_per_buyer_are_limited(
    jwt_client, customer, other_customer, paystack, stocked, settings
):
    settings.CHECKOUT_UNPAID_MAX_CHECKOUTS = 2
    for _ in range(2):
        cart_item_add(user=customer, product_id=stocked.pk, quantity=1)
        response = check_out(jwt_client, customer)
        assert response.status_code == 201, response.json()
    cart_item_add(user=customer, product_id=stocked.pk, quantity=1)
    before = snapshot()

    response = check_out(jwt_client, customer)

    assert (response.status_code, response.json()["code"]) == (409, "unpaid_limit")
    assert "You have 2 checkouts awaiting payment" in response.json()["detail"]
    assert snapshot() == before
    # Another buyer is not affected; and a checkout past its deadline no longer counts.
    assert Checkout.objects.filter(buyer=other_customer).count() == 0
    Checkout.objects.filter(buyer=customer).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert check_out(jwt_client, customer).status_code == 201


def test_paid_on_delivery_is_not_limited(jwt_client, customer, stocked):
    cart_item_add(user=customer, product_id=stocked.pk, quantity=50)
    assert check_out(jwt_client, customer).status_code == 201
    assert stock_of(stocked.variations.get()) == 51


@pytest.mark.parametrize("key", ["x" * 101, "tab\there"])
def test_a_bad_idempotency_key_is_a_400_and_orders_nothing(jwt_client, customer, stocked, key):
    cart_item_add(user=customer, product_id=stocked.pk, quantity=1)
    before = snapshot()

    response = check_out(jwt_client, customer, HTTP_IDEMPOTENCY_KEY=key)

    assert (response.status_code, response.json()["code"]) == (400, "idempotency_key_invalid")
    assert snapshot() == before


def test_an_empty_cart_long_after_a_checkout_is_just_empty(jwt_client, customer, stocked):
    cart_item_add(user=customer, product_id=stocked.pk, quantity=1)
    assert check_out(jwt_client, customer).status_code == 201
    response = check_out(jwt_client, customer)
    assert (response.status_code, response.json()["code"]) == (409, "already_placed")

    Checkout.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    response = check_out(jwt_client, customer)
    assert (response.status_code, response.json()["code"]) == (400, "empty_cart")


def test_lines_changed_between_read_and_claim_order_nothing(customer, stocked):
    """The claim compares the lines with what checkout read: a quantity changed meanwhile is
    409 ``cart_changed`` (here the read is simulated by handing over stale rows)."""
    from orders.errors import CheckoutError, CheckoutErrorCode
    from orders.services.checkout import _checkout_place, checkout_address_for
    from shopping.selectors import cart_items_checked

    cart_item_add(user=customer, product_id=stocked.pk, quantity=1)
    stale = cart_items_checked(user=customer)
    CartItem.objects.update(quantity=3)
    before = snapshot()

    with pytest.raises(CheckoutError) as refused:
        _checkout_place(
            buyer=customer, items=stale, address=checkout_address_for(buyer=customer),
            method_id=None, key=None,
        )

    assert refused.value.code == CheckoutErrorCode.CART_CHANGED
    assert snapshot() == before


def test_a_twin_with_the_same_key_ordering_between_look_up_and_cart_read_is_replayed(
    customer, stocked, monkeypatch
):
    """The interleaving the checkout bench found on SQLite: request B looks its key up (not
    there yet), request A orders the cart and commits, then B reads an empty cart. B answers
    A's checkout, not 409."""
    from orders.services import checkout
    from orders.services.checkout import checkout_place

    cart_item_add(user=customer, product_id=stocked.pk, quantity=1)
    read_cart = checkout.cart_items_checked
    twin = {}

    def twin_orders_first(*, user):
        if not twin:
            monkeypatch.setattr(checkout, "cart_items_checked", read_cart)
            twin["placed"] = checkout_place(buyer=customer, idempotency_key="k-1")
        return read_cart(user=user)

    monkeypatch.setattr(checkout, "cart_items_checked", twin_orders_first)

    answer = checkout_place(buyer=customer, idempotency_key="k-1")

    assert answer.replayed
    assert answer.checkout.pk == twin["placed"].checkout.pk
    assert Order.objects.count() == 1
