"""What checkout will take, as the cart prices it now: the one quote the checkout review shows
and a Paystack checkout charges.

- The lines: the buyer's checked cart lines (``shopping.selectors.cart_of``: prices from
  ``catalog.pricing``, and each line's issue if it cannot be bought now).
- The shipping method: the one named (active ones only), else the default method staff marked
  (free and active: ``shopping.ShippingMethod``), else none (nothing charged). The storefront
  never names a method and shows shipping as free, so a paid method is charged only when the
  client names it; its cost is charged once per checkout.
- The amounts, in the checkout's own terms: ``subtotal`` before discounts, ``discount``,
  ``shipping_cost`` and ``total`` (what the placed checkout's ``total_amount`` comes to while
  no price changes).
"""

from dataclasses import dataclass
from decimal import Decimal

from core.ids import as_int
from orders.errors import CheckoutError, CheckoutErrorCode
from shopping.models import ShippingMethod
from shopping.selectors import CartLine, cart_of, shipping_methods_active
from users.models import User

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CheckoutQuote:
    lines: list[CartLine]
    shipping_methods: list[ShippingMethod]  # the active ones, the default first
    shipping_method: ShippingMethod | None
    subtotal: Decimal
    discount: Decimal

    @property
    def shipping_cost(self) -> Decimal:
        return self.shipping_method.cost if self.shipping_method else ZERO

    @property
    def lines_total(self) -> Decimal:
        """The lines with their discounts (what the review calls its subtotal)."""
        return self.subtotal - self.discount

    @property
    def total(self) -> Decimal:
        return self.lines_total + self.shipping_cost


def shipping_method_for(
    *, methods: list[ShippingMethod], method_id=None
) -> ShippingMethod | None:
    """Of the active ``methods``: the one named (its id, maybe as text), else the default one,
    else none: a checkout is never charged for a method its buyer did not name, bar the free
    default. Raises ``CheckoutError`` for an id that is not one of them."""
    if method_id in (None, ""):
        return next((m for m in methods if m.is_default), None)
    pk = as_int(str(method_id))
    method = next((m for m in methods if m.pk == pk), None)
    if method is None:
        raise CheckoutError(
            f"Shipping method {method_id} is not available.",
            code=CheckoutErrorCode.SHIPPING_METHOD_UNKNOWN,
        )
    return method


def cart_lines_checked(*, user: User, details: bool = True) -> list[CartLine]:
    """The buyer's checked cart lines as ``cart_of`` prices them (``details``: with what the
    review shows of each product; a checkout needs none); each line's ``item`` holds its
    product (a checkout orders these items without reading them again)."""
    lines = [line for line in cart_of(user=user, details=details).lines if line.item.checked]
    for line in lines:
        line.item.product = line.product
    return lines


def checkout_quote(
    *, user: User, shipping_method_id=None, lines: list[CartLine] | None = None
) -> CheckoutQuote:
    """The buyer's checked cart lines (``lines`` if the caller read them already), the shipping
    method checkout would use and the amounts (seven queries whatever the number of lines:
    ``cart_of``'s six and the methods)."""
    methods = list(shipping_methods_active())
    method = shipping_method_for(methods=methods, method_id=shipping_method_id)
    if lines is None:
        lines = cart_lines_checked(user=user)
    return CheckoutQuote(
        lines=lines,
        shipping_methods=methods,
        shipping_method=method,
        subtotal=sum((line.price.price * line.item.quantity for line in lines), ZERO),
        discount=sum((line.price.discount * line.item.quantity for line in lines), ZERO),
    )
