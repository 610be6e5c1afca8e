"""The storefront benchmark's catalogue, loaded with ``bulk_create`` (minutes, not hours).

Shape: ten manufacturers, 200 customers; products in a category tree (the standard tree: 5
departments x 6 aisles x 8 shelves = 240 leaves, 275 nodes; the wide tree: 10 x 15 x 10 =
1,500 leaves, 1,660 nodes); 90% of the products approved and active, each with 3 variations
and 1 image row, and ``i % 4`` published reviews (about 150k for 100k products).
Categories are created directly with their materialised paths (the services' one-by-one
creation costs ~12 queries per node and is not what is measured here).
"""

import random
from decimal import Decimal

from django.db import connection

MANUFACTURERS = 10
CUSTOMERS = 200
VARIATIONS_PER_PRODUCT = 3
STANDARD_TREE = (5, 6, 8)
WIDE_TREE = (10, 15, 10)
WORDS = ["shirt", "phone", "basket", "speaker"]


def load_people() -> tuple[list, list]:
    from users.models import User
    from users.services import user_create

    makers = [
        user_create(email=f"maker{i}@bench.test", is_manufacturer=True, company_name=f"Maker {i}")
        for i in range(MANUFACTURERS)
    ]
    customers = User.objects.bulk_create(
        User(email=f"buyer{i}@bench.test", first_name=f"Buyer{i}", last_name="B", password="!",
             is_customer=True)
        for i in range(CUSTOMERS)
    )
    return makers, customers


def load_tree(shape: tuple[int, int, int], *, prefix: str) -> list:
    """A three-level tree of ``shape``; returns its leaves. Appended after existing roots."""
    from catalog.models import Category

    first_root = Category.objects.filter(depth=1).count() + 1
    nodes, leaves = [], []

    def node(name: str, path: str, depth: int, children: int):
        category = Category(name=name, slug=f"{prefix}-{path.lower()}", path=path, depth=depth,
                            numchild=children)
        nodes.append(category)
        return category

    a_count, b_count, c_count = shape
    for a in range(a_count):
        root = Category._get_path(None, 1, first_root + a)
        node(f"{prefix} Dept {a}", root, 1, b_count)
        for b in range(b_count):
            aisle = Category._get_path(root, 2, b + 1)
            node(f"{prefix} Aisle {a}.{b}", aisle, 2, c_count)
            for c in range(c_count):
                leaves.append(node(f"{prefix} Shelf {a}.{b}.{c}",
                                   Category._get_path(aisle, 3, c + 1), 3, 0))
    Category.objects.bulk_create(nodes, batch_size=500)
    by_path = dict(Category.objects.values_list("path", "pk"))
    for category in leaves:
        category.pk = by_path[category.path]
    return leaves


def load_products(*, start: int, stop: int, makers: list, customers: list, leaves: list) -> None:
    from catalog.models import ApprovalStatus, Product, ProductImage, Variation
    from reviews.models import Review, ReviewStatus

    rng = random.Random(start)
    batch = 5000
    for offset in range(start, stop, batch):
        rows, variations, images, reviews = [], [], [], []
        for i in range(offset, min(stop, offset + batch)):
            maker = makers[i % MANUFACTURERS]
            stocks = [rng.randint(0, 40) for _ in range(VARIATIONS_PER_PRODUCT)]
            product = Product(  # the id: the model's default, in time order as the app's
                manufacturer=maker,
                name=f"Product {i} {rng.choice(WORDS)}",
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
    after_bulk_load()


def move_products_to(leaves: list) -> None:
    """Spread every product over ``leaves`` (product-i goes to leaf i mod len), in SQL."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_leaf (k integer PRIMARY KEY, category_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_leaf (k, category_id) VALUES (%s, %s)",
            [(k, leaf.pk) for k, leaf in enumerate(leaves)],
        )
        cursor.execute(
            "UPDATE catalog_product SET category_id = (SELECT category_id FROM bench_leaf "
            f"WHERE k = CAST(SUBSTR(handle, 9) AS INTEGER) % {len(leaves)})"
        )
        cursor.execute("DROP TABLE bench_leaf")
    after_bulk_load()


def after_bulk_load() -> None:
    """What the services keep up to date row by row, recomputed once after a bulk load, and
    fresh planner statistics."""
    from reviews.services import product_rating_refresh

    product_rating_refresh()  # every product's stored rating, and the catalogue's version
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does within a minute of a load this size in a live database
            # (statistics and the visibility map, so index-only scans skip the heap).
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
