"""Known data for the dashboard and report tests: two manufacturers whose numbers never mix.

Maker A: "Alpha phone" (100.00, variations M:2 / L:0, thresholds 5) and "Alpha case" (10.00,
stock 50), one pending "Alpha draft"; Maker B: "Beta shoe" (40.00, stock 3, threshold 5).
Orders: one shared (A: 2 x phone M + 1 case = 210.00; B: 2 shoes = 80.00), one of A's only
(1 x phone L = 100.00), one of B's only (1 shoe = 40.00), and a cancelled one of A's (5 cases)
that is no sale.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from catalog.models import Variation
from catalog.services import category_get_or_create_path, product_create
from imports.models import ImportStatus, ProductImport
from orders.services import order_cancel
from orders.tests.helpers import line, place, public_product
from reviews.models import Review, ReviewStatus


def build(*, staff, maker_a, maker_b, buyer, extra_products: int = 0) -> dict:
    phones = category_get_or_create_path(names=["Electronics", "Phones"])
    shoes = category_get_or_create_path(names=["Fashion", "Shoes"])
    alpha_phone = public_product(
        maker_a,
        approver=staff,
        name="Alpha phone",
        price="100.00",
        category=phones,
        variations=[
            {"size": "M", "stock": 4, "low_stock_threshold": 5},
            {"size": "L", "stock": 1, "low_stock_threshold": 5},
        ],
    )
    alpha_case = public_product(
        maker_a, approver=staff, name="Alpha case", price="10.00", stock=50, category=phones
    )
    product_create(
        manufacturer=maker_a,
        actor=maker_a,
        name="Alpha draft",
        price=Decimal("5.00"),
        category=phones,
        stock=1,
        submit=True,
    )
    beta_shoe = public_product(
        maker_b, approver=staff, name="Beta shoe", price="40.00", stock=5, category=shoes
    )
    Variation.objects.filter(product=beta_shoe).update(low_stock_threshold=5)
    for n in range(extra_products):
        public_product(
            maker_a, approver=staff, name=f"Extra {n}", price="1.00", stock=1, category=phones
        )
        public_product(
            maker_b, approver=staff, name=f"Extra B {n}", price="1.00", stock=1, category=shoes
        )

    large, medium = alpha_phone.variations.order_by("size")
    # A: 2 x phone M (200.00) + 1 x phone L (100.00) + 1 case (10.00); B: 2 shoes (80.00).
    shared = place(buyer, line(alpha_phone, 2, medium), line(alpha_case, 1), line(beta_shoe, 2))
    only_a = place(buyer, line(alpha_phone, 1, large))
    only_b = place(buyer, line(beta_shoe, 1))
    cancelled = place(buyer, line(alpha_case, 5))
    order_cancel(order=cancelled, actor=staff)

    Review.objects.create(product=alpha_phone, user=buyer, rating=5)
    Review.objects.create(product=alpha_case, user=staff, rating=3)
    Review.objects.create(
        product=alpha_case, user=maker_b, rating=1, status=ReviewStatus.PENDING
    )
    Review.objects.create(product=beta_shoe, user=buyer, rating=2)
    Review.objects.create(product=beta_shoe, user=staff, rating=4, status=ReviewStatus.PENDING)

    ProductImport.objects.create(
        manufacturer=maker_a,
        created_by=maker_a,
        original_name="alpha.csv",
        status=ImportStatus.COMPLETED,
        rows_total=3,
        created_count=2,
        updated_count=1,
        finished_at=timezone.now(),
    )
    ProductImport.objects.create(
        manufacturer=maker_b,
        created_by=maker_b,
        original_name="beta.csv",
        status=ImportStatus.FAILED,
        rows_total=4,
        error_count=4,
        finished_at=timezone.now() - timedelta(days=1),
    )
    return {
        "alpha_phone": alpha_phone,
        "alpha_case": alpha_case,
        "beta_shoe": beta_shoe,
        "orders": [shared, only_a, only_b, cancelled],
        "phones": phones,
        "shoes": shoes,
    }


def build_more(staff, maker_a, maker_b, buyer) -> None:
    """Another 20 products per manufacturer, orders, reviews and imports on top of ``build``."""
    for n in range(20):
        for maker in (maker_a, maker_b):
            product = public_product(
                maker, approver=staff, name=f"{maker.pk} extra {n}", price="3.00", stock=2
            )
            place(buyer, line(product, 1))
            Review.objects.create(product=product, user=buyer, rating=1 + n % 5)
            ProductImport.objects.create(
                manufacturer=maker, created_by=maker, original_name=f"{n}.csv"
            )
