"""The backoffice's busy lists (orders, order lines, checkouts, reviews, stock movements, the
outbox, notifications, imports): the whole request through Django's test client, in process.

First on the demo data (``manage.py seed_demo``), signed in as its staff user and its first
manufacturer; then with ``--rows`` orders more (default 100,000; the shape is in
``bench/orders_data.py``), as the same staff user and a manufacturer with a tenth of them.
Each page is asked as it opens (the default page), with a search and with a filter; each row
reports the status, the queries of one request and the median and best of ``BENCH_REPEAT``
requests (default 5) after a warm-up one, in wall time and in this process's CPU time (the
machine may be shared: CPU time moves less with its load). "Server time" is all of it:
middleware, the queries, the template. The test environment's template instrumentation (the
test client keeps a copy of every template's context, ~15% of a list page) is switched off, as
on a real server. A markdown table of the figures closes the output.

``BENCH_PAGES=orders,lines`` measures only those pages; ``BENCH_DATA=demo`` or ``big`` only one
of the two data sets.
"""

import io
import os
import statistics
import time

from bench.harness import admin_client

# (label, changelist URL, search, filter); staff_only pages answer 403 to a manufacturer.
PAGES = [
    ("orders", "/admin/orders/order/", "q=shirt", "status__exact=processing"),
    ("lines", "/admin/orders/orderitem/", "q=shirt", "shipped=no"),
    ("checkouts", "/admin/orders/checkout/", "q=buyer17%40", "payment_status__exact=paid"),
    ("reviews", "/admin/reviews/review/", "q=nice", "status__exact=pending"),
    ("stock moves", "/admin/catalog/stockmovement/", "q=shirt", "reason__exact=order"),
    ("outbox", "/admin/notifications/outboundmessage/", "q=buyer17%40", "status__exact=failed"),
    ("notifications", "/admin/notifications/notification/", "q=BN-0000", "is_read__exact=0"),
    ("imports", "/admin/imports/productimport/", "q=catalogue", "state=failed"),
]
STAFF_ONLY = {"checkouts", "outbox"}


def _timed(fn, repeat: int) -> dict:
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "median_ms": round(statistics.median(wall), 1),
        "best_ms": round(min(wall), 1),
        "cpu_ms": round(statistics.median(cpu), 1),
    }


def _no_template_instrumentation() -> None:
    from django.template import Template
    from django.test import utils

    saved = getattr(utils._TestState, "saved_data", None)
    if saved is not None:
        Template._render = saved.template_render


def _measure(data: str, people: list[tuple[str, object]], repeat: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wanted = os.environ.get("BENCH_PAGES")
    pages = [p for p in PAGES if not wanted or p[0] in wanted.split(",")]
    results = []
    for who, user in people:
        client = admin_client(user)
        for label, url, search, filtering in pages:
            for variant, query in [("default", ""), ("search", search), ("filter", filtering)]:
                full = f"{url}?{query}" if query else url
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(full).status_code
                row = {
                    "data": data,
                    "page": label,
                    "user": who,
                    "variant": variant,
                    "status": status,
                    "queries": len(queries),
                }
                if status == 200:
                    row.update(_timed(lambda c=client, u=full: c.get(u), repeat))
                elif label in STAFF_ONLY and who == "manufacturer":
                    row.update({"median_ms": "n/a", "best_ms": "n/a", "cpu_ms": "n/a"})
                else:
                    raise AssertionError(f"{full} as {who}: {status}")
                results.append(row)
    return results


def _table(results: list[dict]) -> str:
    head = "| data | page | user | variant | queries | median ms | best ms | CPU ms |"
    lines = [head, "|---|---|---|---|---:|---:|---:|---:|"]
    for r in results:
        if r["status"] != 200:
            continue
        lines.append(
            f"| {r['data']} | {r['page']} | {r['user']} | {r['variant']} | "
            f"{r['queries']} | {r['median_ms']} | {r['best_ms']} | {r['cpu_ms']} |"
        )
    return "\n".join(lines)


def run(rows: int | None = None) -> list[dict]:
    from django.core.management import call_command
    from django.db import connection

    from bench import orders_data
    from users.models import User

    orders = rows or 100_000
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    which = os.environ.get("BENCH_DATA", "demo,big").split(",")
    _no_template_instrumentation()
    results = []
    started = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    print(f"demo data loaded in {time.perf_counter() - started:.0f} s", flush=True)
    staff = User.objects.get(email="admin@martaf.com")
    if "demo" in which:
        maker = User.objects.get(email="kente@martaf.com")
        results += _measure("demo", [("staff", staff), ("manufacturer", maker)], repeat)
    if "big" in which:
        started = time.perf_counter()
        loaded = orders_data.load(orders=orders)
        shape = ", ".join(f"{k} {v:,}" for k, v in loaded["counts"].items())
        print(
            f"loaded in {time.perf_counter() - started:.0f} s on {connection.vendor}: {shape}",
            flush=True,
        )
        label = f"{orders:,} orders"
        maker = loaded["makers"][0]
        results += _measure(label, [("staff", staff), ("manufacturer", maker)], repeat)
    print(_table(results), flush=True)
    return results
