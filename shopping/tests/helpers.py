"""Plain helpers of the shopping tests."""

from decimal import Decimal

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
    """An approved, active product in an active category: what buyers can put in a cart."""
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


def assert_json(response, status: int) -> dict | list:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()
