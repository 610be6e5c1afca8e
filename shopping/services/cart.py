"""The cart of a signed-in user: add (adding again raises the quantity), change quantity or
variation, tick, remove. The guest cart merged at sign-in is ``shopping.services.cart_merge``.

An added line is refused when its product is not public, for a variation of another product,
or when its quantity would exceed the stock now (as Saleor's ``checkout_lines_add`` does). The cart does not hold stock: checkout takes it (``orders``), and
a line that went stale meanwhile is flagged by ``shopping.selectors.cart_of``.

A line may still lack the size or colour its product needs: the add (the storefront's login
merge sends its guest lines there) and the merge keep such a line unticked rather than lose it
(and a product may gain sizes after it was added). Its quantity can
change; it cannot be ticked; choosing its variation (``cart_item_update``) makes it an ordinary
line, joining the line of that variation if the cart has one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.models import Product, Variation
from catalog.selectors import products_public
from catalog.variations import VariationChoiceError, VariationRefusal, variation_of_line
from core.ids import as_int, as_uuid
from shopping.errors import ShoppingError, ShoppingErrorCode
from shopping.models import CartItem
from shopping.selectors import cart_item_of
from users.models import User

MAX_QUANTITY = 10_000
# As many lines as one order may have (orders.services.placement.MAX_LINES): a cart is read
# whole on every page, so it is bounded.
MAX_LINES = 100

_REFUSAL_CODES = {
    VariationRefusal.REQUIRED: ShoppingErrorCode.VARIATION_REQUIRED,
    VariationRefusal.UNKNOWN: ShoppingErrorCode.VARIATION_UNKNOWN,
}


@dataclass(frozen=True)
class _Choice:
    product: Product
    variation: Variation | None  # stored on the line (None for a product without sizes)
    stock_holder: Variation


def _public_product(product_id) -> Product:
    pk = as_uuid(product_id)
    product = products_public().filter(pk=pk).first() if pk else None
    if product is None:
        raise ShoppingError("Product not found.", code=ShoppingErrorCode.PRODUCT_UNAVAILABLE)
    return product


def _line_product(item: CartItem) -> Product:
    """The public product of a line already in the cart."""
    product = products_public().filter(pk=item.product_id).first()
    if product is None:
        raise ShoppingError(
            "This product is no longer available: remove it from your cart.",
            code=ShoppingErrorCode.PRODUCT_WITHDRAWN,
        )
    return product


def _choice(*, product: Product, variation_id) -> _Choice:
    """The variation a line points at (``catalog.variations``): the one chosen, or none for a
    product sold without sizes (its blank stock holder is not shown to buyers)."""
    variations = list(Variation.objects.filter(product=product).order_by("pk"))
    try:
        holder = variation_of_line(variations=variations, variation_id=variation_id)
    except VariationChoiceError as refused:
        if refused.refusal == VariationRefusal.REQUIRED:
            message = f"“{product.name}” comes in several sizes or colours: choose one."
        else:
            message = f"Variation {variation_id} is not a variation of “{product.name}”."
        raise ShoppingError(
            message, code=_REFUSAL_CODES[refused.refusal], field="variation"
        ) from None
    return _Choice(product, None if holder.is_default else holder, holder)


def _check_quantity(quantity) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
        1 <= quantity <= MAX_QUANTITY
    ):
        raise ShoppingError(
            f"The quantity must be a whole number from 1 to {MAX_QUANTITY}.",
            code=ShoppingErrorCode.INVALID_QUANTITY,
            field="quantity",
        )
    return quantity


def _check_stock(*, choice: _Choice, quantity: int) -> None:
    stock = choice.stock_holder.stock
    if quantity <= stock:
        return
    name = str(choice.stock_holder)
    message = (
        f"“{name}” is out of stock."
        if stock <= 0
        else f"Only {stock} of “{name}” left in stock; you asked for {quantity}."
    )
    raise ShoppingError(
        message,
        code=ShoppingErrorCode.INSUFFICIENT_STOCK,
        extra={"available": stock, "requested": quantity},
    )


def _line_filter(*, user: User, choice: _Choice) -> dict:
    return {"user": user, "product": choice.product, "variation": choice.variation}


def _quantity_in_cart(lines) -> int:
    """The quantity of the line already in the cart (0 without one), as read now: another
    request may insert the line between this read and the write (handled there)."""
    return lines.values_list("quantity", flat=True).first() or 0


def cart_item_add(
    *, user: User, product_id, quantity: int, variation_id=None
) -> tuple[CartItem, bool]:
    """Add ``quantity`` of a product (and variation) to the cart; a line already there grows by
    ``quantity`` (the second value says whether the line is new). Refused (nothing changes)
    above the stock, for a product that is not public, or for a variation of another product.

    A product that comes in sizes or colours, added without one, is kept: unticked, flagged
    by ``cart_of`` ("Choose a size or colour") until one is chosen (``cart_item_update``), so
    checkout skips it. The storefront's login merge sends every guest line here as the guest
    left it; refusing would lose the line.
    """
    _check_quantity(quantity)
    product = _public_product(product_id)
    try:
        choice = _choice(product=product, variation_id=variation_id)
    except ShoppingError as refused:
        if refused.code != ShoppingErrorCode.VARIATION_REQUIRED:
            raise
        choice = None  # waits for its size or colour
    line = {"user": user, "product": product, "variation": choice.variation if choice else None}
    lines = CartItem.objects.filter(**line)
    existing = _quantity_in_cart(lines)
    if choice is not None:
        _check_stock(choice=choice, quantity=existing + quantity)
    else:
        _check_quantity(existing + quantity)
    checked = choice is not None
    if existing:
        lines.update(quantity=F("quantity") + quantity, checked=checked)
        return lines.get(), False
    if CartItem.objects.filter(user=user).count() >= MAX_LINES:
        raise ShoppingError(
            f"A cart holds at most {MAX_LINES} different items.",
            code=ShoppingErrorCode.CART_TOO_LARGE,
        )
    try:
        with transaction.atomic():
            item = CartItem.objects.create(**line, quantity=quantity, checked=checked)
        return item, True
    except IntegrityError:  # the same item added twice at once (login merge): add to it
        lines.update(quantity=F("quantity") + quantity, checked=checked)
        return lines.get(), False


def _own_item(*, user: User, item_id) -> CartItem:
    item = cart_item_of(user=user, item_id=item_id)
    if item is None:
        raise ShoppingError(
            "This item is not in your cart.", code=ShoppingErrorCode.CART_ITEM_UNKNOWN
        )
    return item


def _line_choice(*, item: CartItem, product: Product) -> _Choice | None:
    """What a line already in the cart points at; None for a line without the size or colour
    its product needs (it has no stock to check until one is chosen)."""
    try:
        return _choice(product=product, variation_id=item.variation_id)
    except ShoppingError as refused:
        if item.variation_id is None and refused.code == ShoppingErrorCode.VARIATION_REQUIRED:
            return None
        raise


def cart_item_quantity_set(*, user: User, item_id, quantity: int) -> CartItem:
    """Set a line's quantity (1 or more; the storefront removes a line instead of setting 0).
    A line still waiting for its size or colour takes any quantity up to the cap."""
    _check_quantity(quantity)
    item = _own_item(user=user, item_id=item_id)
    choice = _line_choice(item=item, product=_line_product(item))
    if choice is not None:
        _check_stock(choice=choice, quantity=quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity", "updated_at"])
    return item


@dataclass(frozen=True)
class CartItemUpdate:
    item: CartItem  # the line as it is now: the one named, or the line it joined (then gone)
    message: str = "Cart item updated."


def _join(*, item: CartItem, into: CartItem, choice: _Choice, quantity: int) -> CartItemUpdate:
    """Move ``item`` (``quantity`` of it) onto the line ``into`` of the same variation: the
    quantities add, capped by the stock (never below what ``into`` holds) and MAX_QUANTITY."""
    stock = choice.stock_holder.stock
    if stock <= 0:
        _check_stock(choice=choice, quantity=quantity)  # out of stock: refused, nothing changes
    wanted = min(into.quantity + quantity, MAX_QUANTITY)
    total = min(wanted, max(stock, into.quantity))
    into.quantity = total
    into.checked = True
    into.save(update_fields=["quantity", "checked", "updated_at"])
    item.delete()
    message = "Merged with the same item already in your cart."
    if total < wanted:
        message += f" Only {stock} left in stock: your cart has {total}."
    return CartItemUpdate(item=into, message=message)


@transaction.atomic
def cart_item_update(
    *, user: User, item_id, quantity: int, variation_id=None
) -> CartItemUpdate:
    """Set a line's quantity and, when ``variation_id`` is given, its variation. A line moved to
    a variation that has its own line joins it (quantities add, capped by the stock). A line
    that was waiting for its size or colour is ticked once one is chosen (it was only unticked
    because it could not be bought)."""
    if variation_id in (None, ""):
        return CartItemUpdate(
            item=cart_item_quantity_set(user=user, item_id=item_id, quantity=quantity)
        )
    _check_quantity(quantity)
    item = _own_item(user=user, item_id=item_id)
    choice = _choice(product=_line_product(item), variation_id=variation_id)
    into = (
        CartItem.objects.select_for_update()
        .filter(**_line_filter(user=user, choice=choice))
        .exclude(pk=item.pk)
        .first()
    )
    if into is not None:
        return _join(item=item, into=into, choice=choice, quantity=quantity)
    _check_stock(choice=choice, quantity=quantity)
    fields = ["quantity", "variation", "updated_at"]
    if item.variation_id is None and choice.variation is not None:
        item.checked = True
        fields.append("checked")
    item.quantity = quantity
    item.variation = choice.variation
    item.save(update_fields=fields)
    return CartItemUpdate(item=item)


def cart_item_checked_set(*, user: User, item_id, checked: bool) -> CartItem:
    """Tick or untick a line. A line without the size or colour its product needs cannot be
    ticked (checkout would refuse it): the refusal says to choose one; unticking always works."""
    item = _own_item(user=user, item_id=item_id)
    if item.checked == checked:
        return item
    if checked and item.variation_id is None:
        variations = list(Variation.objects.filter(product_id=item.product_id).order_by("pk"))
        try:
            variation_of_line(variations=variations, variation_id=None)
        except VariationChoiceError:
            raise ShoppingError(
                f"Choose a size or colour for “{item.product.name}” before ticking it.",
                code=ShoppingErrorCode.VARIATION_REQUIRED,
                field="checked",
            ) from None
    item.checked = checked
    item.save(update_fields=["checked", "updated_at"])
    return item


def cart_item_remove(*, user: User, item_id) -> None:
    _own_item(user=user, item_id=item_id).delete()


def cart_items_remove(*, user: User, item_ids: Iterable[int]) -> int:
    """Remove these lines of the user's cart (checkout removes what it ordered); ids of other
    users' lines are ignored. Returns how many lines went."""
    ids = [pk for pk in (as_int(value) for value in item_ids) if pk is not None]
    if not ids:
        return 0
    deleted, _ = CartItem.objects.filter(user=user, pk__in=ids).delete()
    return deleted


def cart_clear(*, user: User) -> int:
    deleted, _ = CartItem.objects.filter(user=user).delete()
    return deleted


@dataclass
class BatchResult:
    updated_items: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def cart_items_batch_update(*, user: User, changes: list[dict]) -> BatchResult:
    """Apply ``[{id, quantity}]`` line by line: each line succeeds or fails on its own (the
    response lists both). A quantity of 0 removes the line."""
    if len(changes) > MAX_LINES:
        raise ShoppingError(
            f"Send at most {MAX_LINES} lines at once.", code=ShoppingErrorCode.CART_TOO_LARGE
        )
    result = BatchResult()
    for change in changes:
        item_id = change.get("id") if isinstance(change, dict) else None
        quantity = change.get("quantity") if isinstance(change, dict) else None
        try:
            if quantity == 0 and not isinstance(quantity, bool):
                cart_item_remove(user=user, item_id=item_id)
                result.updated_items.append({"id": item_id, "status": "removed", "quantity": 0})
                continue
            item = cart_item_quantity_set(user=user, item_id=item_id, quantity=quantity)
        except ShoppingError as error:
            result.errors.append({"id": item_id, "error": error.message})
            result.updated_items.append({"id": item_id, "error": error.message})
            continue
        result.updated_items.append({"id": item.pk, "status": "updated", "quantity": item.quantity})
    return result
