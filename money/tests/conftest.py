"""Money fixtures: the fake Paystack over real HTTP and the race database come from the orders
tests; orders paid online or on delivery from ``money/tests/earnings.py``."""

from money.tests.earnings import cash_orders, paid_orders  # noqa: F401 (fixtures)
from orders.tests.conftest import (  # noqa: F401 (fixtures)
    buyer_address,
    paystack,
    race_database,
    standard_shipping,
    two_maker_cart,
)
