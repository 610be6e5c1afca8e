"""Throughput over real HTTP with one and with two web processes (uvicorn ``--workers``, as
``runbackoffice --workers N`` runs them), side by side in one run.

For each process count: the storefront catalogue list (``GET /products/list/``, anonymous, the
cached first page) at concurrency 8 with the raw load generator (``bench.loadgen``); then
checkouts paid on delivery: ``rows`` buyers (default 8) at once, each in a loop of
``POST /cart/add`` + ``POST /checkout/`` on its own connection, for ``BENCH_SECONDS`` (default 8).
Reported: req/s, p50 and p99, and the statuses (every answer must be a 2xx). The order is
one, two, two, one process(es) (ABBA), and the machine's load average before and after.

Run it on PostgreSQL (``DATABASE_URL``; SQLite queues every write on one file lock) and
with ``REDIS_URL`` to share the cache between processes, as in production:
``make bench BENCH_ARGS="web_processes"``.
"""

import os
import statistics
import threading
import time
from collections import Counter
from decimal import Decimal

import requests

from bench.loadgen import measure
from bench.server import running_server

HOST = "127.0.0.1"
PASSWORD = "bench-password-123"


def _port() -> int:
    return int(os.environ.get("BENCH_PORT", "8767"))


def _seconds() -> float:
    return float(os.environ.get("BENCH_SECONDS", "8"))


def _setup(buyers: int):
    from catalog.services import category_get_or_create_path, product_create
    from shopping.services import shipping_address_create
    from users.services import user_create

    staff = user_create(email="staff@web.test", password=PASSWORD, is_staff=True)
    maker = user_create(email="maker@web.test", password=PASSWORD, is_manufacturer=True,
                        company_name="Maker")
    category = category_get_or_create_path(names=["Bench", "Web"])
    products = [
        product_create(manufacturer=maker, actor=staff, name=f"Web product {i}",
                       price=Decimal("10.00") + i, category=category, stock=10_000_000,
                       approve=True)
        for i in range(30)
    ]
    people = []
    for i in range(buyers):
        buyer = user_create(email=f"buyer{i}@web.test", password=PASSWORD, is_customer=True)
        shipping_address_create(user=buyer, full_name="Buyer", phone="+233200000000",
                                address="1 Ring Road", city="Accra")
        people.append(buyer)
    return products, people


def _checkouts(base: str, tokens: list[str], products: list, seconds: float) -> dict:
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(tokens))
    deadline: list[float] = []

    def buyer(index: int, token: str) -> None:
        session = requests.Session()
        headers = {"Authorization": f"Bearer {token}"}
        product = str(products[index % len(products)].pk)
        barrier.wait(timeout=60)
        if index == 0:
            deadline.append(time.perf_counter() + seconds)
        while not deadline:
            time.sleep(0.001)
        while time.perf_counter() < deadline[0]:
            added = session.post(f"{base}/cart/add", headers=headers, timeout=60,
                                 json={"product_id": product, "quantity": 1})
            started = time.perf_counter()
            placed = session.post(f"{base}/checkout/", headers=headers, json={}, timeout=60)
            took = time.perf_counter() - started
            with lock:
                statuses[added.status_code] += 1
                statuses[placed.status_code] += 1
                if placed.status_code == 201:
                    latencies.append(took)

    threads = [threading.Thread(target=buyer, args=(i, t)) for i, t in enumerate(tokens)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "checkouts": len(latencies),
        "checkouts_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000) if latencies else None,
        "statuses": dict(statuses),
    }


def run(rows: int | None = None) -> list[dict]:
    from rest_framework_simplejwt.tokens import RefreshToken

    products, buyers = _setup(rows or 8)
    tokens = [str(RefreshToken.for_user(b).access_token) for b in buyers]
    env = {"CHECKOUT_UNPAID_MAX_CHECKOUTS": "1000000",
           "CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT": "10000000"}
    load = os.getloadavg()
    results = []
    # ABBA: one, two, two, one process(es), so that a load that drifts during the run (the
    # machine is shared) weighs on both alike.
    for workers in (1, 2, 2, 1):
        with running_server(port=_port(), env=env, workers=workers):
            base = f"http://{HOST}:{_port()}"
            for _ in range(2 * workers):  # each process reads the list once before timing
                requests.get(f"{base}/products/list/", timeout=60)
            listed = measure(HOST, _port(), "/products/list/", concurrency=8,
                             seconds=_seconds())
            row = {"web_processes": workers, "what": "GET /products/list/ x8",
                   "req_per_s": listed["req_per_s"], "p50_ms": listed["p50_ms"],
                   "p99_ms": listed["p99_ms"], "statuses": listed["statuses"]}
            print(" | ".join(f"{k}={v}" for k, v in row.items()), flush=True)
            results.append(row)
            checkout = _checkouts(base, tokens, products, _seconds())
            row = {"web_processes": workers, "what": f"cart add + checkout x{len(tokens)}",
                   "req_per_s": checkout["checkouts_per_s"], "p50_ms": checkout["p50_ms"],
                   "p99_ms": checkout["p99_ms"], "statuses": checkout["statuses"],
                   "checkouts": checkout["checkouts"]}
            print(" | ".join(f"{k}={v}" for k, v in row.items()), flush=True)
            results.append(row)
    after = os.getloadavg()
    results.append({"load_before": " ".join(f"{x:.1f}" for x in load),
                    "load_after": " ".join(f"{x:.1f}" for x in after), "cores": os.cpu_count()})
    return results
