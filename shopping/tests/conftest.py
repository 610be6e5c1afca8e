"""Shopping fixtures: sellable products of two manufacturers, a signed-in buyer."""

import pytest

from shopping.tests.helpers import public_product


@pytest.fixture
def phone(manufacturer_a, staff_user):
    """Manufacturer A's product without sizes or colours: 10 in stock, 100.00."""
    return public_product(manufacturer_a, approver=staff_user, name="Phone", stock=10)


@pytest.fixture
def shirt(manufacturer_b, staff_user):
    """Manufacturer B's product in two sizes (M: 5, L: 2), 40.00, 25% off (30.00)."""
    return public_product(
        manufacturer_b,
        approver=staff_user,
        name="Shirt",
        price="40.00",
        discount_percent="25",
        variations=[{"size": "M", "stock": 5}, {"size": "L", "stock": 2}],
    )


@pytest.fixture
def shirt_m(shirt):
    return shirt.variations.get(size="M")


@pytest.fixture
def shirt_l(shirt):
    return shirt.variations.get(size="L")


@pytest.fixture
def other_customer(make_user):
    return make_user("other.buyer@martaf.test", is_customer=True)


@pytest.fixture
def buyer(jwt_client, customer):
    """The customer's signed-in API client."""
    return jwt_client(customer)
