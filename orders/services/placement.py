"""Placing an order: one transaction that takes every line's stock or changes nothing.

``order_place`` resolves the lines against the public catalogue, takes every line's stock with
``stock_take_many`` (one conditional update per variation, in variation pk order, so buyers
racing for the same units queue instead of deadlocking; any short line fails the whole order
and nothing changes), writes the order with the prices of ``catalog.pricing`` captured, and
tells each manufacturer, and the buyer of an order placed on its own (a checkout tells its buyer
once for all its orders); delivered after commit.

``order_place`` is not marked ``durable``: the checkout places one order per manufacturer in
one transaction, so it must be able to nest this call.
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
from catalog.services.stock import InsufficientStockError
from catalog.variations import VariationChoiceError, VariationRefusal, variation_of_line
from core.ids import as_uuid
from orders.commission import CommissionBook, CommissionTerms, commission_book_for
from orders.errors import OrderError, OrderErrorCode
from orders.models import Checkout, Order, OrderItem, PaymentMethod
from orders.services.notices import notify_placed
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


def _resolve_lines(lines: Sequence[OrderLineRequest]) -> list[_Line]:
    """Each requested line as a public product and the variation that holds its stock, or an
    ``OrderError`` naming every line that cannot be ordered."""
    if not lines:
        raise OrderError("An order needs at least one product.", code=OrderErrorCode.EMPTY_ORDER)
    if len(lines) > MAX_LINES:
        raise OrderError(
            f"An order can have at most {MAX_LINES} lines.", code=OrderErrorCode.TOO_MANY_LINES
        )
    product_ids = {pk for pk in (as_uuid(line.product_id) for line in lines) if pk}
    products = {
        product.pk: product
        for product in products_public()
        .filter(pk__in=product_ids)
        .select_related("manufacturer", "category")
        .prefetch_related(Prefetch("variations", queryset=Variation.objects.order_by("pk")))
    }
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


def _shortage_error(error: InsufficientStockError, lines: list[_Line]) -> OrderError:
    by_variation = {line.variation.pk: line for line in lines}
    described, refs = [], []
    for shortage in error.shortages:
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
    checkout: Checkout | None = None,
    commission_book: CommissionBook | None = None,
) -> Order:
    """Place an order in one transaction: all lines' stock is taken, or nothing changes.

    Raises ``OrderError``: a line that cannot be ordered (400 family, every such line named),
    or ``INSUFFICIENT_STOCK`` naming every short line with requested and available units.
    The shipping name and phone default to the buyer's account. A checkout passes its own
    ``checkout`` and this order's share of its shipping (``shipping_cost``, in the total),
    and the commission rules it read once for all its orders (``commission_book``; else they
    are read here, one query).
    """
    if payment_method not in PaymentMethod.values:
        raise OrderError(
            f"Unknown payment method “{payment_method}”: use one of "
            f"{', '.join(PaymentMethod.values)}.",
            code=OrderErrorCode.INVALID_PAYMENT_METHOD,
        )
    resolved = _resolve_lines(lines)
    number = order_number_new()
    try:
        stock_take_many(
            lines=[StockLine(line.variation.pk, line.quantity) for line in resolved],
            reason=StockReason.ORDER,
            actor=buyer,
            note=f"Order {number}",
        )
    except InsufficientStockError as short:
        raise _shortage_error(short, resolved) from None

    book = commission_book or commission_book_for(
        manufacturer_ids={line.product.manufacturer_id for line in resolved}
    )
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
    order = Order.objects.create(
        number=number,
        buyer=buyer,
        payment_method=payment_method,
        subtotal=subtotal,
        discount=discount,
        shipping_cost=shipping_cost,
        total=subtotal - discount + shipping_cost,
        checkout=checkout,
        shipping_name=(shipping_name or buyer.get_full_name()).strip()[:200],
        shipping_phone=(shipping_phone or str(buyer.phone or "")).strip()[:32],
        shipping_address=shipping_address.strip(),
        shipping_city=shipping_city.strip()[:100],
        shipping_state=shipping_state.strip()[:100],
        shipping_country=shipping_country.strip()[:2],
        shipping_postal_code=shipping_postal_code.strip()[:20],
    )
    for item in items:
        item.order = order
    OrderItem.objects.bulk_create(items)
    # A checkout tells its buyer once for all its orders (``notify_checkout_placed``).
    notify_placed(order=order, items=items, buyer=buyer, tell_buyer=checkout is None)
    return order
