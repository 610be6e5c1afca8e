"""Paystack's client (the checkout calls through it are in ``tests/api/test_paystack.py``)."""

from decimal import Decimal


def test_amounts_in_kobo():
    from orders.paystack import amount_in_kobo

    assert amount_in_kobo(Decimal("1234.50")) == 123450
    assert amount_in_kobo(Decimal("0.01")) == 1
