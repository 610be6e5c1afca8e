"""Writes of orders: placement, status changes, cancellation, shipping lines.

- ``order_place`` is one transaction: it resolves the lines against the public catalogue,
  takes every line's stock with ``stock_take_many`` (one conditional update per variation, in
  variation pk order; any short line fails the whole order and nothing changes), writes the
  order with prices captured, and tells the buyer and each manufacturer (``notify`` delivers
  after commit).
- Status moves only along ``ALLOWED_TRANSITIONS``; each move locks the order row, is a
  conditional update, and writes an ``OrderStatusChange`` row in the same transaction.
  Cancelling puts the stock back through the ledger (reason "return").
- A manufacturer marks their own lines shipped; when the last line ships, the order is shipped.
"""

import secrets
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from catalog.models import Product, StockReason, Variation
from catalog.selectors import products_public
from catalog.services.stock_batch import (
    InsufficientStockError,
    StockLine,
    stock_return_many,
    stock_take_many,
)
from notifications.services import notify
from orders.errors import OrderError, OrderErrorCode
from orders.models import Order, OrderItem, OrderStatus, OrderStatusChange, PaymentMethod
from orders.selectors import order_items_visible_to, order_manufacturers
from users.models import User

CENT = Decimal("0.01")
MAX_LINES = 100

ALLOWED_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PROCESSING, OrderStatus.CANCELLED}),
    OrderStatus.PROCESSING: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# Crockford's base32: no I, L, O, U, so a number read over the phone is not misheard.
ORDER_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


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


# --- Placement -------------------------------------------------------------------------------


def order_number_new() -> str:
    """A random, human-friendly order number such as ``MT-7KQ2X-9DF4A`` (50 random bits: no
    sequence to contend on, nothing to guess about sales volume)."""
    chars = "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(10))
    return f"MT-{chars[:5]}-{chars[5:]}"


def unit_prices(*, product: Product, variation: Variation) -> tuple[Decimal, Decimal]:
    """(price of one unit before discount, discount on one unit). The variation's price
    override replaces the product's price; the product's discount applies to it, rounded to
    the cent half up like ``Product.discount_price``."""
    price = variation.price_override if variation.price_override is not None else product.price
    if not product.discount_percent:
        return price, Decimal("0.00")
    factor = (Decimal(100) - product.discount_percent) / Decimal(100)
    paid = (price * factor).quantize(CENT, rounding=ROUND_HALF_UP)
    return price, price - paid


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


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _resolve_lines(lines: Sequence[OrderLineRequest]) -> list[_Line]:
    """Each requested line as a public product and the variation that holds its stock, or an
    ``OrderError`` naming every line that cannot be ordered."""
    if not lines:
        raise OrderError("An order needs at least one product.", code=OrderErrorCode.EMPTY_ORDER)
    if len(lines) > MAX_LINES:
        raise OrderError(
            f"An order can have at most {MAX_LINES} lines.", code=OrderErrorCode.TOO_MANY_LINES
        )
    product_ids = {pk for pk in (_as_uuid(line.product_id) for line in lines) if pk}
    products = {
        product.pk: product
        for product in products_public()
        .filter(pk__in=product_ids)
        .select_related("manufacturer")
        .prefetch_related(Prefetch("variations", queryset=Variation.objects.order_by("pk")))
    }
    resolved: list[_Line] = []
    problems: list[tuple[OrderErrorCode, str, dict]] = []
    seen: dict[int, int] = {}
    for index, line in enumerate(lines):
        ref = _line_ref(index, line.product_id, line.variation_id)
        where = f"products[{index}]:"
        product = products.get(_as_uuid(line.product_id))
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
        if line.variation_id is None:
            if len(variations) == 1 and variations[0].is_default:
                variation = variations[0]
            else:
                labels = ", ".join(f"{v.pk} ({v.label})" for v in variations)
                problems.append(
                    (
                        OrderErrorCode.VARIATION_REQUIRED,
                        f"{where} “{product.name}” comes in several sizes or colours: choose "
                        f"a variation ({labels}).",
                        ref,
                    )
                )
                continue
        else:
            variation = next((v for v in variations if v.pk == line.variation_id), None)
            if variation is None:
                problems.append(
                    (
                        OrderErrorCode.VARIATION_UNKNOWN,
                        f"{where} variation {line.variation_id} is not a variation of "
                        f"“{product.name}”.",
                        ref,
                    )
                )
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


def _money_text(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _notify_placed(*, order: Order, items: list[OrderItem], buyer: User) -> None:
    notify(
        event="order_placed",
        recipients=[buyer],
        context={"order_number": order.number, "total": _money_text(order.total)},
        link=f"/orders/{order.pk}",
    )
    by_manufacturer: dict[int, list[OrderItem]] = {}
    for item in items:
        if item.manufacturer_id is not None:
            by_manufacturer.setdefault(item.manufacturer_id, []).append(item)
    for manufacturer_id in sorted(by_manufacturer):
        own = by_manufacturer[manufacturer_id]
        total = _money_text(sum((item.line_total for item in own), Decimal("0")))
        units = sum(item.quantity for item in own)
        notify(
            event="order_placed",
            recipients=[own[0].manufacturer],
            context={
                "order_number": order.number,
                "total": total,
                # Per seller: their lines only, never the rest of the buyer's basket.
                "title": f"New order {order.number}",
                "body": f"Order {order.number} includes {units} unit(s) of your products. "
                f"Your total: {total}.",
            },
            link=f"/admin/orders/order/{order.pk}/change/",
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
) -> Order:
    """Place an order in one transaction: all lines' stock is taken, or nothing changes.

    Raises ``OrderError``: a line that cannot be ordered (400 family, every such line named),
    or ``INSUFFICIENT_STOCK`` naming every short line with requested and available units.
    The shipping name and phone default to the buyer's account.
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

    items: list[OrderItem] = []
    for line in sorted(resolved, key=lambda line: line.index):
        unit_price, unit_discount = unit_prices(product=line.product, variation=line.variation)
        items.append(
            OrderItem(
                product=line.product,
                variation=line.variation,
                manufacturer=line.product.manufacturer,
                product_name=line.product.name,
                variation_label=line.variation.label,
                quantity=line.quantity,
                unit_price=unit_price,
                discount_percent=line.product.discount_percent,
                unit_discount=unit_discount,
                line_total=(unit_price - unit_discount) * line.quantity,
            )
        )
    subtotal = sum((item.unit_price * item.quantity for item in items), Decimal("0.00"))
    discount = sum((item.unit_discount * item.quantity for item in items), Decimal("0.00"))
    order = Order.objects.create(
        number=number,
        buyer=buyer,
        payment_method=payment_method,
        subtotal=subtotal,
        discount=discount,
        total=subtotal - discount,
        shipping_name=(shipping_name or buyer.get_full_name()).strip()[:200],
        shipping_phone=(shipping_phone or str(buyer.phone or "")).strip()[:32],
        shipping_address=shipping_address.strip(),
    )
    for item in items:
        item.order = order
    OrderItem.objects.bulk_create(items)
    _notify_placed(order=order, items=items, buyer=buyer)
    return order


# --- Status ----------------------------------------------------------------------------------


def _locked(order: Order) -> Order:
    """The order re-read with its row locked until commit, so two status writes on one order
    queue instead of interleaving (PostgreSQL; under SQLite's IMMEDIATE transactions the
    writer already holds the database lock)."""
    no_key = connection.features.has_select_for_no_key_update
    return Order.objects.select_for_update(no_key=no_key).get(pk=order.pk)


def order_can_become(*, order: Order, to: OrderStatus | str) -> bool:
    return OrderStatus(to) in ALLOWED_TRANSITIONS[OrderStatus(order.status)]


def _notify_status(*, order: Order, to: OrderStatus) -> None:
    context = {"order_number": order.number, "status": to.label.lower()}
    if order.buyer_id is not None:
        notify(
            event="order_status_changed",
            recipients=[User.objects.get(pk=order.buyer_id)],
            context=context,
            link=f"/orders/{order.pk}",
        )
    if to == OrderStatus.CANCELLED:
        notify(
            event="order_status_changed",
            recipients=order_manufacturers(order=order),
            context={
                **context,
                "title": f"Order {order.number} was cancelled",
                "body": f"Order {order.number} was cancelled: do not ship its lines. "
                "Their stock is back in your inventory.",
            },
            link=f"/admin/orders/order/{order.pk}/change/",
        )


def _transition(*, order: Order, to: OrderStatus, actor: User | None, note: str) -> Order:
    """Move a locked ``order`` to ``to`` if allowed; record it; cancelling returns the stock,
    shipping marks the lines not shipped yet. Moving to the current status changes nothing."""
    current = OrderStatus(order.status)
    if to == current:
        return order
    if to not in ALLOWED_TRANSITIONS[current]:
        raise OrderError(
            f"Order {order.number} is {current.label.lower()} and cannot become "
            f"{to.label.lower()}.",
            code=OrderErrorCode.INVALID_TRANSITION,
        )
    if to == OrderStatus.CANCELLED and order.items.filter(shipped_at__isnull=False).exists():
        raise OrderError(
            f"Order {order.number} has lines shipped already and cannot be cancelled.",
            code=OrderErrorCode.LINES_SHIPPED,
        )
    now = timezone.now()
    updated = Order.objects.filter(pk=order.pk, status=current).update(status=to, updated_at=now)
    if updated != 1:  # a backstop: the row is locked, its status cannot have moved
        raise OrderError(
            f"Order {order.number} changed meanwhile; reload it.",
            code=OrderErrorCode.INVALID_TRANSITION,
        )
    OrderStatusChange.objects.create(
        order=order, from_status=current, to_status=to, actor=actor, note=note[:255]
    )
    order.status, order.updated_at = to, now
    if to == OrderStatus.SHIPPED:
        order.items.filter(shipped_at__isnull=True).update(shipped_at=now, shipped_by=actor)
    elif to == OrderStatus.CANCELLED:
        lines = order.items.filter(variation__isnull=False).values_list("variation_id", "quantity")
        stock_return_many(
            lines=[StockLine(variation_id, quantity) for variation_id, quantity in lines],
            reason=StockReason.RETURN,
            actor=actor,
            note=f"Order {order.number} cancelled",
        )
    _notify_status(order=order, to=to)
    return order


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise OrderError("Only staff can change an order's status.", code=OrderErrorCode.STAFF_ONLY)


@transaction.atomic
def order_status_change(
    *, order: Order, to: OrderStatus | str, actor: User, note: str = ""
) -> Order:
    """Staff move an order along its workflow (see ``ALLOWED_TRANSITIONS``)."""
    _require_staff(actor)
    return _transition(order=_locked(order), to=OrderStatus(to), actor=actor, note=note)


@transaction.atomic
def order_cancel(*, order: Order, actor: User, note: str = "") -> Order:
    """The buyer cancels their order while it is pending (staff: also while processing).
    The stock goes back through the ledger. Cancelling a cancelled order changes nothing."""
    locked = _locked(order)
    if not actor.is_staff:
        if locked.buyer_id != actor.pk:
            raise OrderError("Only the buyer can cancel this order.", code=OrderErrorCode.NOT_BUYER)
        if locked.status not in (OrderStatus.PENDING, OrderStatus.CANCELLED):
            raise OrderError(
                f"Order {locked.number} is {locked.get_status_display().lower()}: only a "
                "pending order can be cancelled. Contact us to stop it.",
                code=OrderErrorCode.NOT_CANCELLABLE,
            )
    return _transition(
        order=locked,
        to=OrderStatus.CANCELLED,
        actor=actor,
        note=note or ("" if actor.is_staff else "Cancelled by the buyer"),
    )


def order_status_change_many(
    *, orders: Iterable[Order], to: OrderStatus | str, actor: User
) -> tuple[int, list[OrderError]]:
    """Bulk status change, one transaction per order (pk order) so one refusal does not undo
    the others. Returns (orders changed, refusals); orders already there count as neither."""
    _require_staff(actor)
    changed, refused = 0, []
    for order in sorted(orders, key=lambda o: o.pk):
        before = order.status
        try:
            after = order_status_change(order=order, to=to, actor=actor).status
        except OrderError as error:
            refused.append(error)
        else:
            changed += before != after
    return changed, refused


# --- Shipping lines --------------------------------------------------------------------------


@transaction.atomic
def order_lines_ship(
    *, order: Order, actor: User, item_ids: Collection[int] | None = None
) -> int:
    """Mark the actor's lines of a processing order shipped (all of them, or those of
    ``item_ids``); staff may ship any line. When no line is left to ship, the order becomes
    shipped. Returns how many lines were marked."""
    locked = _locked(order)
    if locked.status != OrderStatus.PROCESSING:
        raise OrderError(
            f"Order {locked.number} is {locked.get_status_display().lower()}: lines are "
            "shipped once it is processing.",
            code=OrderErrorCode.NOT_SHIPPABLE,
        )
    lines = order_items_visible_to(user=actor).filter(order=locked, shipped_at__isnull=True)
    if item_ids is not None:
        lines = lines.filter(pk__in=item_ids)
    shipped = lines.update(shipped_at=timezone.now(), shipped_by=actor)
    if not shipped:
        raise OrderError(
            f"Order {locked.number} has none of your lines left to ship.",
            code=OrderErrorCode.NOTHING_TO_SHIP,
        )
    if not OrderItem.objects.filter(order=locked, shipped_at__isnull=True).exists():
        _transition(order=locked, to=OrderStatus.SHIPPED, actor=actor, note="All lines shipped")
    return shipped


def order_lines_ship_many(
    *, orders: Iterable[Order], actor: User, item_ids: Collection[int] | None = None
) -> tuple[int, list[OrderError]]:
    """``order_lines_ship`` for several orders, one transaction each (pk order). Returns
    (lines marked shipped, refusals)."""
    shipped, refused = 0, []
    for order in sorted(orders, key=lambda o: o.pk):
        try:
            shipped += order_lines_ship(order=order, actor=actor, item_ids=item_ids)
        except OrderError as error:
            refused.append(error)
    return shipped, refused
