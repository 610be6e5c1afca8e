"""Refusals of wishlist, cart and address writes: one code enum, one error type."""

from enum import StrEnum

from core.errors import AppError


class ShoppingErrorCode(StrEnum):
    PRODUCT_UNAVAILABLE = "product_unavailable"
    VARIATION_REQUIRED = "variation_required"
    VARIATION_UNKNOWN = "variation_unknown"
    INVALID_QUANTITY = "invalid_quantity"
    INSUFFICIENT_STOCK = "insufficient_stock"
    CART_ITEM_UNKNOWN = "cart_item_unknown"
    CART_TOO_LARGE = "cart_too_large"
    PRODUCT_WITHDRAWN = "product_withdrawn"
    ADDRESS_UNKNOWN = "address_unknown"


class ShoppingError(AppError):
    status_of_code = {
        ShoppingErrorCode.PRODUCT_UNAVAILABLE: 404,
        ShoppingErrorCode.CART_ITEM_UNKNOWN: 404,
        ShoppingErrorCode.ADDRESS_UNKNOWN: 404,
        ShoppingErrorCode.INSUFFICIENT_STOCK: 409,
        ShoppingErrorCode.PRODUCT_WITHDRAWN: 409,
    }  # the rest (the request itself) are 400
