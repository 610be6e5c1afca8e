"""Checkout claims the cart lines it orders, inside its own transaction.

Two requests checking out one cart at once (a double click, a retry, two tabs) both read the
same checked lines; only one may order them. ``cart_items_claim`` locks the lines (``SELECT ...
FOR UPDATE`` on PostgreSQL; SQLite's ``IMMEDIATE`` transactions already hold the database's
write lock), checks they are still there as they were read, and removes them. The second
request finds them gone (PostgreSQL makes it wait for the first to commit, then re-reads) and
orders nothing. Removing them in the checkout's transaction means a refused checkout (no
stock, a price changed) rolls the claim back too: the cart is as it was.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from shopping.models import CartItem
from users.models import User


@dataclass(frozen=True)
class CartClaim:
    #: Lines no longer in the cart: another checkout ordered them (or the buyer removed them).
    gone: list[int]
    #: Lines whose quantity or variation changed since they were read.
    changed: list[int]

    @property
    def claimed(self) -> bool:
        return not self.gone and not self.changed


def cart_items_claim(*, user: User, items: Sequence[CartItem]) -> CartClaim:
    """Claim ``items`` (the user's lines as the caller read them) for an order: call inside the
    ordering transaction. When every line is there unchanged they are removed; otherwise
    nothing is, and the result names the lines that went or changed."""
    ids = [item.pk for item in items]
    now = {
        pk: (quantity, variation_id)
        for pk, quantity, variation_id in CartItem.objects.select_for_update()
        .filter(user=user, pk__in=ids)
        .order_by("pk")
        .values_list("pk", "quantity", "variation_id")
    }
    gone = [item.pk for item in items if item.pk not in now]
    changed = [
        item.pk
        for item in items
        if item.pk in now and now[item.pk] != (item.quantity, item.variation_id)
    ]
    claim = CartClaim(gone=gone, changed=changed)
    if claim.claimed:
        CartItem.objects.filter(user=user, pk__in=ids).delete()
    return claim
