"""Demo orders from the demo customers, placed through the order service (so stock, the
ledger and notifications move as in real use). Skipped once the customers have orders."""

import random

from catalog.selectors import products_public
from orders.models import Order, OrderStatus
from orders.services import OrderLineRequest, order_place, order_status_change
from users.models import User
from users.selectors import user_get_by_email

CUSTOMERS = ["ama@example.com", "kofi@example.com"]
PATH = [OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED]


def seed(stdout=None) -> list[Order]:
    buyers = [user for email in CUSTOMERS if (user := user_get_by_email(email=email))]
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if not buyers or staff is None or Order.objects.filter(buyer__in=buyers).exists():
        return []
    rng = random.Random(2026)
    products = list(
        products_public().filter(inventory__gt=3).prefetch_related("variations").order_by("name")
    )
    placed = []
    for n in range(12):
        picks = rng.sample(products, k=min(len(products), rng.randint(1, 3)))
        lines = []
        for product in picks:
            stocked = [v for v in product.variations.all() if v.stock >= 2]
            if stocked:
                variation = rng.choice(stocked)
                lines.append(OrderLineRequest(product_id=product.pk, variation_id=variation.pk,
                                              quantity=rng.randint(1, 2)))
        if not lines:
            continue
        order = order_place(buyer=buyers[n % len(buyers)], lines=lines,
                            payment_method=rng.choice(["CASH", "CARD", "MOBILE"]),
                            shipping_address="12 Oxford Street, Osu, Accra")
        for status in PATH[: n % 4]:
            order = order_status_change(order=order, to=status, actor=staff)
        placed.append(order)
    if stdout:
        stdout.write(f"  placed {len(placed)} demo orders")
    return placed



