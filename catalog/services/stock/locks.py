"""The one lock order of stock writes that move several rows together.

Transactions that move overlapping rows must lock them in the same global order, or PostgreSQL
deadlocks. Here: first the variations in pk order, then their products in pk order, before any
row is written (``SELECT ... FOR NO KEY UPDATE``, which still lets other transactions insert
rows pointing at them). A single ``stock_adjust`` (its variation, then its product) fits the
same order. SQLite has no row locks; with ``transaction_mode = IMMEDIATE`` a writing
transaction holds the database write lock from BEGIN, so writers queue.

The checkout takes every line of every manufacturer's order in one call, so its variations are
locked in variation pk order like any other multi-row take (``stock_lock_variations``: one
statement for the variations, one for their products).
"""

from collections.abc import Iterator

from django.db import connection

from catalog.models import Product, Variation

BATCH = 1000


def chunked(items: list, size: int = BATCH) -> Iterator[list]:
    """``items`` in slices of ``size``: one statement per slice keeps SQL parameters bounded."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stock_lock_rows(*, variation_ids: list[int]) -> dict[int, int]:
    """Lock the variations, then their products, each in pk order; returns the stock seen
    under the lock by variation id (missing ids: deleted variations). Call it inside the
    write's transaction, before reading anything the write depends on."""
    features = connection.features
    locking = {"no_key": features.has_select_for_no_key_update}
    stock_seen: dict[int, int] = {}
    product_ids: set[int] = set()
    for chunk in chunked(sorted(variation_ids)):
        rows = (
            Variation.objects.select_for_update(**locking)
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", "product_id", "stock")
        )
        for pk, product_id, stock in rows:
            stock_seen[pk] = stock
            product_ids.add(product_id)
    if features.has_select_for_update:
        for chunk in chunked(sorted(product_ids)):
            list(
                Product.objects.select_for_update(**locking)
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
    return stock_seen


def stock_lock_variations(*, variation_ids: list[int]) -> dict[int, Variation]:
    """``stock_lock_rows`` for a write that needs the rows themselves: the variations (with
    their product's name, for the ledger's label) locked in pk order in one statement per
    chunk, then their products; returns them by id (missing ids: deleted variations). What
    they hold was read under the lock, so a take can check every line before writing any."""
    features = connection.features
    locking = {"no_key": features.has_select_for_no_key_update, "of": ("self",)}
    if not features.has_select_for_update_of:
        locking.pop("of")
    found: dict[int, Variation] = {}
    for chunk in chunked(sorted(variation_ids)):
        rows = (
            Variation.objects.select_for_update(**locking)
            .select_related("product")
            .only(
                "pk", "product_id", "manufacturer_id", "size", "color", "stock",
                "low_stock_threshold", "low_stock_notified", "product__name",
            )
            .filter(pk__in=chunk)
            .order_by("pk")
        )
        found.update((variation.pk, variation) for variation in rows)
    if features.has_select_for_update:
        product_ids = sorted({variation.product_id for variation in found.values()})
        for chunk in chunked(product_ids):
            list(
                Product.objects.select_for_update(no_key=features.has_select_for_no_key_update)
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
    return found
