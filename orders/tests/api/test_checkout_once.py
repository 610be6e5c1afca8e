"""A cart is ordered once: real concurrent ``POST /checkout/`` requests against the live
server (SQLite by default, PostgreSQL with ``DATABASE_URL``), paid on delivery and with
Paystack (a local HTTP server).

Each request is a thread with its own HTTP connection (and, in the server, its own database
connection), released together by a barrier: exactly one orders the cart; the others order
nothing and answer 409 ``already_placed`` naming that checkout, or, sending the same
``Idempotency-Key``, the first 201 again.
"""

import threading
import time
from collections import Counter

import pytest
import requests
from rest_framework_simplejwt.tokens import RefreshToken

from catalog.models import StockMovement, StockReason
from orders.models import Checkout, Order
from orders.tests.helpers import assert_ledger_agrees, stock_of
from shopping.models import CartItem
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 8


@pytest.fixture(params=["on_delivery", "paystack"])
def payment(request):
    """Each test runs paid on delivery and with Paystack."""
    if request.param == "paystack":
        request.getfixturevalue("paystack")
    return request.param


@pytest.fixture
def one_unit(customer, phone, buyer_address, standard_shipping, payment):
    """The buyer's cart: one phone (10 in stock)."""
    cart_item_add(user=customer, product_id=phone.pk, quantity=1)
    return phone


def post_checkouts(live_server, buyer, count: int, *, keys=None, gap: float = 0.0) -> list:
    """``count`` checkouts of ``buyer`` at once (or ``gap`` seconds apart); each answer as
    (status, body, replayed header)."""
    url = f"{live_server.url}/checkout/"
    token = str(RefreshToken.for_user(buyer).access_token)
    barrier = threading.Barrier(count)
    answers: list = [None] * count

    def post(index: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        if keys:
            headers["Idempotency-Key"] = keys[index]
        try:
            barrier.wait(timeout=60)
            time.sleep(gap * index)
            response = requests.post(url, json={}, headers=headers, timeout=120)
            answers[index] = (
                response.status_code,
                response.json(),
                response.headers.get("Idempotent-Replayed"),
            )
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            answers[index] = ("crashed", repr(error), None)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return answers


def assert_ordered_once(phone) -> Checkout:
    checkout = Checkout.objects.get()
    assert Order.objects.count() == 1
    assert stock_of(phone.variations.get()) == 9
    assert StockMovement.objects.filter(reason=StockReason.ORDER).count() == 1
    assert not CartItem.objects.exists()
    assert_ledger_agrees(phone)
    return checkout


def test_eight_concurrent_checkouts_of_one_unit_order_it_once(live_server, customer, one_unit):
    answers = post_checkouts(live_server, customer, REQUESTS)

    statuses = Counter(status for status, _, _ in answers)
    assert statuses == {201: 1, 409: REQUESTS - 1}, answers
    checkout = assert_ordered_once(one_unit)
    [placed] = [body for status, body, _ in answers if status == 201]
    assert placed["checkout_id"] == checkout.pk
    for status, body, _ in answers:
        if status == 409:
            assert body["code"] == "already_placed", body
            assert (body["checkout_id"], body["order_ids"]) == (
                checkout.pk, placed["order_ids"]
            )
            assert "Nothing more was ordered" in body["detail"]


def test_two_submits_50_ms_apart_order_once(live_server, customer, one_unit):
    answers = post_checkouts(live_server, customer, 2, gap=0.05)

    assert [status for status, _, _ in answers] == [201, 409], answers
    assert answers[1][1]["code"] == "already_placed"
    assert answers[1][1]["checkout_id"] == assert_ordered_once(one_unit).pk


def test_the_same_idempotency_key_answers_the_same_201(live_server, customer, one_unit):
    answers = post_checkouts(live_server, customer, REQUESTS, keys=["buy-1"] * REQUESTS)

    assert {status for status, _, _ in answers} == {201}, answers
    checkout = assert_ordered_once(one_unit)
    assert {body["checkout_id"] for _, body, _ in answers} == {checkout.pk}
    assert len({tuple(body["order_ids"]) for _, body, _ in answers}) == 1
    assert [replayed for _, _, replayed in answers].count(None) == 1  # the first, not replayed
    assert checkout.idempotency_key == "buy-1"

    # Later, the same key still answers that checkout; a new key finds the cart ordered.
    [again] = post_checkouts(live_server, customer, 1, keys=["buy-1"])
    assert (again[0], again[1]["checkout_id"], again[2]) == (201, checkout.pk, "true")
    [other] = post_checkouts(live_server, customer, 1, keys=["buy-2"])
    assert (other[0], other[1]["code"], other[1]["checkout_id"]) == (
        409, "already_placed", checkout.pk
    )
    assert_ordered_once(one_unit)
