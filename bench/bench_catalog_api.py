"""The storefront catalogue API over real HTTP, beside the framework's floor.

The server is started as ``make run`` starts it (uvicorn, ASGI, one process) on the bench's
throw-away database, with two bare views mounted by the bench's settings only
(``bench/server_settings.py``): a Django ``JsonResponse`` and a DRF ``APIView``. A small
asyncio load generator (``bench/loadgen.py``) drives each URL with keep-alive connections at
concurrency 1 and 8; ``vs_drf`` is the URL's req/s over the bare DRF view's, measured in the
same server session.

Steps: 1k products (list cost at a small catalogue), the rest up to ``rows`` (default 100k;
the standard tree, 275 categories), then the same products spread over a wide tree (~1,500
category paths). At 100k the cached list is measured once more while a sale a second (a
stock move through the services) moves the catalogue's version, as a live marketplace does.
Data shape: ``bench/catalog_data.py``. Set ``BENCH_PORT`` (default 8765) and
``BENCH_SECONDS`` (per measurement, default 4).
"""

import contextlib
import os
import time

from bench import catalog_data
from bench.loadgen import measure
from bench.server import running_server

HOST = "127.0.0.1"
SMALL = 1000


def _port() -> int:
    return int(os.environ.get("BENCH_PORT", "8765"))


def _seconds() -> float:
    return float(os.environ.get("BENCH_SECONDS", "4"))


def _session(label: str, urls: list[tuple[str, str]], *, concurrencies=(1, 8),
             env: dict | None = None, sales: bool = False) -> list[dict]:
    """Measure ``urls`` (the bare DRF view first) in one server session; with ``sales``, while
    a sale a second moves the catalogue's version."""
    rows = []
    port = _port()
    with running_server(port=port, env=env), (_sales() if sales else contextlib.nullcontext()):
        floor: dict[int, float] = {}
        for name, url in [("bare Django view", "/bench/bare-django/"),
                          ("bare DRF view", "/bench/bare-drf/"), *urls]:
            for concurrency in concurrencies:
                figures = measure(HOST, port, url, concurrency=concurrency, seconds=_seconds())
                if name == "bare DRF view":
                    floor[concurrency] = figures["req_per_s"]
                ratio = figures["req_per_s"] / floor[concurrency] if floor else None
                statuses = figures.pop("statuses")
                if set(statuses) != {200}:
                    figures["statuses"] = statuses
                rows.append({
                    "catalogue": label, "request": name, "c": concurrency, **figures,
                    "vs_drf": "" if ratio is None else f"{ratio:.3f}",
                })
                print(" | ".join(f"{k}={v}" for k, v in rows[-1].items()), flush=True)
    return rows


@contextlib.contextmanager
def _sales(every: float = 1.0):
    """A sale every ``every`` seconds in the background (``bench/sales.py``, its own process),
    each moving the catalogue's version."""
    import subprocess
    import sys

    from django.db import connection

    from bench.server import ROOT

    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.server_settings",
                   "BENCH_DB_NAME": connection.settings_dict["NAME"]}
    process = subprocess.Popen([sys.executable, "-m", "bench.sales", str(every)], cwd=ROOT,
                               env=environment)
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _admin_changelist(maker, dept) -> list[dict]:
    """The product changelist's server time (in-process: the admin's own view, no HTTP), as a
    manufacturer and as staff, plain and with the search and low-stock filter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.harness import admin_client, timed
    from users.services import user_create

    staff = user_create(email="bench-staff@bench.test", is_staff=True, is_superuser=True)
    rows = []
    pages = [
        ("changelist", "/admin/catalog/product/"),
        ("page 100", "/admin/catalog/product/?p=100"),
        ("search name", "/admin/catalog/product/?q=basket"),
        ("search SKU", "/admin/catalog/product/?q=SKU-4242-1"),
        ("low-stock filter", "/admin/catalog/product/?stock=low"),
        ("category subtree", f"/admin/catalog/product/?category={dept.pk}"),
    ]
    for who, user in [("manufacturer", maker), ("staff", staff)]:
        client = admin_client(user)
        for label, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            rows.append({"admin": who, "page": label, "queries": len(queries),
                         **timed(lambda url=url, client=client: client.get(url), repeat=7)})
            print(" | ".join(f"{k}={v}" for k, v in rows[-1].items()), flush=True)
    connection.close()
    return rows


def run(rows: int | None = None) -> list[dict]:
    from django.conf import settings

    from catalog.models import ApprovalStatus, Category, Product, Variation
    from reviews.models import Review

    total = rows or 100_000
    results = []
    makers, customers = catalog_data.load_people()
    leaves = catalog_data.load_tree(catalog_data.STANDARD_TREE, prefix="std")
    started = time.perf_counter()
    catalog_data.load_products(start=0, stop=min(SMALL, total), makers=makers,
                               customers=customers, leaves=leaves)
    load_seconds = time.perf_counter() - started
    list_url = "/products/list/?page_size=20"
    if hasattr(settings, "CATALOG_API_CACHE_SECONDS"):
        results += _session(f"{SMALL} products, no page cache", [("list", list_url)],
                            env={"CATALOG_API_CACHE_SECONDS": "0"})
    results += _session(f"{SMALL} products", [("list", list_url)])

    started = time.perf_counter()
    catalog_data.load_products(start=SMALL, stop=total, makers=makers, customers=customers,
                               leaves=leaves)
    load_seconds += time.perf_counter() - started
    results.append({
        "step": "load (bulk_create)", "seconds": round(load_seconds, 1),
        "products": Product.objects.count(),
        "public": Product.objects.filter(approval_status=ApprovalStatus.APPROVED).count(),
        "variations": Variation.objects.count(), "reviews": Review.objects.count(),
        "categories": Category.objects.count(),
    })
    print(results[-1], flush=True)
    dept = Category.objects.get(name="std Dept 2")
    product = Product.objects.get(handle=f"product-{total // 20 * 10 + 2}")  # approved
    urls = [
        ("list", list_url),
        ("list page=50", f"{list_url}&page=50"),
        ("list category", f"{list_url}&category={dept.slug}"),
        ("list search", f"{list_url}&search=basket"),
        ("list ordering=-rating", f"{list_url}&ordering=-rating"),
        ("list ordering=price", f"{list_url}&ordering=price"),
        ("detail", f"/products/{product.pk}/"),
    ]
    label = f"{total // 1000}k products, 275 categories"
    results += _admin_changelist(makers[0], dept)
    if hasattr(settings, "CATALOG_API_CACHE_SECONDS"):
        results += _session(f"{label}, no page cache", urls,
                            env={"CATALOG_API_CACHE_SECONDS": "0"})
    results += _session(label, urls)
    results += _session(f"{label}, a sale a second", urls[:3], sales=True)

    wide = catalog_data.load_tree(catalog_data.WIDE_TREE, prefix="wide")
    catalog_data.move_products_to(wide)
    wide_dept = Category.objects.get(name="wide Dept 3")
    wide_urls = [
        ("list", list_url),
        ("list category", f"{list_url}&category={wide_dept.slug}"),
        ("list ordering=-rating", f"{list_url}&ordering=-rating"),
    ]
    label = f"{total // 1000}k products, wide tree ({len(wide)} leaves)"
    if hasattr(settings, "CATALOG_API_CACHE_SECONDS"):
        results += _session(f"{label}, no page cache", wide_urls,
                            env={"CATALOG_API_CACHE_SECONDS": "0"})
    results += _session(label, wide_urls)
    _print_summary(results)
    return results


def _print_summary(results: list[dict]) -> None:
    """A markdown table per catalogue: each request's req/s over the bare DRF view's and its p50
    and p99/p50, at concurrency 1 and 8, one column per session."""
    sessions = list(dict.fromkeys(r["catalogue"] for r in results if "catalogue" in r))
    requests = list(dict.fromkeys(r["request"] for r in results if "catalogue" in r))
    cells = {(r["catalogue"], r["request"], r["c"]): r for r in results if "catalogue" in r}
    print("\n| request | " + " | ".join(sessions) + " |")
    print("|---|" + "---|" * len(sessions))
    for request in requests:
        row = []
        for session in sessions:
            pair = [cells.get((session, request, c)) for c in (1, 8)]
            row.append(" / ".join(
                "–" if cell is None else
                f"{cell['vs_drf'] or '-'} ({cell['p50_ms']} ms, p99 {cell['p99/p50']}x)"
                for cell in pair))
        print(f"| {request} | " + " | ".join(row) + " |")
    print("(each cell: c=1 / c=8 as req/s over the bare DRF view, p50, p99 over p50)\n")
