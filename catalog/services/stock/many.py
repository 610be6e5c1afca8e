"""Several variations' stock moved in one transaction, all lines or none (orders, returns).

Each line goes through ``stock_apply`` (the conditional UPDATE, inventory, ledger row) after
``stock_lock_rows`` has locked every row in the one lock order; ``low_stock_alert`` runs once
for the whole take. A take that finds any line short moves nothing (the transaction rolls back)
and names every short line with what was asked and what is left.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import StockMovement, StockReason, Variation
from catalog.services.stock.alerts import low_stock_alert
from catalog.services.stock.apply import stock_apply
from catalog.services.stock.locks import stock_lock_rows
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


def _move_many(
    *, lines: Iterable[StockLine], sign: int, reason: StockReason, actor: User | None, note: str
) -> list[StockMovement]:
    quantities = _merged(lines)
    if not quantities:
        return []
    stock_seen = stock_lock_rows(variation_ids=list(quantities))
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
            movement = stock_apply(variation_id=variation_id, delta=sign * quantity,
                                   reason=reason, actor=actor, note=note)
        except CatalogError as error:
            if getattr(error, "error_code", None) != CatalogErrorCode.INSUFFICIENT_STOCK:
                raise
            available = Variation.objects.values_list("stock", flat=True).get(pk=variation_id)
            shortages.append(StockShortage(variation_id, quantity, available))
        else:
            movements.append(movement)
    if shortages:
        raise InsufficientStockError(shortages)
    low_stock_alert(variation_ids=[m.variation_id for m in movements])
    return movements


@transaction.atomic
def stock_take_many(
    *, lines: Iterable[StockLine], reason: StockReason, actor: User | None, note: str = ""
) -> list[StockMovement]:
    """Take every line's quantity, or nothing: raises ``InsufficientStockError`` naming all
    short lines (a deleted variation counts as short with 0 available). Lines of the same
    variation are added up. Returns the ledger rows in variation pk order."""
    return _move_many(lines=lines, sign=-1, reason=reason, actor=actor, note=note)


@transaction.atomic
def stock_return_many(
    *, lines: Iterable[StockLine], reason: StockReason, actor: User | None, note: str = ""
) -> list[StockMovement]:
    """Put every line's quantity back (e.g. a cancelled order). Variations deleted since are
    skipped: there is no stock left to return to. Returns the ledger rows written."""
    return _move_many(lines=lines, sign=1, reason=reason, actor=actor, note=note)
