"""Moving one variation's stock: conditional update, inventory, ledger row.

Every stock change of a single row goes through ``stock_apply``: one conditional UPDATE of the
variation (its row count checked), the product's inventory moved by the same delta
(``inventory_move``) and one ledger row, all in the caller's transaction. The entry services
(``stock_adjust``, ``stock_set``, the multi-line takes) then run ``low_stock_alert`` once.
"""

from django.db import connection, transaction
from django.db.models import F

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import Product, StockMovement, StockReason, Variation
from catalog.services.stock.alerts import low_stock_alert
from catalog.services.stock.locks import chunked
from catalog.version import catalogue_changed
from users.models import User

INVENTORY_CHUNK = 2000


def inventory_move(*, deltas: dict) -> None:
    """The one inventory rule: a product's inventory moves by the same delta as its variations'
    stock, in the same transaction (``inventory + delta``, so concurrent moves add up without a
    lock; never recounted). ``deltas``: product id -> units added (negative: taken).

    One UPDATE per product, or one per ``INVENTORY_CHUNK`` products for a bulk write: the
    UPDATE joins a VALUES list of (product, delta) pairs (a CASE with a branch per product made
    each row's update scan the branches; 25k products took seconds).
    """
    catalogue_changed(listing=False)  # a stock move never changes which products are listed
    moves = sorted((pk, delta) for pk, delta in deltas.items() if delta)
    if len(moves) == 1:
        (product_id, delta), = moves
        Product.objects.filter(pk=product_id).update(inventory=F("inventory") + delta)
        return
    table = connection.ops.quote_name(Product._meta.db_table)
    pk = Product._meta.pk
    column = connection.ops.quote_name(pk.column)
    inventory = connection.ops.quote_name(Product._meta.get_field("inventory").column)
    with connection.cursor() as cursor:
        for chunk in chunked(moves, INVENTORY_CHUNK):
            params: list = []
            for product_id, delta in chunk:
                params += [pk.get_db_prep_value(product_id, connection), delta]
            cursor.execute(
                f"UPDATE {table} SET {inventory} = {table}.{inventory} + moves.column2 "
                f"FROM (VALUES {', '.join(['(%s, %s)'] * len(chunk))}) AS moves "
                f"WHERE {table}.{column} = moves.column1",
                params,
            )


def stock_apply(
    *,
    variation_id: int,
    reason: StockReason,
    actor: User | None,
    note: str,
    delta: int = 0,
    expected_stock: int | None = None,
    new_stock: int | None = None,
) -> StockMovement:
    """Move one variation's stock by ``delta``, or set it to ``new_stock`` if it is still
    ``expected_stock`` (a concurrent change is refused rather than overwritten). Inside the
    caller's transaction; the caller runs ``low_stock_alert``."""
    variation = Variation.objects.select_related("product").get(pk=variation_id)
    rows = Variation.objects.filter(pk=variation_id)
    if new_stock is None:
        if delta < 0:
            rows = rows.filter(stock__gte=-delta)
        if rows.update(stock=F("stock") + delta) != 1:
            raise CatalogError(
                f"Not enough stock of {variation}: {variation.stock} left, "
                f"{-delta} requested.",
                code=CatalogErrorCode.INSUFFICIENT_STOCK,
                field="stock",
            )
    else:
        delta = new_stock - expected_stock
        if rows.filter(stock=expected_stock).update(stock=new_stock) != 1:
            raise CatalogError(
                f"The stock of {variation} changed while you were editing it (it is now "
                f"{variation.stock}). Reload and try again.",
                code=CatalogErrorCode.STOCK_CHANGED,
                field="stock",
            )
    inventory_move(deltas={variation.product_id: delta})
    return StockMovement.objects.create(
        manufacturer_id=variation.manufacturer_id,
        product_id=variation.product_id,
        variation_id=variation_id,
        label=str(variation),
        delta=delta,
        stock_after=Variation.objects.values_list("stock", flat=True).get(pk=variation_id),
        reason=reason,
        actor=actor,
        note=note[:255],
    )


@transaction.atomic
def stock_adjust(
    *, variation: Variation, delta: int, reason: StockReason, actor: User | None, note: str = ""
) -> StockMovement:
    """Add (delta > 0) or take (delta < 0) stock; taking more than there is is refused."""
    if delta == 0:
        raise CatalogError(
            "A stock change cannot be zero.", code=CatalogErrorCode.STOCK_ZERO_CHANGE, field="delta"
        )
    return _apply_and_alert(variation_id=variation.pk, delta=delta, reason=reason, actor=actor,
                            note=note)


@transaction.atomic
def stock_set(
    *,
    variation: Variation,
    stock: int,
    expected_stock: int,
    reason: StockReason,
    actor: User | None,
    note: str = "",
) -> StockMovement | None:
    """Set the stock to ``stock`` if it is still ``expected_stock``; None when nothing changes."""
    if stock < 0:
        raise CatalogError(
            "Stock cannot be negative.", code=CatalogErrorCode.INSUFFICIENT_STOCK, field="stock"
        )
    if stock == expected_stock:
        return None
    return _apply_and_alert(variation_id=variation.pk, new_stock=stock,
                            expected_stock=expected_stock, reason=reason, actor=actor, note=note)


def _apply_and_alert(**change) -> StockMovement:
    """A single-row write: the move, then the low-stock rule for that row."""
    movement = stock_apply(**change)
    low_stock_alert(variation_ids=[change["variation_id"]])
    return movement
