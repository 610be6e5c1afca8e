"""The storefront's wishlist, cart and shipping-address routes (docs/api.md#wishlist), each
answering with and without its trailing slash (``optional_slash``). Checkout, payment and the
buyer's orders are routed by ``orders``."""

from core.api import optional_slash
from shopping.api import views

PRODUCT = r"(?P<product_id>[^/]+)"  # a UUID; anything else is "Product not found."
ITEM = r"(?P<item_id>\d+)"

urlpatterns = [
    # Wishlist (docs/api.md#wishlist)
    optional_slash("wishlist", views.WishlistView.as_view(), "wishlist"),
    optional_slash(rf"wishlist/add/{PRODUCT}", views.WishlistAddView.as_view(), "wishlist-add"),
    optional_slash(
        rf"wishlist/remove/{PRODUCT}", views.WishlistRemoveView.as_view(), "wishlist-remove"
    ),
    # Cart (docs/api.md#cart)
    optional_slash("cart", views.CartView.as_view(), "cart"),
    optional_slash("cart/add", views.CartAddView.as_view(), "cart-add"),
    optional_slash("cart/merge", views.CartMergeView.as_view(), "cart-merge"),
    optional_slash("cart/item/remove_all", views.CartRemoveAllView.as_view(), "cart-remove-all"),
    optional_slash(
        "cart/item/batch_update", views.CartBatchUpdateView.as_view(), "cart-batch-update"
    ),
    optional_slash(rf"cart/item/{ITEM}", views.CartItemView.as_view(), "cart-item"),
    optional_slash(
        rf"cart/item/{ITEM}/update_quantity",
        views.CartItemQuantityView.as_view(),
        "cart-item-quantity",
    ),
    # "items" (plural) as the client sends it; the singular answers too.
    optional_slash(
        rf"cart/items?/{ITEM}/set-checked", views.CartItemCheckedView.as_view(), "cart-item-checked"
    ),
    optional_slash(rf"cart/item/{ITEM}/remove", views.CartItemRemoveView.as_view(), "cart-remove"),
    # Shipping addresses (docs/api.md#shipping-addresses)
    optional_slash(
        "shipping/shipping-addresses",
        views.ShippingAddressListView.as_view(),
        "shipping-addresses",
    ),
]
