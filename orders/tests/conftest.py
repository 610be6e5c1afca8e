"""Order fixtures: sellable products of two manufacturers and a second buyer."""

import pytest

from orders.tests.helpers import public_product


@pytest.fixture
def other_customer(make_user):
    return make_user("other.buyer@martaf.test", is_customer=True)


@pytest.fixture
def phone(manufacturer_a, staff_user):
    """Manufacturer A's product without sizes or colours: 10 in stock, 100.00."""
    return public_product(manufacturer_a, approver=staff_user, name="Phone", stock=10)


@pytest.fixture
def shirt(manufacturer_b, staff_user):
    """Manufacturer B's product in two sizes (M: 5, L: 2), 40.00, 25% off."""
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
