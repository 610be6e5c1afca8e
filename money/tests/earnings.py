"""Helpers and fixtures of the earnings tests: orders paid online (through the fake Paystack
over HTTP) or on delivery, moved along by the real services (the fixtures are registered in
``money/tests/conftest.py``)."""

from decimal import Decimal

import pytest

from orders.models import Order, OrderStatus
from orders.services import checkout_place, order_status_change
from orders.tests.helpers import by_product, pay  # noqa: F401 (the money tests import them here)

D = Decimal


def move(order: Order, *statuses: OrderStatus, actor) -> Order:
    for status in statuses:
        order = order_status_change(order=order, to=status, actor=actor)
    return order


def deliver(order: Order, *, actor) -> Order:
    return move(
        order, OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED, actor=actor
    )


@pytest.fixture
def paid_orders(customer, paystack, two_maker_cart, standard_shipping):
    """The two-maker cart checked out with "Standard" shipping (10.00, 5.00 per order) and
    paid online: {"Phone": Maker A's order (2 x 100.00 + 5.00), "Shirt": Maker B's order
    (1 x 30.00 + 5.00)}, commission at the default 10 %."""
    placed = checkout_place(buyer=customer, shipping_method_id=standard_shipping.pk)
    pay(placed.checkout)
    return by_product(placed.orders)


@pytest.fixture
def cash_orders(customer, two_maker_cart, standard_shipping):
    """The same cart and shipping, to pay on delivery (no Paystack key)."""
    placed = checkout_place(buyer=customer, shipping_method_id=standard_shipping.pk)
    return by_product(placed.orders)
