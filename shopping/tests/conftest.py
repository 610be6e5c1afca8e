"""Shopping fixtures: the sellable products (phone, shirt, shirt_m, shirt_l) and a second buyer
come from ``catalog.tests.sellable`` (root conftest)."""

import pytest


@pytest.fixture
def buyer(jwt_client, customer):
    """The customer's signed-in API client."""
    return jwt_client(customer)
