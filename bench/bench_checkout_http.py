"""Checkout over real HTTP: ``POST /checkout/`` of a cart of three lines from two manufacturers
(two phones from one, a shirt M and a shirt L from the other), paid on delivery and with
Paystack (the tests' fake Paystack, served over HTTP on this machine), at concurrency 1 and 4.

The server is started as ``make run`` starts it (uvicorn, one process). Every checkout is
another buyer's (each buyer has one such cart, made in bulk beforehand), so each request places
two orders, takes four units through the stock ledger and tells three people. Reported per
scenario: the answers by status, checkouts per second, p50 and p99, and the queries one
checkout runs (counted in-process on the same kind of cart, on-commit work included).
"""

import os
import statistics
import threading
import time
from decimal import Decimal

import requests

from bench.server import running_server

HOST = "127.0.0.1"
ROUNDS = {1: 40, 4: 120}


def _port() -> int:
    return int(os.environ.get("BENCH_PORT", "18520"))


def _setup(buyers_needed: int):
    from catalog.services import category_get_or_create_path, product_create
    from shopping.models import CartItem, ShippingAddress
    from users.models import User
    from users.services import user_create

    staff = user_create(email="staff@checkout.test", is_staff=True)
    makers = [user_create(email=f"maker{n}@checkout.test", is_manufacturer=True,
                          company_name=f"Maker {n}") for n in range(2)]
    category = category_get_or_create_path(names=["Bench", "Checkout"])
    phone = product_create(manufacturer=makers[0], actor=staff, name="Phone",
                           price=Decimal("100.00"), category=category, stock=100_000,
                           approve=True)
    shirt = product_create(manufacturer=makers[1], actor=staff, name="Shirt",
                           price=Decimal("40.00"), category=category, approve=True,
                           variations=[{"size": "M", "stock": 100_000},
                                       {"size": "L", "stock": 100_000}])
    m, size_l = shirt.variations.get(size="M"), shirt.variations.get(size="L")
    buyers = User.objects.bulk_create(
        User(email=f"buyer{n}@checkout.test", first_name="B", last_name=str(n), password="!",
             is_customer=True)
        for n in range(buyers_needed)
    )
    ShippingAddress.objects.bulk_create(
        ShippingAddress(user=buyer, full_name="Buyer", phone="+233200000000",
                        address="1 Ring Road", city="Accra", is_default=True)
        for buyer in buyers
    )
    CartItem.objects.bulk_create(
        item
        for buyer in buyers
        for item in (
            CartItem(user=buyer, product=phone, variation=phone.variations.get(), quantity=2),
            CartItem(user=buyer, product=shirt, variation=m, quantity=1),
            CartItem(user=buyer, product=shirt, variation=size_l, quantity=1),
        )
    )
    return buyers


def _queries_of_one(buyer) -> int:
    """The queries of one checkout in-process (the web process's work: on-commit callbacks
    run, tasks handed to the broker, not run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_q.conf import Conf
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(buyer).access_token}")
    sync, Conf.SYNC = Conf.SYNC, False
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/checkout/", {}, format="json")
    finally:
        Conf.SYNC = sync
    assert response.status_code == 201, response.content
    return len(queries)


def _fire(base: str, tokens: list[str], concurrency: int) -> dict:
    pending = list(tokens)
    lock = threading.Lock()
    times, statuses = [], {}

    def work() -> None:
        session = requests.Session()
        while True:
            with lock:
                if not pending:
                    return
                token = pending.pop()
            started = time.perf_counter()
            response = session.post(f"{base}/checkout/", json={}, timeout=120,
                                    headers={"Authorization": f"Bearer {token}"})
            elapsed = time.perf_counter() - started
            with lock:
                times.append(elapsed)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    times.sort()
    return {
        "answers": statuses,
        "checkouts_per_s": round(len(times) / wall, 1),
        "p50_ms": round(statistics.median(times) * 1000),
        "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))] * 1000),
    }


def run(rows: int | None = None) -> list[dict]:
    from django.test.utils import override_settings
    from rest_framework_simplejwt.tokens import RefreshToken

    from orders.tests.paystack_server import PAYSTACK_KEY, paystack_served

    per_mode = sum(ROUNDS.values()) + 1
    buyers = _setup(2 * per_mode)
    results = []
    load = os.getloadavg()
    with paystack_served() as (_, paystack_url):
        env = {"PAYSTACK_SECRET_KEY": PAYSTACK_KEY, "PAYSTACK_API_URL": paystack_url,
               "CHECKOUT_UNPAID_MAX_CHECKOUTS": "1000"}
        for index, payment in enumerate(("on_delivery", "paystack")):
            group = buyers[index * per_mode:(index + 1) * per_mode]
            overrides = ({"PAYSTACK_SECRET_KEY": PAYSTACK_KEY, "PAYSTACK_API_URL": paystack_url}
                         if payment == "paystack" else {})
            with override_settings(**overrides):
                queries = _queries_of_one(group[0])
            tokens = [str(RefreshToken.for_user(b).access_token) for b in group[1:]]
            with running_server(port=_port(), env=env if payment == "paystack" else None):
                for concurrency, count in ROUNDS.items():
                    batch, tokens = tokens[:count], tokens[count:]
                    row = {"payment": payment, "c": concurrency, "checkouts": count,
                           "queries": queries,
                           **_fire(f"http://{HOST}:{_port()}", batch, concurrency)}
                    print(" | ".join(f"{k}={v}" for k, v in row.items()), flush=True)
                    results.append(row)
    results.append({"load_before": " ".join(f"{x:.1f}" for x in load),
                    "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg())})
    return results
