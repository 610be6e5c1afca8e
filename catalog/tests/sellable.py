"""Sellable products for the tests of the apps that sell them (shopping, orders, reports): one
helper and the fixtures built on it, registered for the whole suite in the root conftest."""

from decimal import Decimal

import pytest

from catalog.models import Category, Product
from catalog.services import category_get_or_create_path, product_create
from users.models import User


def public_product(
    manufacturer: User,
    *,
    approver: User,
    name: str = "Widget",
    price: str = "100.00",
    stock: int | None = None,
    variations: list[dict] | None = None,
    category: Category | None = None,
    discount_percent: str = "0",
) -> Product:
    """An approved, active product in an active category: what buyers can buy."""
    if stock is None and variations is None:
        stock = 10
    return product_create(
        manufacturer=manufacturer,
        actor=approver,
        name=name,
        price=Decimal(price),
        discount_percent=Decimal(discount_percent),
        category=category or category_get_or_create_path(names=["Electronics", "Phones"]),
        stock=stock,
        variations=variations,
        approve=True,
    )


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
