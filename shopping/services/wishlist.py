"""The wishlist: add a public product, remove one. Keyed by product id, as the storefront is."""

from django.db import IntegrityError, transaction

from catalog.selectors import products_public
from core.ids import as_uuid
from shopping.errors import ShoppingError, ShoppingErrorCode
from shopping.models import Wishlist, WishlistItem
from users.models import User


def wishlist_product_add(*, user: User, product_id) -> bool:
    """Put a public product on the user's wishlist. True when added, False when it was
    already there (adding twice is harmless)."""
    pk = as_uuid(product_id)
    product = products_public().filter(pk=pk).first() if pk else None
    if product is None:
        raise ShoppingError("Product not found.", code=ShoppingErrorCode.PRODUCT_UNAVAILABLE)
    wishlist = wishlist_get_or_create(user=user)
    try:
        with transaction.atomic():
            _, created = WishlistItem.objects.get_or_create(wishlist=wishlist, product=product)
    except IntegrityError:  # the same product added twice at once: the other one won
        created = False
    return created


def wishlist_product_remove(*, user: User, product_id) -> None:
    """Take a product off the user's wishlist (public or not any more)."""
    pk = as_uuid(product_id)
    deleted = 0
    if pk is not None:
        deleted, _ = WishlistItem.objects.filter(wishlist__user=user, product_id=pk).delete()
    if not deleted:
        raise ShoppingError(
            "This product is not on your wishlist.", code=ShoppingErrorCode.PRODUCT_UNAVAILABLE
        )


def wishlist_get_or_create(*, user: User) -> Wishlist:
    """The user's wishlist, made empty on first use (the storefront expects exactly one). The
    pages of the storefront ask for it in parallel: of two first calls, one creates it."""
    wishlist = Wishlist.objects.filter(user=user).first()
    if wishlist is not None:
        return wishlist
    try:
        with transaction.atomic():
            return Wishlist.objects.create(user=user)
    except IntegrityError:
        return Wishlist.objects.get(user=user)
