"""Money fixtures: the fake Paystack over real HTTP, the race database and the buyer's address
come from the orders tests."""

from orders.tests.conftest import (  # noqa: F401 (fixtures)
    buyer_address,
    paystack,
    race_database,
    standard_shipping,
)
