"""Refusals of catalogue writes: a message for people, a code for programs."""

from enum import StrEnum

from django.core.exceptions import ValidationError


class CatalogErrorCode(StrEnum):
    CATEGORY_NAME_TAKEN = "category_name_taken"
    CATEGORY_HAS_PRODUCTS = "category_has_products"
    CATEGORY_INVALID_MOVE = "category_invalid_move"
    CATEGORY_PATH_INVALID = "category_path_invalid"
    NOT_A_MANUFACTURER = "not_a_manufacturer"
    STOCK_OR_VARIATIONS_REQUIRED = "stock_or_variations_required"
    INSUFFICIENT_STOCK = "insufficient_stock"
    STOCK_CHANGED = "stock_changed"
    STOCK_ZERO_CHANGE = "stock_zero_change"
    LAST_VARIATION = "last_variation"
    INVALID_TRANSITION = "invalid_transition"
    STAFF_ONLY = "staff_only"
    REASON_REQUIRED = "reason_required"


class CatalogError(ValidationError):
    """A refused catalogue write: a message for people, a code for programs, maybe a field."""

    def __init__(self, message: str, *, code: CatalogErrorCode, field: str | None = None):
        self.error_code = code
        if field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)
