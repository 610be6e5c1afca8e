"""Writes of the catalogue (services), one module per area; import them from here."""

from catalog.approval import (
    REAPPROVAL_FIELDS,
    ProductChannel,
    approval_transition,
    product_approve,
    product_reject,
    product_submit,
    products_moderate,
)
from catalog.errors import CatalogError, CatalogErrorCode
from catalog.services.categories import (
    MOVE_POSITIONS,
    category_check_name,
    category_create,
    category_delete,
    category_get_or_create_path,
    category_move,
    category_update,
)
from catalog.services.duplicate import product_duplicate
from catalog.services.product_edit import (
    CategoryRef,
    category_resolve,
    product_add,
    product_edit,
    product_images_replace,
    variations_apply,
    variations_replace,
)
from catalog.services.products import (
    PRODUCT_EDITABLE_FIELDS,
    product_create,
    product_delete,
    product_image_add,
    product_image_delete,
    product_update,
    variation_create,
    variation_delete,
    variation_update,
)
from catalog.services.slugs import slug_base, unique_slug, unique_slugs
from catalog.services.stock import (  # noqa: F401
    InsufficientStockError,
    StockLine,
    stock_adjust,
    stock_return_many,
    stock_set,
    stock_take_many,
)
from catalog.services.variation_grid import grid_values, variations_grid_create

__all__ = [
    "MOVE_POSITIONS",
    "PRODUCT_EDITABLE_FIELDS",
    "REAPPROVAL_FIELDS",
    "CatalogError",
    "CatalogErrorCode",
    "CategoryRef",
    "ProductChannel",
    "approval_transition",
    "category_check_name",
    "category_create",
    "category_delete",
    "category_get_or_create_path",
    "category_move",
    "category_resolve",
    "category_update",
    "product_add",
    "product_approve",
    "product_create",
    "product_duplicate",
    "grid_values",
    "variations_grid_create",
    "product_delete",
    "product_edit",
    "product_image_add",
    "product_image_delete",
    "product_images_replace",
    "product_reject",
    "product_submit",
    "product_update",
    "products_moderate",
    "stock_adjust",
    "stock_set",
    "slug_base",
    "unique_slug",
    "unique_slugs",
    "variation_create",
    "variation_delete",
    "variation_update",
    "variations_apply",
    "variations_replace",
]
