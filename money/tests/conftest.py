"""Money fixtures: the fake Paystack over real HTTP and the race database come from the orders
tests; orders paid online or on delivery from ``money/tests/earnings.py``; a buyer with an
address, and manufacturer A's second product (a discounted case) for orders of several lines."""

import pytest

from catalog.tests.sellable import public_product
from money.tests.earnings import cash_orders, paid_orders  # noqa: F401 (fixtures)
from orders.tests.conftest import (  # noqa: F401 (fixtures)
    buyer_address,
    paystack,
    race_database,
    standard_shipping,
    two_maker_cart,
)
from shopping.services import shipping_address_create


@pytest.fixture
def buyer(customer):
    shipping_address_create(
        user=customer, full_name="Ama Mensah", phone="+233201234567",
        address="12 Oxford Street", city="Accra", country="GH",
    )
    return customer


@pytest.fixture
def case(manufacturer_a, staff_user):
    """Manufacturer A's phone case: 25.00, 10% off (22.50), 20 in stock."""
    return public_product(manufacturer_a, approver=staff_user, name="Case", price="25.00",
                          discount_percent="10", stock=20)
