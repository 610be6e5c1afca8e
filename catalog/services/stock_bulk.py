"""Setting the stock of many variations at once (catalogue imports).

The bulk sibling of ``stock._stock_apply``, with the same guarantees in a few statements for
thousands of rows: the rows are locked first (variation then product, pk order, on PostgreSQL;
SQLite's IMMEDIATE transaction already holds the write lock), so the stock read is the stock
replaced; one ledger row per change; inventory recomputed from the variations; low-stock
alerts armed and fired. Alerts are individual for a few variations and one summary per
manufacturer beyond that, so a large import does not send hundreds of emails.
"""

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from catalog.models import Product, StockMovement, StockReason, Variation
from catalog.services.stock_batch import _lock_rows
from notifications.services import notify
from users.models import User

BATCH = 1000
INDIVIDUAL_ALERTS = 5


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def stock_set_many(
    *,
    targets: dict[int, int],
    reason: StockReason,
    actor: User | None,
    note: str = "",
) -> int:
    """Set each variation's stock to ``targets[variation_id]``; returns the ledger rows written."""
    targets = {pk: stock for pk, stock in targets.items() if stock >= 0}
    if not targets:
        return 0
    current: dict[int, int] = {}
    for chunk in _chunks(sorted(targets)):
        current.update(_lock_rows(chunk))
    changed = [pk for pk in sorted(targets) if pk in current and current[pk] != targets[pk]]
    if not changed:
        return 0
    rows = {
        v.pk: v
        for chunk in _chunks(changed)
        for v in Variation.objects.filter(pk__in=chunk).select_related("product").only(
            "pk", "product__name", "product_id", "manufacturer_id", "size", "color"
        )
    }
    updates, movements = [], []
    for pk in changed:
        variation = rows[pk]
        variation.stock = targets[pk]
        updates.append(variation)
        movements.append(
            StockMovement(
                manufacturer_id=variation.manufacturer_id,
                product_id=variation.product_id,
                variation_id=pk,
                label=str(variation),
                delta=targets[pk] - current[pk],
                stock_after=targets[pk],
                reason=reason,
                actor=actor,
                note=note[:255],
            )
        )
    Variation.objects.bulk_update(updates, ["stock"], batch_size=BATCH)
    StockMovement.objects.bulk_create(movements, batch_size=BATCH)
    _after_change(product_ids={v.product_id for v in updates}, variation_ids=changed)
    return len(movements)


@transaction.atomic
def stock_record_new(
    *,
    variations: list[Variation],
    product_names: dict,
    reason: StockReason,
    actor: User | None,
    note: str = "",
) -> int:
    """Record the opening stock of variations just created with it (bulk_create). Nothing can
    have changed them yet, so no lock or update is needed: only the ledger rows, inventory and
    low-stock alerts."""
    stocked = [v for v in variations if v.stock]
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                manufacturer_id=v.manufacturer_id,
                product_id=v.product_id,
                variation_id=v.pk,
                label=" / ".join(x for x in (product_names[v.product_id], v.label) if x),
                delta=v.stock,
                stock_after=v.stock,
                reason=reason,
                actor=actor,
                note=note[:255],
            )
            for v in stocked
        ],
        batch_size=BATCH,
    )
    _after_change(product_ids={v.product_id for v in variations},
                  variation_ids=[v.pk for v in variations])
    return len(stocked)


def _after_change(*, product_ids: set, variation_ids: list[int]) -> None:
    """Inventory from the variations, then the low-stock alerts of the changed variations."""
    total = (
        Variation.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(total=Sum("stock"))
        .values("total")
    )
    for chunk in _chunks(sorted(product_ids)):
        Product.objects.filter(pk__in=chunk).update(inventory=Coalesce(Subquery(total), 0))
    _low_stock_check_many(variation_ids)


def _low_stock_check_many(variation_ids: list[int]) -> None:
    low: list[Variation] = []
    for chunk in _chunks(variation_ids):
        rows = Variation.objects.filter(pk__in=chunk)
        low += list(
            rows.filter(stock__lte=F("low_stock_threshold"), low_stock_notified=False)
            .select_related("product", "manufacturer")
            .order_by("pk")
        )
        rows.filter(stock__gt=F("low_stock_threshold"), low_stock_notified=True).update(
            low_stock_notified=False
        )
    for chunk in _chunks([v.pk for v in low]):
        Variation.objects.filter(pk__in=chunk).update(low_stock_notified=True)
    by_manufacturer: dict[int, list[Variation]] = {}
    for variation in low:
        by_manufacturer.setdefault(variation.manufacturer_id, []).append(variation)
    for variations in by_manufacturer.values():
        manufacturer = variations[0].manufacturer
        if len(variations) <= INDIVIDUAL_ALERTS:
            for variation in variations:
                notify(
                    event="low_stock",
                    recipients=[manufacturer],
                    context={"product_name": str(variation), "stock": variation.stock},
                    link=f"/admin/catalog/product/{variation.product_id}/change/",
                )
        else:
            notify(
                event="low_stock",
                recipients=[manufacturer],
                context={
                    "product_name": f"{len(variations)} variations",
                    "stock": "at or below their threshold",
                    "title": f"Low stock: {len(variations)} variations after your import",
                    "body": "These are now at or below their low-stock threshold: "
                    + ", ".join(str(v) for v in variations[:20])
                    + ("…" if len(variations) > 20 else ""),
                },
                link="/admin/catalog/product/?stock=low",
            )
