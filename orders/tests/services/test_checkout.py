"""Checkout's own rules (the storefront calls are in ``tests/api/test_checkout.py``)."""

from decimal import Decimal

from orders.services import shipping_split


def test_shipping_is_split_evenly_to_the_cent():
    assert shipping_split(cost=Decimal("100.00"), parts=3) == [
        Decimal("33.34"), Decimal("33.33"), Decimal("33.33")
    ]
    assert shipping_split(cost=Decimal("10.00"), parts=2) == [Decimal("5.00")] * 2
    assert shipping_split(cost=Decimal("0"), parts=2) == [Decimal("0.00")] * 2
    assert sum(shipping_split(cost=Decimal("0.05"), parts=4)) == Decimal("0.05")
