"""The one write path of stock: conditional update, inventory, ledger row, low-stock alert.

Every stock change goes through ``_stock_apply``: one conditional UPDATE of the variation (its
row count checked), the product's inventory moved by the same delta, one ledger row, and the
low-stock alert armed or fired, all in one transaction. The alert is written through
``notifications.services.notify``, which delivers it after commit.
"""

from django.db import transaction
from django.db.models import F

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import Product, StockMovement, StockReason, Variation
from notifications.services import notify
from users.models import User


def _stock_apply(
    *,
    variation_id: int,
    delta: int,
    new_stock: int | None,
    expected_stock: int | None,
    reason: StockReason,
    actor: User | None,
    note: str,
) -> StockMovement:
    """The one place stock moves. Either ``delta`` (new_stock None) or ``new_stock`` (with the
    stock the caller last saw, so a concurrent change is refused rather than overwritten)."""
    variation = Variation.objects.select_related("product").get(pk=variation_id)
    rows = Variation.objects.filter(pk=variation_id)
    if new_stock is None:
        if delta < 0:
            rows = rows.filter(stock__gte=-delta)
        updated = rows.update(stock=F("stock") + delta)
        if updated != 1:
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
    Product.objects.filter(pk=variation.product_id).update(inventory=F("inventory") + delta)
    stock_after = Variation.objects.values_list("stock", flat=True).get(pk=variation_id)
    movement = StockMovement.objects.create(
        manufacturer_id=variation.manufacturer_id,
        product_id=variation.product_id,
        variation_id=variation_id,
        label=str(variation),
        delta=delta,
        stock_after=stock_after,
        reason=reason,
        actor=actor,
        note=note[:255],
    )
    low_stock_check(variation=variation, stock=stock_after)
    return movement


@transaction.atomic
def stock_adjust(
    *,
    variation: Variation,
    delta: int,
    reason: StockReason,
    actor: User | None,
    note: str = "",
) -> StockMovement:
    """Add (delta > 0) or take (delta < 0) stock; taking more than there is is refused."""
    if delta == 0:
        raise CatalogError(
            "A stock change cannot be zero.", code=CatalogErrorCode.STOCK_ZERO_CHANGE, field="delta"
        )
    return _stock_apply(
        variation_id=variation.pk,
        delta=delta,
        new_stock=None,
        expected_stock=None,
        reason=reason,
        actor=actor,
        note=note,
    )


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
    return _stock_apply(
        variation_id=variation.pk,
        delta=0,
        new_stock=stock,
        expected_stock=expected_stock,
        reason=reason,
        actor=actor,
        note=note,
    )


def low_stock_check(*, variation: Variation, stock: int) -> None:
    """Alert once when stock is at or below the threshold; re-arm when it rises above it."""
    rows = Variation.objects.filter(pk=variation.pk)
    if stock <= variation.low_stock_threshold:
        if rows.filter(low_stock_notified=False).update(low_stock_notified=True):
            product = variation.product
            notify(
                event="low_stock",
                recipients=[variation.manufacturer],
                context={
                    # "Shoes / M / Red" for a variation, "Shoes" for a product's own stock.
                    "product_name": str(variation),
                    "stock": stock,
                    "threshold": variation.low_stock_threshold,
                },
                link=f"/admin/catalog/product/{product.pk}/change/",
            )
    else:
        rows.filter(low_stock_notified=True).update(low_stock_notified=False)
