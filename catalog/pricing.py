"""The one pricing rule of the catalogue: what a unit costs and what its discount is.

In the spirit of django-oscar's ``partner/strategy.py``: every consumer (the product's
``discount_price``, the catalogue API, the admin, order lines, and the cart and checkout) asks
these functions instead of computing a price itself.

- A variation's ``price_override`` replaces the product's price for that variation.
- The product's ``discount_percent`` (0-100) applies to whichever price is in force; the price
  after discount is rounded to the cent, halves up. "No discount" is ``None``, never 0.00.
- A discount given as a price after discount (the API's ``discount_price``) becomes the
  percentage that yields it, rounded to two decimals, halves up.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.money import quantize_money

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def price_after_discount(*, price: Decimal, discount_percent: Decimal) -> Decimal:
    """``price`` less ``discount_percent`` %, to the cent (halves up)."""
    if not discount_percent:
        return quantize_money(price)
    return quantize_money(price * (HUNDRED - Decimal(discount_percent)) / HUNDRED)


def discount_price(*, price: Decimal, discount_percent: Decimal) -> Decimal | None:
    """The price after discount, or None when there is no discount."""
    if not discount_percent:
        return None
    return price_after_discount(price=price, discount_percent=discount_percent)


def discount_percent_for(*, price: Decimal, discount_price: Decimal) -> Decimal | None:
    """The percentage that turns ``price`` into ``discount_price`` (two decimals, halves up);
    None when ``discount_price`` is not between 0 and the price."""
    if price is None or discount_price is None or not (0 <= discount_price <= price):
        return None
    if not price:
        return ZERO
    return ((price - discount_price) * HUNDRED / price).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class UnitPrice:
    """One unit of a variation: its price before discount, the discount, and what is paid."""

    price: Decimal
    discount: Decimal
    discount_percent: Decimal

    @property
    def paid(self) -> Decimal:
        return self.price - self.discount


def unit_price(*, product, variation=None) -> UnitPrice:
    """The price of one unit of ``variation`` (or of the product itself) and its discount."""
    override = getattr(variation, "price_override", None)
    price = override if override is not None else product.price
    percent = product.discount_percent or Decimal("0")
    paid = price_after_discount(price=price, discount_percent=percent)
    return UnitPrice(
        price=price, discount=(price - paid) if percent else ZERO, discount_percent=percent
    )
