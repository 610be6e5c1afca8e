"""The guest cart merged into a signed-in buyer's cart in one call: every line that can be kept
is kept, no line makes the whole merge fail, and the answer says line by line what happened.

``cart_item_add`` (the buyer adding one item now, on the product's page) refuses anything it
cannot take as asked, so the buyer fixes it there and then. A guest cart arrives at sign-in, away
from those pages, and a refusal there loses the item; so the merge keeps what it can instead:

- **no size or colour** for a product sold in several, or a variation that is not the
  product's: kept without one and unticked. The cart shows it ``available: false`` with the
  issue "Choose a size or colour for this product." until one is chosen (``cart_item_update``),
  and checkout, which takes ticked lines only, leaves it. For a product sold in one form, a
  variation id that is not its own is ignored;
- **more than the stock**: lowered to the stock (never below what the cart already holds); with
  none left, a new line is kept unticked at the quantity sent (the cart says "Out of stock.");
- **more than MAX_QUANTITY**: lowered to it.

Not kept, since there is nothing the buyer could buy or see: a product that is not public (or
no such product), a quantity that is not a whole number of at least 1, a new line when the cart
is full.

Each line sent gets a ``MergeResult``: ``added`` (a new cart line), ``merged`` (into the line
already there, or an earlier line of the same call) or ``skipped``, with a code and a sentence
whenever it was not taken exactly as sent. The reads are batched (public products, their
variations, the cart's lines, locked: three queries), then one write per line kept.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction

from catalog.models import Product, Variation
from catalog.selectors import products_public
from catalog.variations import VariationChoiceError, VariationRefusal, variation_of_line
from core.ids import as_int, as_uuid
from shopping.errors import ShoppingError
from shopping.errors import ShoppingErrorCode as Code
from shopping.models import CartItem
from shopping.services.cart import MAX_LINES, MAX_QUANTITY
from users.models import User

# Lines one call may send: the cart's bound with room for repeats (a guest cart may list an item
# twice); it bounds the work of one call, the cart itself stays within MAX_LINES.
MAX_GUEST_LINES = 2 * MAX_LINES


class MergeStatus(StrEnum):
    ADDED = "added"  # a new cart line
    MERGED = "merged"  # added to the line already in the cart
    SKIPPED = "skipped"  # not kept: the code and message say why


def _id_of(value):
    """An id as sent, or the ``id`` of an object (a guest cart may keep the whole product)."""
    return value.get("id") if isinstance(value, dict) else value


@dataclass(frozen=True)
class GuestLine:
    """One line of the guest cart as the client sent it (``/cart/add``'s fields)."""

    product_id: object
    quantity: object
    variation_id: object

    @classmethod
    def of(cls, raw) -> "GuestLine":
        if not isinstance(raw, dict):
            return cls(None, None, None)
        return cls(
            product_id=_id_of(raw.get("product_id", raw.get("product"))),
            quantity=raw.get("quantity", 1),
            variation_id=_id_of(raw.get("variation", raw.get("variation_id"))),
        )

    @property
    def quantity_sent(self) -> int | None:
        """A whole number of at least 1 (``2``, ``"2"`` or ``2.0``), else None."""
        value = self.quantity
        if isinstance(value, float):
            value = int(value) if value.is_integer() else None
        number = as_int(value)
        return number if number is not None and number >= 1 else None


@dataclass(frozen=True)
class MergeResult:
    line: GuestLine
    status: MergeStatus
    item: CartItem | None = None
    quantity: int | None = None  # the cart line's, once this line was in (a later one may add)
    code: Code | None = None
    message: str = ""  # empty when the line was taken exactly as sent


@dataclass(frozen=True)
class _Target:
    """Where a guest line goes: the variation stored on the line (None for a product sold in
    one form, or while a size or colour is to be chosen) and its stock holder (None then)."""

    variation: Variation | None
    holder: Variation | None
    code: Code | None = None
    message: str = ""


def _target(*, product: Product, variations: list[Variation], variation_id) -> _Target:
    try:
        holder = variation_of_line(variations=variations, variation_id=variation_id)
    except VariationChoiceError as refused:
        return _target_without_choice(
            product=product, variations=variations, refusal=refused.refusal
        )
    return _Target(None if holder.is_default else holder, holder)


def _target_without_choice(
    *, product: Product, variations: list[Variation], refusal: VariationRefusal
) -> _Target:
    """A guest line whose variation is missing, or is not one of the product's."""
    waits = "it waits in your cart, unticked."
    if refusal == VariationRefusal.REQUIRED:
        return _Target(
            None,
            None,
            Code.VARIATION_REQUIRED,
            f"Choose a size or colour for “{product.name}”: {waits}",
        )
    try:  # sold in one form: the line means the product itself
        holder = variation_of_line(variations=variations, variation_id=None)
    except VariationChoiceError:
        return _Target(
            None,
            None,
            Code.VARIATION_UNKNOWN,
            f"The size or colour chosen for “{product.name}” is not sold any more: choose "
            f"another; {waits}",
        )
    return _Target(
        None,
        holder,
        Code.VARIATION_UNKNOWN,
        f"“{product.name}” comes in one form: the size or colour sent was ignored.",
    )


@dataclass(frozen=True)
class _Settled:
    quantity: int
    checked: bool | None  # None: as the line already in the cart is (nothing was added to it)
    code: Code | None = None
    message: str = ""


def _settle(*, product: Product, target: _Target, held: int, quantity: int) -> _Settled:
    """The line's quantity and tick once ``quantity`` joins the ``held`` already in the cart."""
    wanted = held + quantity
    total = min(wanted, MAX_QUANTITY)
    capped = (
        ""
        if total == wanted
        else f"At most {MAX_QUANTITY} of one item: your cart has {MAX_QUANTITY}."
    )
    if target.holder is None or total <= target.holder.stock:
        # Without a size or colour there is no stock to check yet, and the line is not buyable.
        return _Settled(
            total, target.holder is not None, Code.INVALID_QUANTITY if capped else None, capped
        )
    stock = target.holder.stock
    label = target.holder.label
    name = f"{product.name} / {label}" if label else product.name
    short = f"Only {stock} of “{name}” left in stock" if stock > 0 else f"“{name}” is out of stock"
    if stock > held:
        return _Settled(stock, True, Code.INSUFFICIENT_STOCK, f"{short}: your cart has {stock}.")
    if held:
        return _Settled(held, None, Code.INSUFFICIENT_STOCK, f"{short}: your cart keeps {held}.")
    return _Settled(
        min(quantity, MAX_QUANTITY),
        False,
        Code.INSUFFICIENT_STOCK,
        f"{short}: it waits in your cart, unticked.",
    )


def _skipped(line: GuestLine, code: Code, message: str) -> MergeResult:
    return MergeResult(line, MergeStatus.SKIPPED, code=code, message=message)


@dataclass
class _Merge:
    user: User
    products: dict
    variations: dict
    cart: dict  # (product pk, variation pk or None) -> the user's CartItem

    def line(self, line: GuestLine) -> MergeResult:
        product = self.products.get(as_uuid(line.product_id))
        if product is None:
            return _skipped(
                line, Code.PRODUCT_UNAVAILABLE, "This product is not available any more."
            )
        quantity = line.quantity_sent
        if quantity is None:
            return _skipped(
                line, Code.INVALID_QUANTITY, "The quantity must be a whole number, 1 or more."
            )
        target = _target(
            product=product,
            variations=self.variations.get(product.pk, []),
            variation_id=line.variation_id,
        )
        return self._keep(line=line, product=product, target=target, quantity=quantity)

    def _keep(
        self, *, line: GuestLine, product: Product, target: _Target, quantity: int
    ) -> MergeResult:
        key = (product.pk, target.variation.pk if target.variation else None)
        existing = self.cart.get(key)
        if existing is None and len(self.cart) >= MAX_LINES:
            return _skipped(
                line,
                Code.CART_TOO_LARGE,
                f"Your cart is full (at most {MAX_LINES} different items).",
            )
        settled = _settle(
            product=product,
            target=target,
            held=existing.quantity if existing else 0,
            quantity=quantity,
        )
        code = target.code or settled.code
        message = " ".join(text for text in (target.message, settled.message) if text)
        if existing is not None:
            existing.quantity = settled.quantity
            if settled.checked is not None:
                existing.checked = settled.checked
            existing.save(update_fields=["quantity", "checked", "updated_at"])
            return MergeResult(
                line, MergeStatus.MERGED, existing, existing.quantity, code, message
            )
        try:
            with transaction.atomic():
                item = CartItem.objects.create(
                    user=self.user,
                    product=product,
                    variation=target.variation,
                    quantity=settled.quantity,
                    checked=settled.checked,
                )
        except IntegrityError:  # an add made the line meanwhile: merge into it instead
            self.cart[key] = CartItem.objects.select_for_update().get(
                user=self.user, product=product, variation=target.variation
            )
            return self._keep(line=line, product=product, target=target, quantity=quantity)
        self.cart[key] = item
        return MergeResult(line, MergeStatus.ADDED, item, item.quantity, code, message)


def _cart_lines(user: User) -> dict:
    """The user's cart lines by (product, variation), locked until the merge commits. An add
    may still insert a new line meanwhile: the merge's insert then joins it (``_Merge._keep``)."""
    return {
        (item.product_id, item.variation_id): item
        for item in CartItem.objects.select_for_update().filter(user=user).order_by("pk")
    }


@transaction.atomic
def cart_merge(*, user: User, lines: Sequence) -> list[MergeResult]:
    """Merge the guest cart ``lines`` (each ``{product_id, quantity, variation?}`` as sent to
    ``/cart/add``) into the user's cart; one result per line, in order. Refused whole only
    when more than MAX_GUEST_LINES lines are sent."""
    if len(lines) > MAX_GUEST_LINES:
        raise ShoppingError(
            f"Send at most {MAX_GUEST_LINES} lines at once.", code=Code.CART_TOO_LARGE
        )
    guest = [GuestLine.of(raw) for raw in lines]
    pks = {pk for pk in (as_uuid(line.product_id) for line in guest) if pk is not None}
    products = {product.pk: product for product in products_public().filter(pk__in=pks)}
    variations: dict = {}
    for variation in Variation.objects.filter(product_id__in=list(products)).order_by("pk"):
        variations.setdefault(variation.product_id, []).append(variation)
    merge = _Merge(user=user, products=products, variations=variations, cart=_cart_lines(user))
    return [merge.line(line) for line in guest]

