"""The catalogue: a category tree, products with variations and images, a stock ledger.

Stock lives on variations only. A product "without variations" has exactly one variation with a
blank size and colour that carries its stock, so every stock change, order line and ledger row
has the same shape. ``Product.inventory`` is the sum of its variations' stock, kept by the stock
service in the same transaction as the change (so lists can sort and filter on it cheaply).

One module per area; every model is re-exported here (``from catalog.models import Product``).
"""

from catalog.models.categories import Category
from catalog.models.products import (
    ApprovalStatus,
    PendingProduct,
    Product,
    ProductImage,
    ProductStatusChange,
    Variation,
    default_low_stock_threshold,
)
from catalog.models.stock import StockMovement, StockReason
from catalog.models.version import CatalogueVersion

__all__ = [
    "ApprovalStatus",
    "CatalogueVersion",
    "Category",
    "PendingProduct",
    "Product",
    "ProductImage",
    "ProductStatusChange",
    "StockMovement",
    "StockReason",
    "Variation",
    "default_low_stock_threshold",
]
