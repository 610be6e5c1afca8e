"""A cart is ordered once, seen from outside: concurrent ``POST /checkout/`` over real HTTP to
the web server as ``make run`` starts it (uvicorn, one process), paid on delivery and with
Paystack (the tests' fake Paystack, served over HTTP on this machine).

Each round: the buyer adds one unit to the cart (``POST /cart/add``), then ``count`` checkouts
of that cart are sent at once (threads released by a barrier, each with its own connection),
or two 50 ms apart. Reported per scenario over ``rows`` rounds (default 10): the answers by
status, the orders placed per round (min/max) and the stock taken per round (min/max), which
must all be one, and the answers' median and slowest time.
"""

import os
import statistics
import threading
import time
from collections import Counter
from decimal import Decimal

import requests

from bench.server import running_server

PASSWORD = "bench-password-123"
HOST = "127.0.0.1"


def _port() -> int:
    return int(os.environ.get("BENCH_PORT", "8766"))


def _fire(url: str, token: str, count: int, *, gap: float = 0.0, key: str | None = None):
    barrier = threading.Barrier(count)
    answers: list = [None] * count

    def post(index: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        if key:
            headers["Idempotency-Key"] = key
        barrier.wait(timeout=60)
        time.sleep(gap * index)
        started = time.perf_counter()
        try:
            response = requests.post(url, json={}, headers=headers, timeout=120)
            answers[index] = (response.status_code, time.perf_counter() - started)
        except requests.RequestException as error:
            answers[index] = (type(error).__name__, time.perf_counter() - started)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _setup():
    from catalog.services import category_get_or_create_path, product_create
    from shopping.models import ShippingMethod
    from shopping.services import shipping_address_create
    from users.services import user_create

    staff = user_create(email="staff@once.test", password=PASSWORD, is_staff=True)
    maker = user_create(email="maker@once.test", password=PASSWORD, is_manufacturer=True,
                        company_name="Maker")
    product = product_create(
        manufacturer=maker, actor=staff, name="Radio", price=Decimal("120.00"),
        category=category_get_or_create_path(names=["Bench", "Once"]), stock=1000,
        approve=True,
    )
    ShippingMethod.objects.create(name="Standard", cost=Decimal("0.00"), estimated_days=3)
    buyers = []
    for payment in ("on_delivery", "paystack"):
        buyer = user_create(email=f"{payment}@once.test", password=PASSWORD, is_customer=True)
        shipping_address_create(user=buyer, full_name="Buyer", phone="+233200000000",
                                address="1 Ring Road", city="Accra")
        buyers.append((payment, buyer))
    return product, buyers


def _scenario(base, token, product, buyer, rounds, *, count, gap=0.0, keyed=False) -> dict:
    from catalog.models import Variation
    from orders.models import Order

    statuses: Counter = Counter()
    orders_per_round, taken_per_round, times = [], [], []
    for round_ in range(rounds):
        added = requests.post(
            f"{base}/cart/add", json={"product_id": str(product.pk), "quantity": 1},
            headers={"Authorization": f"Bearer {token}"}, timeout=60,
        )
        assert added.status_code in (200, 201), added.text
        stock = Variation.objects.get(product=product).stock
        orders = Order.objects.filter(buyer=buyer).count()
        key = f"round-{round_}-{time.time_ns()}" if keyed else None
        for status, seconds in _fire(f"{base}/checkout/", token, count, gap=gap, key=key):
            statuses[status] += 1
            times.append(seconds)
        orders_per_round.append(Order.objects.filter(buyer=buyer).count() - orders)
        taken_per_round.append(stock - Variation.objects.get(product=product).stock)
    return {
        "answers": dict(sorted(statuses.items(), key=str)),
        "orders/round": f"{min(orders_per_round)}-{max(orders_per_round)}",
        "stock taken/round": f"{min(taken_per_round)}-{max(taken_per_round)}",
        "p50_ms": round(statistics.median(times) * 1000),
        "max_ms": round(max(times) * 1000),
    }


def run(rows: int | None = None) -> list[dict]:
    from rest_framework_simplejwt.tokens import RefreshToken

    from orders.tests.paystack_server import PAYSTACK_KEY, paystack_served

    rounds = rows or 10
    product, buyers = _setup()
    results = []
    with paystack_served() as (_, paystack_url):
        env = {"PAYSTACK_SECRET_KEY": PAYSTACK_KEY, "PAYSTACK_API_URL": paystack_url,
               "CHECKOUT_UNPAID_MAX_CHECKOUTS": "1000",
               "CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT": "1000"}
        for payment, buyer in buyers:
            token = str(RefreshToken.for_user(buyer).access_token)
            base = f"http://{HOST}:{_port()}"
            with running_server(port=_port(), env=env if payment == "paystack" else None):
                for label, options in [
                    ("8 at once", {"count": 8}),
                    ("2, 50 ms apart", {"count": 2, "gap": 0.05}),
                    ("8 at once, one Idempotency-Key", {"count": 8, "keyed": True}),
                ]:
                    row = {"payment": payment, "submits": label, "rounds": rounds,
                           **_scenario(base, token, product, buyer, rounds, **options)}
                    print(" | ".join(f"{k}={v}" for k, v in row.items()), flush=True)
                    results.append(row)
    return results
