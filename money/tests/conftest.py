"""Money fixtures: the fake Paystack over real HTTP and the race database come from the orders
tests."""

from orders.tests.conftest import paystack, race_database  # noqa: F401 (fixtures)
