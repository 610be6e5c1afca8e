"""Placing an order: one transaction that takes every line's stock or changes nothing.

``orders_place`` places one order per group of lines (the checkout: one per manufacturer):
it resolves every line against the public catalogue (two queries for all), takes every line's
stock with one ``stock_take_many`` (rows locked in variation pk order, so buyers racing for the
same units queue instead of deadlocking; any short line fails every order and nothing is
written: the refusal names every line at fault, per order), then writes the orders and their
lines with the prices of ``catalog.pricing`` and the commission of ``orders.commission``
captured (its rules read once for all the orders), one INSERT each. ``order_place`` is the
same for one order on its own (the REST order API), and tells its buyer and sellers; the
checkout tells them itself (``notices``). Notices are delivered after commit.
"""

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch

from catalog.models import Product, StockReason, Variation
from catalog.pricing import unit_price
from catalog.selectors import products_public
from catalog.services import StockLine, stock_take_many
from catalog.services.stock import InsufficientStockError, StockShortage
from catalog.variations import VariationChoiceError, VariationRefusal, variation_of_line
from core.ids import as_uuid
from notifications.services import notify_many
from orders.commission import CommissionBook, CommissionTerms, commission_book_for
from orders.errors import OrderError, OrderErrorCode
from orders.models import Checkout, Order, OrderItem, PaymentMethod
from orders.services.notices import notices_placed
from users.models import User

MAX_LINES = 100

# Crockford's base32: no I, L, O, U, so a number read over the phone is not misheard.
ORDER_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

_REFUSAL_CODES = {
    VariationRefusal.REQUIRED: OrderErrorCode.VARIATION_REQUIRED,
    VariationRefusal.UNKNOWN: OrderErrorCode.VARIATION_UNKNOWN,
}


@dataclass(frozen=True)
class OrderLineRequest:
    """One line as the buyer asks for it; ``variation_id`` may be None for a product without
    sizes or colours."""

    product_id: uuid.UUID | str
    quantity: int
    variation_id: int | None = None


@dataclass(frozen=True)
class _Line:
    index: int
    product: Product
    variation: Variation
    quantity: int


def order_number_new() -> str:
    """A random, human-friendly order number such as ``MT-7KQ2X-9DF4A`` (50 random bits: no
    sequence to contend on, nothing to guess about sales volume)."""
    chars = "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(10))
    return f"MT-{chars[:5]}-{chars[5:]}"


def order_item_new(
    *,
    product: Product,
    variation: Variation,
    quantity: int,
    commission: CommissionTerms | None = None,
) -> OrderItem:
    """An unsaved order line with the product as it is now: names, seller, the unit price and
    discount of ``catalog.pricing`` (the one pricing rule) and the marketplace's commission
    (``orders.commission``; ``commission``: terms the caller already looked up), captured for
    good."""
    price = unit_price(product=product, variation=variation)
    line_total = price.paid * quantity
    if commission is None:
        book = commission_book_for(manufacturer_ids=[product.manufacturer_id])
        commission = book.terms_for(
            manufacturer_id=product.manufacturer_id, category=product.category
        )
    return OrderItem(
        product=product,
        variation=variation,
        manufacturer=product.manufacturer,
        product_name=product.name,
        variation_label=variation.label,
        quantity=quantity,
        unit_price=price.price,
        discount_percent=price.discount_percent,
        unit_discount=price.discount,
        line_total=line_total,
        commission_percent=commission.percent,
        commission_flat=commission.flat,
        commission=commission.on(line_total),
    )


def _line_ref(index: int, product_id, variation_id: int | None) -> dict:
    return {"index": index, "product": str(product_id), "variation": variation_id}


def _refuse_lines(problems: list[tuple[OrderErrorCode, str, dict]]) -> OrderError:
    code, message, _ = problems[0]
    if len(problems) > 1:
        message = f"{len(problems)} lines cannot be ordered: " + " ".join(m for _, m, _ in problems)
    return OrderError(
        message,
        code=code,
        lines=[{**ref, "code": c.value, "message": m} for c, m, ref in problems],
    )


def order_products_for(groups: Sequence[Sequence[OrderLineRequest]]) -> dict:
    """The public products the lines of every group name, by id, with their seller and their
    variations (two queries whatever the number of lines and orders)."""
    product_ids = {
        pk for lines in groups for pk in (as_uuid(line.product_id) for line in lines) if pk
    }
    if not product_ids:
        return {}
    return {
        product.pk: product
        for product in products_public()
        .filter(pk__in=product_ids)
        .select_related("manufacturer__manufacturer_profile", "category")
        .prefetch_related(Prefetch("variations", queryset=Variation.objects.order_by("pk")))
    }


def _resolve_lines(lines: Sequence[OrderLineRequest], products: dict) -> list[_Line]:
    """Each requested line as a public product (of ``products``, ``order_products_for``) and
    the variation that holds its stock, or an ``OrderError`` naming every line that cannot be
    ordered."""
    if not lines:
        raise OrderError("An order needs at least one product.", code=OrderErrorCode.EMPTY_ORDER)
    if len(lines) > MAX_LINES:
        raise OrderError(
            f"An order can have at most {MAX_LINES} lines.", code=OrderErrorCode.TOO_MANY_LINES
        )
    resolved: list[_Line] = []
    problems: list[tuple[OrderErrorCode, str, dict]] = []
    seen: dict[int, int] = {}
    for index, line in enumerate(lines):
        ref = _line_ref(index, line.product_id, line.variation_id)
        where = f"products[{index}]:"
        product = products.get(as_uuid(line.product_id))
        if not isinstance(line.quantity, int) or line.quantity < 1:
            problems.append(
                (OrderErrorCode.INVALID_QUANTITY, f"{where} the quantity must be 1 or more.", ref)
            )
            continue
        if product is None:
            problems.append(
                (
                    OrderErrorCode.PRODUCT_UNAVAILABLE,
                    f"{where} product {line.product_id} is not available.",
                    ref,
                )
            )
            continue
        variations = list(product.variations.all())
        try:
            variation = variation_of_line(variations=variations, variation_id=line.variation_id)
        except VariationChoiceError as refused:
            if refused.refusal == VariationRefusal.REQUIRED:
                labels = ", ".join(f"{v.pk} ({v.label})" for v in variations)
                message = (
                    f"{where} “{product.name}” comes in several sizes or colours: choose "
                    f"a variation ({labels})."
                )
            else:
                message = (
                    f"{where} variation {line.variation_id} is not a variation of "
                    f"“{product.name}”."
                )
            problems.append((_REFUSAL_CODES[refused.refusal], message, ref))
            continue
        if variation.pk in seen:
            problems.append(
                (
                    OrderErrorCode.DUPLICATE_LINE,
                    f"{where} the same item as products[{seen[variation.pk]}]: send one line "
                    "with the total quantity.",
                    ref,
                )
            )
            continue
        seen[variation.pk] = index
        resolved.append(_Line(index, product, variation, line.quantity))
    if problems:
        raise _refuse_lines(problems)
    return resolved


def _shortage_error(shortages: list[StockShortage], lines: list[_Line]) -> OrderError:
    by_variation = {line.variation.pk: line for line in lines}
    described, refs = [], []
    for shortage in shortages:
        line = by_variation[shortage.variation_id]
        described.append(
            f"{line.variation}: {shortage.requested} requested, {shortage.available} available"
        )
        refs.append(
            {
                **_line_ref(line.index, line.product.pk, line.variation.pk),
                "product_name": line.product.name,
                "variation_label": line.variation.label,
                "requested": shortage.requested,
                "available": shortage.available,
            }
        )
    return OrderError(
        "Not enough stock for " + "; ".join(described) + ". Nothing was ordered.",
        code=OrderErrorCode.INSUFFICIENT_STOCK,
        lines=refs,
    )


@dataclass(frozen=True)
class OrderShipping:
    """Where the orders of one placement go (the checkout's address snapshot)."""

    shipping_name: str = ""
    shipping_phone: str = ""
    shipping_address: str = ""
    shipping_city: str = ""
    shipping_state: str = ""
    shipping_country: str = ""
    shipping_postal_code: str = ""


class OrdersRefused(Exception):
    """Some orders of ``orders_place`` cannot be placed: ``refusals`` holds (the order's index,
    its ``OrderError``) for every one of them; nothing was written."""

    def __init__(self, refusals: list[tuple[int, OrderError]]) -> None:
        super().__init__(" ".join(error.message for _, error in refusals))
        self.refusals = refusals


def _order_new(*, number, buyer, payment_method, shipping: OrderShipping, shipping_cost,
               checkout, resolved: list[_Line], book: CommissionBook
               ) -> tuple[Order, list[OrderItem]]:
    items = [
        order_item_new(
            product=line.product,
            variation=line.variation,
            quantity=line.quantity,
            commission=book.terms_for(
                manufacturer_id=line.product.manufacturer_id, category=line.product.category
            ),
        )
        for line in sorted(resolved, key=lambda line: line.index)
    ]
    subtotal = sum((item.unit_price * item.quantity for item in items), Decimal("0.00"))
    discount = sum((item.unit_discount * item.quantity for item in items), Decimal("0.00"))
    order = Order(
        number=number,
        buyer=buyer,
        payment_method=payment_method,
        subtotal=subtotal,
        discount=discount,
        shipping_cost=shipping_cost,
        total=subtotal - discount + shipping_cost,
        checkout=checkout,
        shipping_name=(shipping.shipping_name or buyer.get_full_name()).strip()[:200],
        shipping_phone=(shipping.shipping_phone or str(buyer.phone or "")).strip()[:32],
        shipping_address=shipping.shipping_address.strip(),
        shipping_city=shipping.shipping_city.strip()[:100],
        shipping_state=shipping.shipping_state.strip()[:100],
        shipping_country=shipping.shipping_country.strip()[:2],
        shipping_postal_code=shipping.shipping_postal_code.strip()[:20],
    )
    return order, items


def orders_place(
    *,
    buyer: User,
    groups: Sequence[Sequence[OrderLineRequest]],
    payment_method: PaymentMethod | str,
    shipping: OrderShipping,
    shipping_costs: Sequence[Decimal],
    checkout: Checkout | None = None,
    commission_book: CommissionBook | None = None,
) -> list[Order]:
    """Place one order per group of lines, all or none, in the caller's transaction: the
    lines of every group are checked first (each refused line named, per order), every line's
    stock is then taken in one ``stock_take_many`` (one lock order for every placement:
    variation pk), and the orders and their lines are written in one INSERT each. Raises
    ``OrdersRefused`` naming every order that cannot be placed, before anything is written.
    Returns the orders (their ``placed_items``: the lines written) with the notices queued:
    each seller hears of their own lines; the buyer once per order unless a checkout tells
    them once for all (``notices_checkout_placed``). The commission rules are read once for
    every line (``commission_book``: a caller that read them already passes them)."""
    products = order_products_for(groups)
    refusals: list[tuple[int, OrderError]] = []
    placed: list[tuple[str, list[_Line]]] = []
    for index, lines in enumerate(groups):
        try:
            placed.append((order_number_new(), _resolve_lines(lines, products)))
        except OrderError as error:
            refusals.append((index, error))
            placed.append(("", []))
    try:
        stock_take_many(
            lines=[
                StockLine(line.variation.pk, line.quantity, note=f"Order {number}")
                for number, resolved in placed
                for line in resolved
            ],
            reason=StockReason.ORDER,
            actor=buyer,
        )
    except InsufficientStockError as short:
        for index, (_, resolved) in enumerate(placed):
            own = {line.variation.pk for line in resolved}
            shortages = [s for s in short.shortages if s.variation_id in own]
            if shortages:
                refusals.append((index, _shortage_error(shortages, resolved)))
    if refusals:
        raise OrdersRefused(sorted(refusals, key=lambda refusal: refusal[0]))
    book = commission_book or commission_book_for(
        manufacturer_ids={line.product.manufacturer_id for _, resolved in placed
                          for line in resolved}
    )
    built = [
        _order_new(number=number, buyer=buyer, payment_method=payment_method,
                   shipping=shipping, shipping_cost=cost, checkout=checkout, resolved=resolved,
                   book=book)
        for (number, resolved), cost in zip(placed, shipping_costs, strict=True)
    ]
    orders = Order.objects.bulk_create([order for order, _ in built])
    for order, items in built:
        for item in items:
            item.order = order
        order.placed_items = items
    OrderItem.objects.bulk_create([item for _, items in built for item in items])
    return orders


@transaction.atomic
def order_place(
    *,
    buyer: User,
    lines: Sequence[OrderLineRequest],
    payment_method: PaymentMethod | str,
    shipping_name: str = "",
    shipping_phone: str = "",
    shipping_address: str = "",
    shipping_city: str = "",
    shipping_state: str = "",
    shipping_country: str = "",
    shipping_postal_code: str = "",
    shipping_cost: Decimal = Decimal("0.00"),
) -> Order:
    """Place one order in one transaction: all lines' stock is taken, or nothing changes
    (``orders_place`` with one group), and its buyer and sellers are told.

    Raises ``OrderError``: a line that cannot be ordered (400 family, every such line named),
    or ``INSUFFICIENT_STOCK`` naming every short line with requested and available units.
    The shipping name and phone default to the buyer's account.
    """
    payment_method_check(payment_method)
    try:
        (order,) = orders_place(
            buyer=buyer,
            groups=[lines],
            payment_method=payment_method,
            shipping=OrderShipping(
                shipping_name=shipping_name, shipping_phone=shipping_phone,
                shipping_address=shipping_address, shipping_city=shipping_city,
                shipping_state=shipping_state, shipping_country=shipping_country,
                shipping_postal_code=shipping_postal_code,
            ),
            shipping_costs=[shipping_cost],
        )
    except OrdersRefused as refused:
        raise refused.refusals[0][1] from None
    notify_many(notices=notices_placed(order=order, items=order.placed_items, buyer=buyer,
                                       tell_buyer=True))
    return order


def payment_method_check(payment_method: str) -> None:
    if payment_method not in PaymentMethod.values:
        raise OrderError(
            f"Unknown payment method “{payment_method}”: use one of "
            f"{', '.join(PaymentMethod.values)}.",
            code=OrderErrorCode.INVALID_PAYMENT_METHOD,
        )
