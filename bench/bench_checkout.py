"""Checkout time: ``POST /checkout/`` of a 3-line cart from 2 manufacturers (pay on delivery),
requested in-process through the whole middleware stack with a JWT, one checkout per buyer.

Each checkout places 2 orders (one per manufacturer) taking 3 variations' stock through the
ledger, removes the 3 cart lines and queues the notifications. Reported: median, 90th
percentile and max over ``rows`` checkouts (default 50), and the queries of one checkout.
"""

import os
import statistics
import time
from decimal import Decimal

from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

PASSWORD = "bench-password-123"
PROFILE = os.environ.get("BENCH_PROFILE") == "1"


def run(rows: int | None = None) -> list[dict]:
    from catalog.services import category_get_or_create_path, product_create
    from shopping.models import ShippingMethod
    from shopping.services import cart_item_add, shipping_address_create
    from users.services import user_create

    checkouts = rows or 50
    staff = user_create(email="staff@bench.test", password=PASSWORD, is_staff=True)
    makers = [
        user_create(email=f"maker{i}@bench.test", password=PASSWORD, is_manufacturer=True,
                    company_name=f"Maker {i}")
        for i in range(2)
    ]
    category = category_get_or_create_path(names=["Bench", "Checkout"])
    products = [
        product_create(
            manufacturer=maker, actor=staff, name=name, price=Decimal(price),
            discount_percent=Decimal("10"), category=category, stock=10 * checkouts,
            approve=True,
        )
        for maker, name, price in [
            (makers[0], "Radio", "120.00"),
            (makers[0], "Cable", "15.50"),
            (makers[1], "Lamp", "45.00"),
        ]
    ]
    ShippingMethod.objects.create(name="Standard", cost=Decimal("12.00"), estimated_days=3)
    clients = []
    for i in range(checkouts + 1):
        buyer = user_create(email=f"buyer{i}@bench.test", password=PASSWORD, is_customer=True)
        shipping_address_create(user=buyer, full_name=f"Buyer {i}", phone="+233200000000",
                                address="1 Ring Road", city="Accra")
        for quantity, product in enumerate(products, start=1):
            cart_item_add(user=buyer, product_id=product.pk, quantity=quantity)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(buyer).access_token}")
        clients.append(client)

    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # the warm-up checkout, counted
        assert clients[0].post("/checkout/", {}, format="json").status_code == 201
    if PROFILE:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        clients[1].post("/checkout/", {}, format="json")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        clients = clients[1:]
    samples = []
    for client in clients[1:]:
        started = time.perf_counter()
        response = client.post("/checkout/", {}, format="json")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 201, response.content
        assert len(response.json()["order_ids"]) == 2
    samples.sort()
    return [
        {
            "checkouts": checkouts,
            "lines": 3,
            "manufacturers": 2,
            "median_ms": round(statistics.median(samples), 1),
            "p90_ms": round(samples[int(len(samples) * 0.9) - 1], 1),
            "max_ms": round(samples[-1], 1),
            "queries": len(queries),
        }
    ]
