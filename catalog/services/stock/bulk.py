"""Setting the stock of many variations at once (catalogue imports).

The bulk sibling of ``stock_apply``, with the same guarantees in a few statements for thousands
of rows: the rows are locked first (``stock_lock_rows``), so the stock read is the stock
replaced; one ledger row per change; inventory moved by the same deltas (``inventory_move``, a
few statements per thousand products); then ``low_stock_alert``, unless the caller runs it once
over a larger write (an import writes its variations in chunks and alerts once at the end).
"""

from django.db import transaction

from catalog.models import StockMovement, StockReason, Variation
from catalog.services.stock.alerts import low_stock_alert
from catalog.services.stock.apply import inventory_move
from catalog.services.stock.locks import BATCH, chunked, stock_lock_rows
from core.bulk_insert import rows_insert
from users.models import User

LEDGER_COLUMNS = ["manufacturer_id", "product_id", "variation_id", "label", "delta",
                  "stock_after", "reason", "actor_id", "note"]


def _record(variations: list, deltas: dict[int, int], labels: dict[int, str], *,
            reason: StockReason, actor: User | None, note: str, alert: bool) -> int:
    """Ledger rows, inventory and (when ``alert``) the low-stock alerts of moved variations,
    their new stock already written. ``variations``: anything with ``pk``, ``product_id``,
    ``manufacturer_id`` and ``stock`` (the stock after the change), Variations or the
    import's light rows. The ledger rows go in with ``rows_insert`` (100k of them as model
    instances through ``bulk_create`` took longer than the rest of an import)."""
    actor_id, note, reason = (actor.pk if actor else None), note[:255], str(reason)
    written = rows_insert(
        StockMovement,
        columns=LEDGER_COLUMNS,
        rows=(
            (v.manufacturer_id, v.product_id, v.pk, labels[v.pk][:320], deltas[v.pk], v.stock,
             reason, actor_id, note)
            for v in variations if deltas[v.pk]
        ),
    )
    by_product: dict = {}
    for variation in variations:
        by_product[variation.product_id] = (
            by_product.get(variation.product_id, 0) + deltas[variation.pk]
        )
    inventory_move(deltas=by_product)
    if alert:
        low_stock_alert(variation_ids=[v.pk for v in variations])
    return written


@transaction.atomic
def stock_set_many(
    *,
    targets: dict[int, int],
    reason: StockReason,
    actor: User | None,
    note: str = "",
    alert: bool = True,
) -> int:
    """Set each variation's stock to ``targets[variation_id]``; returns the ledger rows written."""
    targets = {pk: stock for pk, stock in targets.items() if stock >= 0}
    if not targets:
        return 0
    current = stock_lock_rows(variation_ids=list(targets))
    changed = [pk for pk in sorted(targets) if pk in current and current[pk] != targets[pk]]
    if not changed:
        return 0
    variations = [
        v
        for chunk in chunked(changed)
        for v in Variation.objects.filter(pk__in=chunk).select_related("product").only(
            "pk", "product__name", "product_id", "manufacturer_id", "size", "color"
        )
    ]
    for variation in variations:
        variation.stock = targets[variation.pk]
    Variation.objects.bulk_update(variations, ["stock"], batch_size=BATCH)
    return _record(
        variations,
        {pk: targets[pk] - current[pk] for pk in changed},
        {v.pk: str(v) for v in variations},
        reason=reason, actor=actor, note=note, alert=alert,
    )


@transaction.atomic
def stock_record_new(
    *,
    variations: list[Variation],
    product_names: dict,
    reason: StockReason,
    actor: User | None,
    note: str = "",
    alert: bool = True,
) -> int:
    """Record the opening stock of variations just created with it (bulk_create or
    ``rows_insert``; ``variations`` as ``_record`` takes them). Nothing can have changed them
    yet, so no lock or update is needed: only the ledger rows, inventory and low-stock alerts.
    Returns the ledger rows written."""
    return _record(
        variations,
        {v.pk: v.stock for v in variations},
        {v.pk: " / ".join(x for x in (product_names[v.product_id], v.label) if x)
         for v in variations},
        reason=reason, actor=actor, note=note, alert=alert,
    )
