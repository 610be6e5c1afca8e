"""Explicit nulls in a product body (docs/api.md#manufacturer-product-api): an optional field sent
as null reads as not sent, so a body with ``"variations": null`` and no stock gets the seed's
"stock or variations" refusal, and an update with nulls changes only what it really sends.
Required fields keep refusing null."""

from decimal import Decimal

import pytest

from catalog.models import Category, Product, StockMovement, Variation
from catalog.services import product_approve

pytestmark = pytest.mark.django_db

STOCK_OR_VARIATIONS = "You must provide either a stock value or at least one variation."
REFUSAL = {
    "detail": STOCK_OR_VARIATIONS,
    "code": "stock_or_variations_required",
    "non_field_errors": [STOCK_OR_VARIATIONS],
}
CAP = {"name": "Cap", "price": 15, "category": {"name": "Hats", "parent": None}}
ADD = "/products/add-product/"


def _variations(product) -> list[tuple]:
    return list(
        Variation.objects.filter(product=product)
        .order_by("size", "color")
        .values_list("size", "color", "sku", "stock", "price_override")
    )


@pytest.mark.parametrize(
    "nulls",
    [
        {"variations": None},
        {"variations": None, "stock": None},
        {"variations": None, "stock": None, "images": None, "discount_price": None},
    ],
    ids=["variations", "and-stock", "and-more"],
)
def test_null_variations_without_stock_is_the_seeds_refusal(jwt_client, manufacturer_a, nulls):
    response = jwt_client(manufacturer_a).post(ADD, {**CAP, **nulls}, format="json")

    assert response.status_code == 400
    assert response.json() == REFUSAL
    assert not Product.objects.exists() and not Category.objects.exists()


def test_null_variations_as_a_multipart_json_string_is_the_same_refusal(
    jwt_client, manufacturer_a
):
    body = {"name": "Cap", "price": "15", "category": "Hats", "variations": "null"}

    response = jwt_client(manufacturer_a).post(ADD, body, format="multipart")

    assert (response.status_code, response.json()) == (400, REFUSAL)
    assert not Product.objects.exists()


def test_null_variations_beside_a_stock_adds_the_product_with_that_stock(
    jwt_client, manufacturer_a
):
    body = {
        **CAP, "stock": 7, "variations": None, "description": None, "discount_percent": None,
        "discount_price": None, "is_active": None, "images": None, "manufacturer": None,
    }

    response = jwt_client(manufacturer_a).post(ADD, body, format="json")

    assert response.status_code == 201, response.content
    product = Product.objects.get()
    assert (product.name, product.description, product.discount_percent) == ("Cap", "", 0)
    assert (product.is_active, product.inventory, product.manufacturer) == (
        True, 7, manufacturer_a
    )
    # One stock holder, its SKU made up from the name (no SKU was sent).
    assert _variations(product) == [("", "", "CAP", 7, None)]
    assert product.images.count() == 0


def test_nulls_inside_a_variation_read_as_not_sent_but_price_override_null_is_no_override(
    jwt_client, manufacturer_a
):
    body = {
        **CAP,
        "variations": [
            {"size": "M", "color": None, "sku": None, "stock": 4, "price_override": None,
             "low_stock_threshold": None},
            {"size": "L", "color": "Red", "stock": None, "price_override": "18.00"},
        ],
    }

    response = jwt_client(manufacturer_a).post(ADD, body, format="json")

    assert response.status_code == 201, response.content
    assert _variations(Product.objects.get()) == [
        # No SKU sent (null): made up from the name, size and colour.
        ("L", "Red", "CAP-L-RED", 0, Decimal("18.00")),
        ("M", "", "CAP-M", 4, None),
    ]


@pytest.mark.parametrize("field", ["name", "price", "category"])
def test_a_required_field_sent_as_null_is_still_refused(jwt_client, manufacturer_a, field):
    response = jwt_client(manufacturer_a).post(
        ADD, {**CAP, "stock": 3, field: None}, format="json"
    )

    assert response.status_code == 400
    assert response.json()[field] == ["This field may not be null."]
    assert not Product.objects.exists()


@pytest.fixture
def cap(manufacturer_a, shoes, make_product, staff_user):
    product = make_product(
        manufacturer_a, category=shoes, name="Cap", price="15.00", description="Wool",
        discount_percent=Decimal("10"),
        variations=[{"size": "M", "color": "Red", "stock": 5}],
    )
    product_approve(product=product, actor=staff_user)
    return Product.objects.get(pk=product.pk)


def test_a_patch_with_nulls_changes_only_what_it_sends(jwt_client, manufacturer_a, cap):
    moves = StockMovement.objects.count()

    response = jwt_client(manufacturer_a).patch(
        f"/products/update-product/{cap.pk}/",
        {"price": "12.00", "variations": None, "stock": None, "images": None,
         "description": None, "discount_percent": None, "is_active": None},
        format="json",
    )

    assert response.status_code == 200, response.content
    product = Product.objects.get(pk=cap.pk)
    assert product.price == Decimal("12.00")
    assert (product.description, product.discount_percent, product.is_active) == (
        "Wool", Decimal("10.00"), True
    )
    assert _variations(product) == [("M", "Red", "CAP-M-RED", 5, None)]
    assert StockMovement.objects.count() == moves


def test_a_put_with_null_variations_and_no_stock_is_the_seeds_refusal(
    jwt_client, manufacturer_a, cap
):
    response = jwt_client(manufacturer_a).put(
        f"/products/put-product/{cap.pk}/", {**CAP, "variations": None}, format="json"
    )

    assert (response.status_code, response.json()) == (400, REFUSAL)
    product = Product.objects.get(pk=cap.pk)
    assert (product.category_id, product.price) == (cap.category_id, Decimal("15.00"))
    assert _variations(product) == [("M", "Red", "CAP-M-RED", 5, None)]
    assert not Category.objects.filter(name="Hats").exists()
