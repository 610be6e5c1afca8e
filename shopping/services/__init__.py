"""Writes of the wishlist, the cart, shipping addresses and methods (one module per area)."""

from shopping.services.addresses import shipping_address_create
from shopping.services.cart import (
    BatchResult,
    CartItemUpdate,
    cart_clear,
    cart_item_add,
    cart_item_checked_set,
    cart_item_quantity_set,
    cart_item_remove,
    cart_item_update,
    cart_items_batch_update,
    cart_items_remove,
)
from shopping.services.claim import CartClaim, cart_items_claim
from shopping.services.guest_cart import GuestLine, MergeResult, MergeStatus, cart_merge
from shopping.services.shipping_methods import (
    shipping_method_make_default,
    shipping_method_save,
)
from shopping.services.wishlist import (
    wishlist_get_or_create,
    wishlist_product_add,
    wishlist_product_remove,
)

__all__ = [
    "BatchResult",
    "CartClaim",
    "CartItemUpdate",
    "GuestLine",
    "MergeResult",
    "MergeStatus",
    "cart_clear",
    "cart_item_add",
    "cart_item_checked_set",
    "cart_item_quantity_set",
    "cart_item_remove",
    "cart_item_update",
    "cart_items_batch_update",
    "cart_items_claim",
    "cart_items_remove",
    "cart_merge",
    "shipping_address_create",
    "shipping_method_make_default",
    "shipping_method_save",
    "wishlist_get_or_create",
    "wishlist_product_add",
    "wishlist_product_remove",
]
