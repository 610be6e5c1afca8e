"""The one pricing rule (catalog/pricing.py) and its consumers in the catalogue."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from catalog.pricing import discount_percent_for, discount_price, unit_price

D = Decimal


def test_unit_price_with_override_and_half_cent_discount():
    product = SimpleNamespace(price=D("10.00"), discount_percent=D("12.5"))
    variation = SimpleNamespace(price_override=D("0.99"))

    own = unit_price(product=product)
    assert (own.price, own.discount, own.paid) == (D("10.00"), D("1.25"), D("8.75"))

    overridden = unit_price(product=product, variation=variation)
    # 0.99 less 12.5% = 0.86625 -> 0.87 (halves up)
    assert (overridden.price, overridden.paid, overridden.discount) == (
        D("0.99"),
        D("0.87"),
        D("0.12"),
    )


def test_no_discount_is_none_not_zero():
    assert discount_price(price=D("10"), discount_percent=D("0")) is None
    assert unit_price(product=SimpleNamespace(price=D("3"), discount_percent=D("0"))).discount == 0


@pytest.mark.parametrize(
    "price, paid, expected",
    [
        (D("100"), D("90"), D("10.00")),
        (D("3"), D("2"), D("33.33")),
        (D("3"), D("1"), D("66.67")),
        (D("0"), D("0"), D("0.00")),
        (D("10"), D("11"), None),
        (D("10"), D("-1"), None),
        (None, D("1"), None),
    ],
)
def test_percent_from_a_price_after_discount(price, paid, expected):
    assert discount_percent_for(price=price, discount_price=paid) == expected


@pytest.mark.django_db
def test_product_discount_price_asks_the_rule(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, price="19.99", discount_percent="15")
    assert product.discount_price == discount_price(price=D("19.99"), discount_percent=D("15"))
    assert product.discount_price == D("16.99")
