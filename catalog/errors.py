"""Refusals of catalogue writes: one code enum for the whole app, one error type."""

from enum import StrEnum

from core.errors import AppError


class CatalogErrorCode(StrEnum):
    # Categories
    CATEGORY_NAME_TAKEN = "category_name_taken"
    CATEGORY_HAS_PRODUCTS = "category_has_products"
    CATEGORY_INVALID_MOVE = "category_invalid_move"
    CATEGORY_PATH_INVALID = "category_path_invalid"
    CATEGORY_UNKNOWN = "category_unknown"
    # Products and variations
    NOT_A_MANUFACTURER = "not_a_manufacturer"
    STOCK_OR_VARIATIONS_REQUIRED = "stock_or_variations_required"
    VARIATIONS_DUPLICATE = "variations_duplicate"
    VARIATIONS_BLANK = "variations_blank"
    VARIATIONS_TOO_MANY = "variations_too_many"
    LAST_VARIATION = "last_variation"
    PRICE_OUT_OF_RANGE = "price_out_of_range"
    # Stock
    INSUFFICIENT_STOCK = "insufficient_stock"
    STOCK_CHANGED = "stock_changed"
    STOCK_ZERO_CHANGE = "stock_zero_change"
    # Approval
    INVALID_TRANSITION = "invalid_transition"
    STAFF_ONLY = "staff_only"
    REASON_REQUIRED = "reason_required"


class CatalogError(AppError):
    """A refused catalogue write: a message for people, a code for programs, maybe a field."""

    status_of_code = {
        CatalogErrorCode.CATEGORY_HAS_PRODUCTS: 409,
        CatalogErrorCode.STOCK_CHANGED: 409,
        CatalogErrorCode.INVALID_TRANSITION: 409,
        CatalogErrorCode.STAFF_ONLY: 403,
    }
