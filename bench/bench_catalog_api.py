"""Storefront catalogue API throughput with 100k products: ``/products/list/?page_size=20``
against a minimal JSON view served the same way.

Both are requested in-process with Django's test ``Client`` through the whole middleware stack
(CORS, sessions, auth ...), so the ratio (list / minimal) is the figure that travels between
machines; absolute requests/s depend on the machine. Two minimal views are timed: a DRF
``APIView`` (the framework floor of any API response here) and a plain Django ``JsonResponse``.

Data: ten manufacturers, 100k products in a 3-level category tree (240 leaves), 90% approved
and active, each with 3 variations and 1 image row, and 0-3 published reviews (about 150k).
"""

import random
import statistics
import sys
import time
import types
import uuid
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

MANUFACTURERS = 10
CUSTOMERS = 200
VARIATIONS_PER_PRODUCT = 3
URLCONF = "bench_catalog_api_urls"


def _install_urlconf() -> None:
    """The project's routes plus the two minimal views, as a module Django can import."""
    from django.http import JsonResponse
    from django.urls import include, path
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class MinimalAPIView(APIView):
        authentication_classes: list = []
        permission_classes = [AllowAny]

        def get(self, request):
            return Response({"ok": True})

    def minimal_django(request):
        return JsonResponse({"ok": True})

    module = types.ModuleType(URLCONF)
    module.urlpatterns = [
        path("bench/minimal-drf/", MinimalAPIView.as_view()),
        path("bench/minimal-django/", minimal_django),
        path("", include("backoffice.urls")),
    ]
    sys.modules[URLCONF] = module


def _load(products: int) -> float:
    from catalog.models import (
        ApprovalStatus,
        Product,
        ProductImage,
        Review,
        ReviewStatus,
        Variation,
    )
    from catalog.services import category_get_or_create_path
    from users.models import User
    from users.services import user_create

    rng = random.Random(7)
    makers = [
        user_create(email=f"maker{i}@bench.test", is_manufacturer=True, company_name=f"Maker {i}")
        for i in range(MANUFACTURERS)
    ]
    customers = User.objects.bulk_create(
        User(email=f"buyer{i}@bench.test", first_name=f"Buyer{i}", last_name="B", password="!",
             is_customer=True)
        for i in range(CUSTOMERS)
    )
    cache: dict = {}
    leaves = [
        category_get_or_create_path(
            names=[f"Dept {a}", f"Aisle {a}.{b}", f"Shelf {a}.{b}.{c}"], cache=cache
        )
        for a in range(5)
        for b in range(6)
        for c in range(8)
    ]
    started = time.perf_counter()
    batch = 5000
    for offset in range(0, products, batch):
        rows, variations, images, reviews = [], [], [], []
        for i in range(offset, min(products, offset + batch)):
            maker = makers[i % MANUFACTURERS]
            stocks = [rng.randint(0, 40) for _ in range(VARIATIONS_PER_PRODUCT)]
            product = Product(
                id=uuid.uuid4(),
                manufacturer=maker,
                name=f"Product {i} {rng.choice(['shirt', 'phone', 'basket', 'speaker'])}",
                slug=f"product-{i}",
                handle=f"product-{i}",
                description="A fine product for the benchmark.",
                price=Decimal(rng.randint(100, 100000)) / 100,
                discount_percent=Decimal(rng.choice([0, 0, 0, 10, 25])),
                category=leaves[i % len(leaves)],
                approval_status=(
                    ApprovalStatus.PENDING if i % 10 == 9 else ApprovalStatus.APPROVED
                ),
                inventory=sum(stocks),
            )
            rows.append(product)
            for n, stock in enumerate(stocks):
                variations.append(
                    Variation(product=product, manufacturer=maker, size=["S", "M", "L"][n],
                              color="Red", sku=f"SKU-{i}-{n}", stock=stock)
                )
            images.append(
                ProductImage(product=product, original=f"products/original/{i}.jpg",
                             medium=f"products/medium/{i}.jpg",
                             thumbnail=f"products/thumbnail/{i}.jpg", alt_text=product.name)
            )
            for n in range(i % 4):
                reviews.append(
                    Review(product=product, user=customers[(i + n) % CUSTOMERS],
                           rating=rng.randint(1, 5), comment="Nice.",
                           status=ReviewStatus.PUBLISHED)
                )
        Product.objects.bulk_create(rows)
        Variation.objects.bulk_create(variations)
        ProductImage.objects.bulk_create(images)
        Review.objects.bulk_create(reviews)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, on SQLite and PostgreSQL alike
    return time.perf_counter() - started


def _throughput(client: Client, url: str, *, seconds: float, rounds: int = 5) -> dict:
    """Requests per second over ``rounds`` rounds of about ``seconds`` each (after warm-up)."""
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    rates = []
    for _ in range(rounds):
        count, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            client.get(url)
            count += 1
        rates.append(count / elapsed)
    return {
        "req_per_s": round(statistics.median(rates), 1),
        "min": round(min(rates), 1),
        "max": round(max(rates), 1),
        "ms_per_req": round(1000 / statistics.median(rates), 2),
    }


def run(rows: int | None = None) -> list[dict]:
    from catalog.models import Category, Product, Review

    products = rows or 100_000
    load_seconds = _load(products)
    _install_urlconf()
    results = [{
        "step": "load (bulk_create)",
        "products": Product.objects.count(),
        "public": Product.objects.filter(approval_status="approved").count(),
        "reviews": Review.objects.count(),
        "seconds": round(load_seconds, 1),
    }]
    dept = Category.objects.get(name="Dept 2")
    pages = [
        ("minimal DRF view", "/bench/minimal-drf/", 1.0),
        ("minimal Django view", "/bench/minimal-django/", 1.0),
        ("list page_size=20", "/products/list/?page_size=20", 2.0),
        ("list page_size=20 page=2000", "/products/list/?page_size=20&page=2000", 2.0),
        ("list category subtree", f"/products/list/?page_size=20&category={dept.slug}", 2.0),
        ("list ordering=-rating", "/products/list/?page_size=20&ordering=-rating", 2.0),
        ("list ordering=price", "/products/list/?page_size=20&ordering=price", 2.0),
        ("list page_size=100", "/products/list/?page_size=100", 2.0),
    ]
    client = Client()
    with override_settings(ROOT_URLCONF=URLCONF):
        rates = {}
        for label, url, seconds in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            query_count = len(queries)  # before the next request resets the query log
            figures = _throughput(client, url, seconds=seconds)
            rates[label] = figures["req_per_s"]
            results.append({"page": label, "queries": query_count, **figures})
        # What an index for the default order ("newest first" among public products) would
        # give; the Product model has none yet (see README).
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX bench_product_public_created ON catalog_product "
                "(approval_status, is_active, created_at DESC)"
            )
            cursor.execute("ANALYZE")
        label = "list page_size=20 + index (status, active, created_at)"
        figures = _throughput(client, "/products/list/?page_size=20", seconds=2.0)
        rates[label] = figures["req_per_s"]
        results.append({"page": label, "queries": 7, **figures})
    floor = rates["minimal DRF view"]
    for row in results[1:]:
        row["vs_minimal_drf"] = f"{rates[row['page']] / floor:.3f}"
    return results
