"""Several variations' stock moved in one transaction, all lines or none (orders, returns).

A multi-line move costs a fixed number of statements whatever its length (a checkout of many
lines from several manufacturers is one take):

1. ``stock_lock_variations`` locks every row in the one lock order and reads them;
2. a take checks every line against the stock read under the lock and, if any is short, raises
   ``InsufficientStockError`` naming every short line *before writing anything* (so the caller's
   transaction is untouched and needs no savepoint);
3. one conditional UPDATE moves every variation (``stock + CASE id ...``, still guarded by
   ``stock >= n`` and its row count checked, with the CHECK constraint as the last backstop),
   one statement moves the products' inventory (``inventory_move``), one INSERT writes the
   ledger rows (``stock_after`` from the locked read: no one else can move these rows now);
4. ``low_stock_alert`` runs once for the whole move, from the stock just written.

A failure after the first write dooms the caller's transaction (the writes run in an
``atomic(savepoint=False)`` block): no caller can commit half a move.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Value, When

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import StockMovement, StockReason, Variation
from catalog.services.stock.alerts import low_stock_alert
from catalog.services.stock.apply import inventory_move
from catalog.services.stock.locks import chunked, stock_lock_variations
from users.models import User

#: Variations per UPDATE (each brings a CASE branch and its parameters).
UPDATE_CHUNK = 500


@dataclass(frozen=True)
class StockLine:
    variation_id: int
    quantity: int  # > 0: how many units to take (or to put back)
    #: The ledger row's note for this line (else the call's ``note``): a checkout takes the
    #: lines of several orders at once, each noted with its own order number.
    note: str = ""


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


def _merged(lines: Iterable[StockLine], note: str) -> dict[int, tuple[int, str]]:
    """Quantity and note per variation, in variation pk order (the lock order)."""
    merged: dict[int, tuple[int, str]] = {}
    for line in lines:
        if line.quantity <= 0:
            raise CatalogError(
                "A stock line needs a positive quantity.",
                code=CatalogErrorCode.STOCK_ZERO_CHANGE,
                field="quantity",
            )
        quantity, line_note = merged.get(line.variation_id, (0, line.note or note))
        merged[line.variation_id] = (quantity + line.quantity, line_note)
    return dict(sorted(merged.items()))


@contextmanager
def _in_transaction() -> Iterator[None]:
    """The caller's transaction if there is one (no savepoint), else a new one."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        yield


def _stock_update(*, deltas: dict[int, int]) -> None:
    """Move every variation by its delta in one conditional UPDATE per chunk; a row that would
    go below zero is not updated and the whole move is refused."""
    for chunk in chunked(list(deltas.items()), UPDATE_CHUNK):
        delta = Case(*[When(pk=pk, then=Value(d)) for pk, d in chunk], output_field=IntegerField())
        rows = Variation.objects.filter(pk__in=[pk for pk, _ in chunk])
        takes = [(pk, -d) for pk, d in chunk if d < 0]
        if takes:
            rows = rows.filter(
                stock__gte=Case(
                    *[When(pk=pk, then=Value(n)) for pk, n in takes],
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        if rows.update(stock=F("stock") + delta) != len(chunk):
            raise CatalogError(
                "The stock changed while it was being moved; nothing was moved.",
                code=CatalogErrorCode.INSUFFICIENT_STOCK,
                field="stock",
            )


def _move_many(
    *, lines: Iterable[StockLine], sign: int, reason: StockReason, actor: User | None, note: str
) -> list[StockMovement]:
    merged = _merged(lines, note)
    if not merged:
        return []
    with _in_transaction():
        locked = stock_lock_variations(variation_ids=list(merged))
        if sign < 0:
            shortages = [
                StockShortage(pk, quantity, locked[pk].stock if pk in locked else 0)
                for pk, (quantity, _) in merged.items()
                if pk not in locked or locked[pk].stock < quantity
            ]
            if shortages:
                raise InsufficientStockError(shortages)
        # Nothing to put back into a variation that is gone.
        deltas = {pk: sign * quantity for pk, (quantity, _) in merged.items() if pk in locked}
        if not deltas:
            return []
        with transaction.atomic(savepoint=False):
            _stock_update(deltas=deltas)
            by_product: dict = {}
            for pk, delta in deltas.items():
                product_id = locked[pk].product_id
                by_product[product_id] = by_product.get(product_id, 0) + delta
            inventory_move(deltas=by_product)
            for pk, delta in deltas.items():
                locked[pk].stock += delta
            movements = StockMovement.objects.bulk_create(
                [
                    StockMovement(
                        manufacturer_id=locked[pk].manufacturer_id,
                        product_id=locked[pk].product_id,
                        variation_id=pk,
                        label=str(locked[pk]),
                        delta=delta,
                        stock_after=locked[pk].stock,
                        reason=reason,
                        actor=actor,
                        note=merged[pk][1][:255],
                    )
                    for pk, delta in deltas.items()
                ]
            )
            low_stock_alert(variation_ids=list(deltas), seen=[locked[pk] for pk in deltas])
    return movements


def stock_take_many(
    *, lines: Iterable[StockLine], reason: StockReason, actor: User | None, note: str = ""
) -> list[StockMovement]:
    """Take every line's quantity, or nothing: raises ``InsufficientStockError`` naming all
    short lines (a deleted variation counts as short with 0 available) before anything is
    written. Lines of the same variation are added up. Returns the ledger rows in variation
    pk order. Runs in the caller's transaction (else its own)."""
    return _move_many(lines=lines, sign=-1, reason=reason, actor=actor, note=note)


def stock_return_many(
    *, lines: Iterable[StockLine], reason: StockReason, actor: User | None, note: str = ""
) -> list[StockMovement]:
    """Put every line's quantity back (e.g. a cancelled order). Variations deleted since are
    skipped: there is no stock left to return to. Returns the ledger rows written."""
    return _move_many(lines=lines, sign=1, reason=reason, actor=actor, note=note)
