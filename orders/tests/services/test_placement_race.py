"""Many buyers race for the last units: exactly what is in stock is sold, never more.

Each buyer is a thread with its own database connection calling ``order_place`` in a real
transaction (``transaction=True``: committed rows, no test-wide transaction around them), all
released at once by a barrier. Run on SQLite by default and on PostgreSQL with
``DATABASE_URL=postgres://...``.

SQLite: Django's default SQLite test database is in memory in shared-cache mode. Connections
of a shared cache lock each other per table and get ``database table is locked``
(SQLITE_LOCKED) at once: the busy timeout does not apply, so concurrent writers fail instead of
queueing. When the test database is in memory, the race therefore runs on a file copy of it,
opened with the project's settings (WAL, ``transaction_mode = IMMEDIATE``, 20 s busy timeout):
exactly how the app runs. A file-backed test database (``DATABASES["default"]["TEST"]["NAME"]``,
which this project's settings set to one file per test process) is used as it is.
"""

import random
import statistics
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections
from django.db.models import Sum

from catalog.models import StockMovement, StockReason, Variation
from orders.errors import OrderError, OrderErrorCode
from orders.models import Order, OrderItem
from orders.tests.helpers import assert_ledger_agrees, line, place, public_product, stock_of
from users.services import user_create

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "race-password-123"


def _users(prefix: str, count: int, **roles):
    return [
        user_create(email=f"{prefix}{i}@race.test", password=PASSWORD, **roles)
        for i in range(count)
    ]


def _race(buyers, lines_of) -> tuple[list, float, list[float]]:
    """Release all buyers at once; each places ``lines_of(index)`` in its own connection.
    Returns each buyer's outcome, the wall time of the race and each placement's duration."""
    barrier = threading.Barrier(len(buyers))
    outcomes: list = [None] * len(buyers)
    durations: list[float] = [0.0] * len(buyers)

    def buy(index: int, buyer) -> None:
        try:
            barrier.wait(timeout=60)
            started = time.perf_counter()
            try:
                order = place(buyer, *lines_of(index))
            except OrderError as error:
                outcomes[index] = (error.code, error.lines)
            else:
                outcomes[index] = ("placed", order.pk)
            durations[index] = time.perf_counter() - started
        except Exception as error:  # a deadlock or "database is locked" would land here
            outcomes[index] = ("crashed", repr(error))
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=buy, args=(i, b)) for i, b in enumerate(buyers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started
    assert not any(thread.is_alive() for thread in threads), "a buyer never finished"
    return outcomes, elapsed, durations


def _figures(name: str, *, buyers: int, units: int, placed: int, elapsed: float, durations):
    print(
        f"\n[race:{connection.vendor}] {name}: {buyers} buyers, {units} units, "
        f"{placed} orders placed, {elapsed * 1000:.0f} ms in all, placement median "
        f"{statistics.median(durations) * 1000:.1f} ms, max {max(durations) * 1000:.0f} ms"
    )


def test_buyers_racing_for_the_last_units_get_exactly_what_is_in_stock(race_database):
    units, buyer_count = 10, 40
    staff = user_create(email="staff@race.test", password=PASSWORD, is_staff=True)
    maker = user_create(
        email="maker@race.test", password=PASSWORD, is_manufacturer=True, company_name="Maker"
    )
    product = public_product(maker, approver=staff, name="Last units", stock=units)
    variation = product.variations.get()
    buyers = _users("buyer", buyer_count, is_customer=True)

    outcomes, elapsed, durations = _race(buyers, lambda index: [line(product, 1)])

    kinds = Counter(outcome[0] for outcome in outcomes)
    assert kinds == {"placed": units, OrderErrorCode.INSUFFICIENT_STOCK: buyer_count - units}
    # Every refusal names the short line and saw it empty.
    for kind, detail in outcomes:
        if kind == OrderErrorCode.INSUFFICIENT_STOCK:
            assert [(ref["variation"], ref["requested"], ref["available"]) for ref in detail] == [
                (variation.pk, 1, 0)
            ]
    assert stock_of(variation) == 0
    assert Order.objects.count() == units
    assert OrderItem.objects.aggregate(n=Sum("quantity"))["n"] == units
    assert sorted(Order.objects.values_list("buyer_id", flat=True)) == sorted(
        buyers[i].pk for i, outcome in enumerate(outcomes) if outcome[0] == "placed"
    )
    # One ledger row per unit sold, each leaving a different stock: 9, 8, ... 0.
    sold = StockMovement.objects.filter(variation=variation, reason=StockReason.ORDER)
    assert sorted(sold.values_list("stock_after", flat=True)) == list(range(units))
    assert set(sold.values_list("delta", flat=True)) == {-1}
    assert_ledger_agrees(product)
    _figures(
        "last units",
        buyers=buyer_count,
        units=units,
        placed=kinds["placed"],
        elapsed=elapsed,
        durations=durations,
    )


def test_multi_line_orders_listed_in_any_order_never_deadlock_or_oversell(race_database):
    """Buyers order two or three of the same variations, each listing them in a different
    order, with quantities 1-2: locks are taken in variation pk order whatever the listing,
    so nobody deadlocks, and each order is all or nothing."""
    staff = user_create(email="staff@race.test", password=PASSWORD, is_staff=True)
    maker_a, maker_b = (
        user_create(
            email=f"maker.{x}@race.test", password=PASSWORD, is_manufacturer=True, company_name=x
        )
        for x in "ab"
    )
    shoes = public_product(
        maker_a,
        approver=staff,
        name="Shoes",
        variations=[{"size": "40", "stock": 12}, {"size": "41", "stock": 12}],
    )
    hat = public_product(maker_b, approver=staff, name="Hat", stock=12)
    items = [(shoes, v) for v in shoes.variations.order_by("pk")] + [(hat, None)]
    initial = {v.pk: v.stock for v in Variation.objects.all()}
    buyer_count = 30
    buyers = _users("buyer", buyer_count, is_customer=True)
    chance = random.Random(7)
    baskets = []
    for _ in range(buyer_count):
        chosen = chance.sample(items, k=chance.choice([2, 3]))  # random listing order
        baskets.append([line(product, chance.randint(1, 2), v) for product, v in chosen])

    outcomes, elapsed, durations = _race(buyers, lambda index: baskets[index])

    kinds = Counter(outcome[0] for outcome in outcomes)
    assert set(kinds) <= {"placed", OrderErrorCode.INSUFFICIENT_STOCK}, outcomes
    placed_baskets = [baskets[i] for i, o in enumerate(outcomes) if o[0] == "placed"]
    taken: Counter = Counter()
    for basket in placed_baskets:
        for request in basket:
            variation_id = request.variation_id or hat.variations.get().pk
            taken[variation_id] += request.quantity
    for variation in Variation.objects.all():
        assert variation.stock == initial[variation.pk] - taken[variation.pk] >= 0
    assert Order.objects.count() == kinds["placed"] >= 1
    # All or nothing: one ledger row per line of a placed order, none for refused ones.
    assert StockMovement.objects.filter(reason=StockReason.ORDER).count() == sum(
        len(basket) for basket in placed_baskets
    )
    assert OrderItem.objects.count() == sum(len(basket) for basket in placed_baskets)
    assert_ledger_agrees(shoes, hat)
    _figures(
        "multi-line",
        buyers=buyer_count,
        units=sum(initial.values()),
        placed=kinds["placed"],
        elapsed=elapsed,
        durations=durations,
    )
