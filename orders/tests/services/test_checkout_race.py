"""Buyers check out the last units at once: exactly the stock is sold, each checkout all or
nothing across its manufacturers, nobody deadlocks (SQLite by default, PostgreSQL with
``DATABASE_URL``; the ``race_database`` fixture of conftest explains the SQLite set-up).

Each buyer is a thread with its own connection calling ``checkout_place`` in a real durable
transaction, released together by a barrier.
"""

import random
import threading
from collections import Counter

import pytest
from django.db import connections

from catalog.models import StockMovement, StockReason, Variation
from orders.errors import OrderError, OrderErrorCode
from orders.models import Checkout, Order, OrderItem
from orders.services import checkout_place
from orders.tests.helpers import assert_ledger_agrees, public_product, stock_of
from shopping.models import CartItem
from shopping.services import cart_item_add, shipping_address_create
from users.services import user_create

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "race-password-123"


def _buyers(count: int):
    buyers = []
    for i in range(count):
        buyer = user_create(email=f"buyer{i}@race.test", password=PASSWORD, is_customer=True)
        shipping_address_create(
            user=buyer, full_name=f"Buyer {i}", phone="1", address="Road", city="Accra"
        )
        buyers.append(buyer)
    return buyers


def _race(buyers) -> list:
    barrier = threading.Barrier(len(buyers))
    outcomes: list = [None] * len(buyers)

    def check_out(index: int, buyer) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                placed = checkout_place(buyer=buyer)
            except OrderError as error:
                outcomes[index] = (error.code, error.lines)
            else:
                outcomes[index] = ("placed", [order.pk for order in placed.orders])
        except Exception as error:  # a deadlock or "database is locked" would land here
            outcomes[index] = ("crashed", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_out, args=(i, b)) for i, b in enumerate(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a buyer never finished"
    return outcomes


def _makers():
    staff = user_create(email="staff@race.test", password=PASSWORD, is_staff=True)
    makers = [
        user_create(email=f"maker.{x}@race.test", password=PASSWORD, is_manufacturer=True,
                    company_name=x)
        for x in "ab"
    ]
    return staff, makers


def test_checkouts_racing_for_the_last_units_sell_exactly_the_stock(race_database):
    staff, (maker_a, maker_b) = _makers()
    radio = public_product(maker_a, approver=staff, name="Radio", stock=5)
    lamp = public_product(maker_b, approver=staff, name="Lamp", stock=5)
    buyers = _buyers(16)
    for buyer in buyers:
        cart_item_add(user=buyer, product_id=radio.pk, quantity=1)
        cart_item_add(user=buyer, product_id=lamp.pk, quantity=1)

    outcomes = _race(buyers)

    kinds = Counter(outcome[0] for outcome in outcomes)
    assert kinds == {"placed": 5, OrderErrorCode.INSUFFICIENT_STOCK: 11}, outcomes
    assert (stock_of(radio.variations.get()), stock_of(lamp.variations.get())) == (0, 0)
    assert Checkout.objects.count() == 5
    assert Order.objects.count() == 10  # two per checkout: one per manufacturer
    for checkout in Checkout.objects.prefetch_related("orders__items"):
        sellers = sorted(o.items.get().manufacturer_id for o in checkout.orders.all())
        assert sellers == [maker_a.pk, maker_b.pk]
    # Winners' carts are empty; losers keep theirs as they were.
    for buyer, outcome in zip(buyers, outcomes, strict=True):
        lines = CartItem.objects.filter(user=buyer).count()
        assert lines == (0 if outcome[0] == "placed" else 2)
    sold = StockMovement.objects.filter(reason=StockReason.ORDER)
    assert sorted(sold.values_list("stock_after", flat=True)) == sorted(list(range(5)) * 2)
    assert_ledger_agrees(radio, lamp)


def test_mixed_baskets_across_manufacturers_never_deadlock_or_oversell(race_database):
    """Each buyer's basket mixes the two manufacturers' variations in a random order and
    quantity: locks follow (manufacturer, variation pk) whatever the cart's order."""
    staff, (maker_a, maker_b) = _makers()
    shoes = public_product(
        maker_a, approver=staff, name="Shoes",
        variations=[{"size": "40", "stock": 6}, {"size": "41", "stock": 6}],
    )
    hat = public_product(maker_b, approver=staff, name="Hat", stock=6)
    choices = [(shoes, v.pk) for v in shoes.variations.order_by("pk")] + [(hat, None)]
    initial = {v.pk: v.stock for v in Variation.objects.all()}
    buyers = _buyers(18)
    chance = random.Random(12)
    baskets = {}
    for buyer in buyers:
        basket = chance.sample(choices, k=chance.choice([1, 2, 3]))
        baskets[buyer.pk] = []
        for product, variation_id in basket:
            quantity = chance.randint(1, 2)
            cart_item_add(user=buyer, product_id=product.pk, quantity=quantity,
                          variation_id=variation_id)
            holder = variation_id or hat.variations.get().pk
            baskets[buyer.pk].append((holder, quantity))

    outcomes = _race(buyers)

    assert {outcome[0] for outcome in outcomes} <= {"placed", OrderErrorCode.INSUFFICIENT_STOCK}
    taken: Counter = Counter()
    winners = [b for b, o in zip(buyers, outcomes, strict=True) if o[0] == "placed"]
    assert winners
    for buyer in winners:
        for variation_id, quantity in baskets[buyer.pk]:
            taken[variation_id] += quantity
    for variation in Variation.objects.all():
        assert variation.stock == initial[variation.pk] - taken[variation.pk] >= 0
    # All or nothing: the winners' lines exactly, nothing of the losers.
    assert OrderItem.objects.count() == sum(len(baskets[b.pk]) for b in winners)
    assert set(Order.objects.values_list("buyer_id", flat=True)) == {b.pk for b in winners}
    assert_ledger_agrees(shoes, hat)
