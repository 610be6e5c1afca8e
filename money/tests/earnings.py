"""Helpers and fixtures of the earnings tests: orders paid online (through the fake Paystack
over HTTP) or on delivery, moved along by the real services (the fixtures are registered in
``money/tests/conftest.py``)."""

from decimal import Decimal

import pytest

from orders.models import Checkout, Order, OrderStatus
from orders.paystack import amount_in_kobo
from orders.services import checkout_payment_record, checkout_place, order_status_change

D = Decimal


def pay(checkout: Checkout) -> None:
    assert checkout_payment_record(
        reference=checkout.paystack_reference,
        amount_kobo=amount_in_kobo(checkout.total_amount),
        currency="NGN",
    )


def by_product(orders) -> dict[str, Order]:
    return {order.items.get().product_name: order for order in orders}


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
