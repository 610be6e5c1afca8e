"""Checkout: the buyer's checked cart lines become one order per manufacturer, all or nothing.

``checkout_place`` runs in one durable transaction: the manufacturers' groups of lines go
through ``orders_place`` together (the race-proof placement: every line checked, then every
line's stock taken in one ``stock_take_many`` in variation pk order, the one lock order of
every stock write, so checkouts never deadlock; prices from ``catalog.pricing``). If any line
cannot be ordered, the answer names every line at fault of every group and nothing is
written. The checked lines leave the cart in the same transaction. A checkout costs a fixed
number of queries whatever its lines and sellers (pinned in the tests).

Shipping: the method's cost is charged once per checkout and split evenly between its orders
(each manufacturer ships their own parcel); the cents that do not divide go to the first
orders, so the shares add up to the cost exactly.

Payment: with ``PAYSTACK_SECRET_KEY`` set, the Paystack transaction is initialised *before*
the transaction that places the orders, for the total of ``checkout_quote`` (the amount the
checkout review shows); no row lock is ever held across a network call. If
Paystack cannot be reached, nothing is ordered (502). If the placed total differs from the
initialised amount (a price changed in between), nothing is ordered (409). Without the key the
checkout is paid on delivery. What one buyer may hold unpaid is limited (``holds``).

Once only: the transaction claims the cart lines it orders (``shopping.services.
cart_items_claim``), so of the requests checking out one cart at once exactly one orders; the
others order nothing and answer 409 ``already_placed`` naming that checkout. A client that
sends an ``Idempotency-Key`` gets the first answer again for the same key (the key is unique
per buyer, written first in the transaction, so a concurrent twin waits on it and then reads
the winner's checkout).
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.ids import as_int
from notifications.services import notify_many
from orders.errors import CheckoutError, CheckoutErrorCode, OrderError, OrderErrorCode
from orders.models import (
    Checkout,
    CheckoutAddressChoice,
    CheckoutPayment,
    CheckoutPaymentStatus,
    Order,
    PaymentMethod,
    shipping_snapshot_of,
)
from orders.paystack import PaystackUnavailable, paystack_configured, paystack_initialize
from orders.services.holds import unpaid_hold_check
from orders.services.notices import notice_checkout_placed, notices_placed
from orders.services.placement import (
    OrderLineRequest,
    OrderShipping,
    OrdersRefused,
    orders_place,
)
from orders.services.quote import (
    CheckoutQuote,
    cart_lines_checked,
    checkout_quote,
    shipping_method_for,
)
from shopping.errors import ShoppingErrorCode
from shopping.models import CartItem, ShippingAddress, ShippingMethod
from shopping.selectors import (
    cart_items_checked,
    shipping_addresses_of,
    shipping_methods_active,
)
from shopping.services import cart_items_claim
from users.models import User

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

#: A cart line's issue (``shopping.selectors.CartIssue``) as the order error it would be.
ISSUE_CODES = {
    ShoppingErrorCode.PRODUCT_WITHDRAWN: OrderErrorCode.PRODUCT_UNAVAILABLE,
    ShoppingErrorCode.VARIATION_REQUIRED: OrderErrorCode.VARIATION_REQUIRED,
    ShoppingErrorCode.INSUFFICIENT_STOCK: OrderErrorCode.INSUFFICIENT_STOCK,
}


#: How long after a checkout an empty cart's checkout reads as a repeat of it (409 naming
#: it) rather than as an empty cart (400).
REPEAT_WINDOW = timedelta(minutes=10)
IDEMPOTENCY_KEY_MAX = 100


@dataclass(frozen=True)
class CheckoutPlaced:
    checkout: Checkout
    orders: list[Order]
    #: True when this is the answer of an earlier request with the same idempotency key.
    replayed: bool = False


def _placed_answer(checkout: Checkout, *, replayed: bool) -> CheckoutPlaced:
    return CheckoutPlaced(
        checkout=checkout, orders=list(checkout.orders.order_by("pk")), replayed=replayed
    )


def _placed_with_key(buyer: User, key: str | None) -> CheckoutPlaced | None:
    checkout = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first() if key else None
    return _placed_answer(checkout, replayed=True) if checkout else None


def _already_placed(buyer: User, *, since=None, excluding=None) -> CheckoutError | None:
    """The 409 naming the buyer's latest checkout (the one that ordered the lines another
    request claimed), if there is one (placed after ``since``; not ``excluding``, the
    asker's own checkout being written)."""
    latest = Checkout.objects.filter(buyer=buyer).exclude(pk=excluding)
    if since is not None:
        latest = latest.filter(created_at__gte=since)
    checkout = latest.order_by("-created_at", "-pk").first()
    if checkout is None:
        return None
    orders = list(checkout.orders.order_by("pk").values_list("pk", "number"))
    return CheckoutError(
        f"These cart lines were checked out already (checkout {checkout.pk}: order "
        f"{', '.join(number for _, number in orders)}). Nothing more was ordered.",
        code=CheckoutErrorCode.ALREADY_PLACED,
        extra={
            "checkout_id": checkout.pk,
            "order_ids": [pk for pk, _ in orders],
            "payment_status": checkout.payment_status,
            "paystack_url": checkout.paystack_url or None,
        },
    )


def idempotency_key_valid(raw: str | None) -> str | None:
    """The client's ``Idempotency-Key`` (None when not sent); refused when too long."""
    key = (raw or "").strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise CheckoutError(
            f"The Idempotency-Key header must be printable text of at most "
            f"{IDEMPOTENCY_KEY_MAX} characters.",
            code=CheckoutErrorCode.IDEMPOTENCY_KEY_INVALID,
        )
    return key


def shipping_split(*, cost: Decimal, parts: int) -> list[Decimal]:
    """``cost`` in ``parts`` equal shares to the cent; the cents left over go one each to the
    first shares (100.00 in 3: 33.34, 33.33, 33.33)."""
    if parts <= 0:
        return []
    cents = int((cost / CENT).to_integral_value())
    base, extra = divmod(cents, parts)
    return [Decimal(base + (1 if index < extra else 0)) * CENT for index in range(parts)]


def _one_named(queryset, raw_id, missing: CheckoutError):
    """The row of ``queryset`` whose id the buyer sent (a number, maybe as text), else
    ``missing`` is raised: an id of another buyer's row reads as unknown, like a wrong one."""
    pk = as_int(str(raw_id))
    row = queryset.filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise missing
    return row


def checkout_address_for(*, buyer: User, address_id=None) -> ShippingAddress:
    """The address a checkout ships to: the one named (the buyer's own only), else the one
    chosen with ``checkout_address_choose``, else the default. Raises ``CheckoutError``."""
    addresses = shipping_addresses_of(user=buyer)
    if address_id not in (None, ""):
        return _one_named(
            addresses,
            address_id,
            CheckoutError(
                f"Shipping address {address_id} is not one of your addresses.",
                code=CheckoutErrorCode.ADDRESS_UNKNOWN,
            ),
        )
    # The chosen one first, else the default order (``shipping_address_default``): one query.
    chosen = CheckoutAddressChoice.objects.filter(
        buyer=buyer, shipping_address=OuterRef("pk")
    )
    address = (
        addresses.annotate(chosen=Exists(chosen))
        .order_by("-chosen", *addresses.query.order_by)
        .first()
    )
    if address is None:
        raise CheckoutError(
            "Add a shipping address before checking out.",
            code=CheckoutErrorCode.ADDRESS_REQUIRED,
        )
    return address


def checkout_address_choose(*, buyer: User, address_id) -> ShippingAddress:
    """Record the address the buyer picked for their next checkout."""
    address = checkout_address_for(buyer=buyer, address_id=address_id)
    CheckoutAddressChoice.objects.update_or_create(
        buyer=buyer, defaults={"shipping_address": address}
    )
    return address


def _groups(items: Sequence[CartItem]) -> list[list[CartItem]]:
    """The cart lines by manufacturer, in manufacturer pk order (the orders' order)."""
    by_manufacturer: dict[int, list[CartItem]] = {}
    for item in items:
        by_manufacturer.setdefault(item.product.manufacturer_id, []).append(item)
    return [by_manufacturer[key] for key in sorted(by_manufacturer)]


def _lines_refuse(quote: CheckoutQuote) -> None:
    """Raise ``OrderError`` (the codes ``order_place`` would give) naming the checked lines that
    cannot be bought, before Paystack is asked for a payment that could never complete."""
    problems = [
        {
            "cart_item": line.item.pk,
            "product": str(line.item.product_id),
            "variation": line.item.variation_id,
            "product_name": line.product.name,
            "code": ISSUE_CODES[line.issue.code].value,
            "message": line.issue.message,
        }
        for line in quote.lines
        if line.issue
    ]
    if problems:
        codes = {problem["code"] for problem in problems}
        raise OrderError(
            " ".join(f"“{p['product_name']}”: {p['message']}" for p in problems)
            + " Nothing was ordered.",
            code=OrderErrorCode.INSUFFICIENT_STOCK
            if OrderErrorCode.INSUFFICIENT_STOCK.value in codes
            else OrderErrorCode(problems[0]["code"]),
            lines=problems,
        )


def _renamed(error: OrderError, group: list[CartItem]) -> list[dict]:
    """An order's refused lines named by cart line (the order numbers its lines from 0)."""
    lines = []
    for ref in error.lines or [{"index": None}]:
        index = ref.get("index")
        item = group[index] if isinstance(index, int) and index < len(group) else None
        lines.append(
            {
                **ref,
                "cart_item": item.pk if item else None,
                "code": ref.get("code", str(error.code)),
                "message": ref.get("message", error.message),
            }
        )
    return lines


def _orders_known(checkout: Checkout, orders: list[Order]) -> None:
    """Keep the orders just placed as the checkout's ``orders`` (as a prefetch would), so the
    answer lists them without reading them back."""
    known = checkout.orders.all()
    known._result_cache = sorted(orders, key=lambda order: order.pk)
    known._prefetch_done = True
    checkout._prefetched_objects_cache = {"orders": known}


def _reference_new() -> str:
    return f"MTCK-{secrets.token_hex(8).upper()}"


@transaction.atomic(durable=True)
def _place(
    *,
    buyer: User,
    items: list[CartItem],
    address: ShippingAddress,
    method: ShippingMethod | None,
    paystack: tuple[str, str, Decimal] | None,
    idempotency_key: str | None,
) -> CheckoutPlaced:
    now = timezone.now()
    # The key first: a concurrent request with the same key waits here for this one to end.
    checkout = Checkout.objects.create(
        buyer=buyer,
        idempotency_key=idempotency_key,
        payment_method=CheckoutPayment.PAYSTACK if paystack else CheckoutPayment.ON_DELIVERY,
        payment_status=(
            CheckoutPaymentStatus.AWAITING if paystack else CheckoutPaymentStatus.ON_DELIVERY
        ),
        paystack_reference=paystack[0] if paystack else None,
        paystack_url=paystack[1] if paystack else "",
        expires_at=(
            now + timedelta(minutes=settings.PAYSTACK_PAYMENT_TIMEOUT_MINUTES) if paystack else None
        ),
        shipping_method=method,
        shipping_method_name=method.name if method else "",
        shipping_estimated_days=method.estimated_days if method else None,
        **shipping_snapshot_of(address),
    )
    claim = cart_items_claim(user=buyer, items=items)
    if not claim.claimed:
        # Lines gone: another request ordered them (named), or the buyer removed them.
        raise (claim.gone and _already_placed(buyer, excluding=checkout.pk)) or CheckoutError(
            "Your cart changed while checking out: review it and try again. Nothing was "
            "ordered.",
            code=CheckoutErrorCode.CART_CHANGED,
            lines=[{"cart_item": pk} for pk in claim.gone + claim.changed],
        )
    if paystack:  # again, now that this buyer's checkouts queue on the claim
        unpaid_hold_check(buyer=buyer, items=items, excluding=checkout.pk)
    groups = _groups(items)
    try:
        orders = orders_place(
            buyer=buyer,
            groups=[
                [
                    OrderLineRequest(
                        product_id=item.product_id,
                        quantity=item.quantity,
                        variation_id=item.variation_id,
                    )
                    for item in group
                ]
                for group in groups
            ],
            payment_method=PaymentMethod.CARD if paystack else PaymentMethod.CASH,
            shipping=OrderShipping(**shipping_snapshot_of(address)),
            shipping_costs=shipping_split(cost=method.cost if method else ZERO, parts=len(groups)),
            checkout=checkout,
        )
    except OrdersRefused as refused:
        # Nothing was written by the placement; raising leaves the durable block.
        errors = [(error, groups[index]) for index, error in refused.refusals]
        code = errors[0][0].code
        if any(error.code == OrderErrorCode.INSUFFICIENT_STOCK for error, _ in errors):
            code = OrderErrorCode.INSUFFICIENT_STOCK
        raise OrderError(
            " ".join(error.message for error, _ in errors),
            code=code,
            lines=[line for error, group in errors for line in _renamed(error, group)],
        ) from None
    checkout.subtotal = sum((order.subtotal for order in orders), ZERO)
    checkout.discount_total = sum((order.discount for order in orders), ZERO)
    checkout.shipping_cost = sum((order.shipping_cost for order in orders), ZERO)
    checkout.total_amount = sum((order.total for order in orders), ZERO)
    if paystack and checkout.total_amount != paystack[2]:
        raise CheckoutError(
            "A price changed while you were checking out: review your cart and try again. "
            "Nothing was ordered.",
            code=CheckoutErrorCode.PRICE_CHANGED,
        )
    checkout.save(
        update_fields=["subtotal", "discount_total", "shipping_cost", "total_amount"]
    )
    _orders_known(checkout, orders)
    CheckoutAddressChoice.objects.filter(buyer=buyer).delete()
    # Each seller hears of their own order; the buyer once for them all.
    notify_many(
        notices=[
            *(
                notice
                for order in orders
                for notice in notices_placed(
                    order=order, items=order.placed_items, buyer=buyer, tell_buyer=False
                )
            ),
            notice_checkout_placed(orders=orders, buyer=buyer),
        ]
    )
    return CheckoutPlaced(checkout=checkout, orders=orders)


def checkout_place(
    *, buyer: User, shipping_address_id=None, shipping_method_id=None, idempotency_key=None
) -> CheckoutPlaced:
    """Check the buyer's checked cart lines out: one order per manufacturer, all or nothing,
    once (see the module docstring).

    Raises ``CheckoutError`` (empty cart, unknown address or method, Paystack unreachable,
    price changed, already placed, unpaid limit) or ``OrderError`` naming every cart line that
    cannot be ordered (each with ``cart_item``); nothing is ordered then and the cart is
    unchanged. With ``idempotency_key`` already used by this buyer, the checkout placed then
    is answered again (``replayed``).
    """
    key = idempotency_key_valid(idempotency_key)
    if (earlier := _placed_with_key(buyer, key)) is not None:
        return earlier
    # With Paystack the quote's lines are read once and are the lines ordered.
    lines = cart_lines_checked(user=buyer, details=False) if paystack_configured() else None
    items = cart_items_checked(user=buyer) if lines is None else [line.item for line in lines]
    if not items:
        # A twin with the same key may have ordered the cart since the look-up above.
        if (earlier := _placed_with_key(buyer, key)) is not None:
            return earlier
        raise _already_placed(buyer, since=timezone.now() - REPEAT_WINDOW) or CheckoutError(
            "Your cart has no checked items to check out.", code=CheckoutErrorCode.EMPTY_CART
        )
    address = checkout_address_for(buyer=buyer, address_id=shipping_address_id)
    try:
        return _checkout_place(
            buyer=buyer, items=items, address=address, method_id=shipping_method_id, key=key,
            lines=lines,
        )
    except IntegrityError:
        # Only the idempotency key is unique here: a twin request with the same key won.
        if (earlier := _placed_with_key(buyer, key)) is not None:
            return earlier
        raise


def _checkout_place(*, buyer, items, address, method_id, key, lines=None) -> CheckoutPlaced:
    if not paystack_configured():  # paid on delivery: the placed orders make the amounts
        method = shipping_method_for(methods=list(shipping_methods_active()), method_id=method_id)
        return _place(
            buyer=buyer, items=items, address=address, method=method, paystack=None,
            idempotency_key=key,
        )
    # Paystack is asked for the quote's total before anything is placed.
    quote = checkout_quote(user=buyer, shipping_method_id=method_id, lines=lines)
    _lines_refuse(quote)
    unpaid_hold_check(buyer=buyer, items=items)
    reference = _reference_new()
    try:
        url = paystack_initialize(
            reference=reference,
            email=buyer.email,
            amount=quote.total,
            metadata={"buyer_id": buyer.pk},
        )
    except PaystackUnavailable as error:
        raise CheckoutError(
            f"The payment could not be started ({error}) Nothing was ordered; try again.",
            code=CheckoutErrorCode.PAYSTACK_UNAVAILABLE,
        ) from error
    return _place(
        buyer=buyer,
        items=items,
        address=address,
        method=quote.shipping_method,
        paystack=(reference, url, quote.total),
        idempotency_key=key,
    )
