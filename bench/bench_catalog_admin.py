"""Product changelist render time with 100k products and 300k variations.

Ten manufacturers own 10k products each (3 variations and 1 image row per product) in a
3-level category tree; we time the changelist as one manufacturer and as staff, plain and with
the common filters, and count its queries.
"""

import random
import time
import uuid
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import timed

MANUFACTURERS = 10
VARIATIONS_PER_PRODUCT = 3


def _load(products: int) -> tuple:
    from catalog.models import ApprovalStatus, Product, ProductImage, Variation
    from catalog.services import category_get_or_create_path
    from users.services import user_create

    rng = random.Random(7)
    staff = user_create(email="bench-staff@martaf.test", is_staff=True, is_superuser=True)
    makers = [
        user_create(email=f"maker{i}@bench.test", is_manufacturer=True, company_name=f"Maker {i}")
        for i in range(MANUFACTURERS)
    ]
    cache: dict = {}
    leaves = [
        category_get_or_create_path(names=[f"Dept {a}", f"Aisle {a}.{b}", f"Shelf {a}.{b}.{c}"], cache=cache)
        for a in range(5)
        for b in range(6)
        for c in range(8)
    ]
    started = time.perf_counter()
    statuses = list(ApprovalStatus.values)
    batch = 5000
    for offset in range(0, products, batch):
        rows, variations, images = [], [], []
        for i in range(offset, min(products, offset + batch)):
            maker = makers[i % MANUFACTURERS]
            stocks = [rng.randint(0, 40) for _ in range(VARIATIONS_PER_PRODUCT)]
            product = Product(
                id=uuid.uuid4(),
                manufacturer=maker,
                name=f"Product {i} {rng.choice(['shirt', 'phone', 'basket', 'speaker'])}",
                slug=f"product-{i}",
                handle=f"product-{i}",
                price=Decimal(rng.randint(100, 100000)) / 100,
                discount_percent=Decimal(rng.choice([0, 0, 0, 10, 25])),
                category=leaves[i % len(leaves)],
                approval_status=statuses[i % len(statuses)],
                inventory=sum(stocks),
            )
            rows.append(product)
            for n, stock in enumerate(stocks):
                variations.append(
                    Variation(product=product, manufacturer=maker, size=["S", "M", "L"][n],
                              color="Red", sku=f"SKU-{i}-{n}", stock=stock)
                )
            images.append(ProductImage(product=product, original=f"products/original/{i}.jpg",
                                       thumbnail=f"products/thumbnail/{i}.jpg", position=0))
        Product.objects.bulk_create(rows)
        Variation.objects.bulk_create(variations)
        ProductImage.objects.bulk_create(images)
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, on SQLite and PostgreSQL alike
    return staff, makers[0], leaves, load_seconds, Variation.objects.count()


def run(rows: int | None = None) -> list[dict]:
    from catalog.models import Category

    products = rows or 100_000
    staff, maker, leaves, load_seconds, variation_count = _load(products)
    aisle = Category.objects.get(name="Aisle 2.3")
    results = [{"step": "load (bulk_create)", "products": products, "variations": variation_count,
                "seconds": round(load_seconds, 1)}]
    pages = [
        ("changelist", "/admin/catalog/product/"),
        ("page 100", "/admin/catalog/product/?p=100"),
        ("category subtree", f"/admin/catalog/product/?category={aisle.pk}"),
        ("low-stock filter", "/admin/catalog/product/?stock=low"),
        ("search name", "/admin/catalog/product/?q=basket"),
        ("search SKU", "/admin/catalog/product/?q=SKU-4242-1"),
    ]
    for who, user in [("manufacturer", maker), ("staff", staff)]:
        client = Client()
        client.force_login(user)
        for label, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            results.append(
                {"who": who, "page": label, "queries": len(queries),
                 **timed(lambda url=url, client=client: client.get(url), repeat=5)}
            )
    return results
