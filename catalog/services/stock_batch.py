"""Several variations' stock moved in one transaction, all lines or none (orders, returns).

Each line goes through ``stock._stock_apply``: the one conditional UPDATE with its row count
checked, the product's inventory, the ledger row and the low-stock alert. This module only adds
what moving several rows together needs:

- **One lock order.** Transactions that move overlapping rows must lock them in the same global
  order, or PostgreSQL deadlocks. Here: first the variations in pk order, then their products
  in pk order, before any row is written (``SELECT ... FOR NO KEY UPDATE``, which still lets
  other transactions insert rows pointing at them). A single ``stock_adjust`` (its variation,
  then its product) fits the same order. SQLite has no row locks; with ``transaction_mode =
  IMMEDIATE`` a writing transaction holds the database write lock from BEGIN, so writers queue.
- **All short lines at once.** A take that finds any line short moves nothing (the transaction
  rolls back) and names every short line with what was asked and what is left.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import Product, StockMovement, StockReason, Variation
from catalog.services.stock import _stock_apply
from users.models import User


@dataclass(frozen=True)
class StockLine:
    variation_id: int
    quantity: int  # > 0: how many units to take (or to put back)


@dataclass(frozen=True)
class StockShortage:
    variation_id: int
    requested: int
    available: int  # 0 when the variation no longer exists


class InsufficientStockError(CatalogError):
    """Some lines of a multi-line take are short; nothing was taken."""

    def __init__(self, shortages: list[StockShortage]) -> None:
        self.shortages = shortages
        described = ", ".join(
            f"variation {s.variation_id}: {s.requested} requested, {s.available} available"
            for s in shortages
        )
        super().__init__(
            f"Not enough stock: {described}.", code=CatalogErrorCode.INSUFFICIENT_STOCK
        )


def _merged(lines: Iterable[StockLine]) -> dict[int, int]:
    """Quantity per variation, in variation pk order (the lock order)."""
    quantities: dict[int, int] = {}
    for line in lines:
        if line.quantity <= 0:
            raise CatalogError(
                "A stock line needs a positive quantity.",
                code=CatalogErrorCode.STOCK_ZERO_CHANGE,
                field="quantity",
            )
        quantities[line.variation_id] = quantities.get(line.variation_id, 0) + line.quantity
    return dict(sorted(quantities.items()))


def _lock_rows(variation_ids: list[int]) -> dict[int, int]:
    """Lock the variations, then their products, each in pk order; returns the stock seen
    under the lock by variation id (missing ids: deleted variations)."""
    features = connection.features
    locking = {"no_key": features.has_select_for_no_key_update}
    rows = list(
        Variation.objects.select_for_update(**locking)
        .filter(pk__in=variation_ids)
        .order_by("pk")
        .values_list("pk", "product_id", "stock")
    )
    if features.has_select_for_update:
        product_ids = sorted({product_id for _, product_id, _ in rows})
        list(
            Product.objects.select_for_update(**locking)
            .filter(pk__in=product_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return {pk: stock for pk, _, stock in rows}


def _move_many(
    *,
    lines: Iterable[StockLine],
    sign: int,
    reason: StockReason,
    actor: User | None,
    note: str,
) -> list[StockMovement]:
    quantities = _merged(lines)
    if not quantities:
        return []
    stock_seen = _lock_rows(list(quantities))
    movements: list[StockMovement] = []
    shortages: list[StockShortage] = []
    for variation_id, quantity in quantities.items():
        if variation_id not in stock_seen:
            if sign < 0:
                shortages.append(StockShortage(variation_id, quantity, 0))
            continue  # nothing to put back into a variation that is gone
        if shortages:
            # The take has already failed and will be rolled back: only find the other short
            # lines, from the stock seen under the lock, so the caller can name them all.
            if stock_seen[variation_id] < quantity:
                shortages.append(StockShortage(variation_id, quantity, stock_seen[variation_id]))
            continue
        try:
            movement = _stock_apply(
                variation_id=variation_id,
                delta=sign * quantity,
                new_stock=None,
                expected_stock=None,
                reason=reason,
                actor=actor,
                note=note,
            )
        except CatalogError as error:
            if getattr(error, "error_code", None) != CatalogErrorCode.INSUFFICIENT_STOCK:
                raise
            available = Variation.objects.values_list("stock", flat=True).get(pk=variation_id)
            shortages.append(StockShortage(variation_id, quantity, available))
        else:
            movements.append(movement)
    if shortages:
        raise InsufficientStockError(shortages)
    return movements


@transaction.atomic
def stock_take_many(
    *,
    lines: Iterable[StockLine],
    reason: StockReason,
    actor: User | None,
    note: str = "",
) -> list[StockMovement]:
    """Take every line's quantity, or nothing: raises ``InsufficientStockError`` naming all
    short lines (a deleted variation counts as short with 0 available). Lines of the same
    variation are added up. Returns the ledger rows in variation pk order."""
    return _move_many(lines=lines, sign=-1, reason=reason, actor=actor, note=note)


@transaction.atomic
def stock_return_many(
    *,
    lines: Iterable[StockLine],
    reason: StockReason,
    actor: User | None,
    note: str = "",
) -> list[StockMovement]:
    """Put every line's quantity back (e.g. a cancelled order). Variations deleted since are
    skipped: there is no stock left to return to. Returns the ledger rows written."""
    return _move_many(lines=lines, sign=1, reason=reason, actor=actor, note=note)
