"""Bulk edit of price, discount and stock: a preview first, then all in one transaction through
the pricing rule and the stock ledger; a refusal anywhere changes nothing; only one's own."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Product, StockMovement, Variation

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_product_changelist")


@pytest.fixture
def products(manufacturer_a, phones, make_product):
    mug = make_product(manufacturer_a, category=phones, name="Mug", price="100.00", stock=5)
    shirt = make_product(
        manufacturer_a, category=phones, name="Shirt", price="40.00",
        variations=[{"size": "M", "color": "", "stock": 2}, {"size": "L", "color": "", "stock": 0}],
    )
    return mug, shirt


def post(client, products, step, **fields):
    data = {"action": "bulk_edit", "_selected_action": [p.pk for p in products], step: "1"}
    data.update({key: str(value) for key, value in fields.items()})
    return client.post(CHANGELIST, data)


def state():
    return (
        sorted(Product.objects.values_list("name", "price", "discount_percent")),
        sorted(Variation.objects.values_list("product__name", "size", "stock")),
        StockMovement.objects.count(),
    )


def test_the_action_shows_the_form_then_a_preview_that_writes_nothing(client, manufacturer_a,
                                                                        products):
    client.force_login(manufacturer_a)
    before = state()

    page = client.post(CHANGELIST, {"action": "bulk_edit",
                                    "_selected_action": [p.pk for p in products]})
    preview = post(client, products, "_preview", price_mode="percent", price_value="10",
                   stock_mode="add", stock_value="3")

    assert page.status_code == 200 and 'name="price_mode"' in page.content.decode()
    html = preview.content.decode()
    assert preview.status_code == 200 and "Apply 5 changes" in html
    rows = [(c.product.name, c.what, c.before, c.after) for c in preview.context["changes"]]
    assert ("Mug", "price", Decimal("100.00"), Decimal("110.00")) in rows
    assert ("Shirt", "L", 0, 3) in rows
    assert state() == before


def test_apply_writes_every_change_through_the_ledger(client, manufacturer_a, products):
    client.force_login(manufacturer_a)

    response = post(client, products, "_apply", price_mode="set", price_value="55.50",
                    discount_percent="20", stock_mode="set", stock_value="7", reason="restock",
                    note="Market day")

    assert response.status_code == 302
    mug, shirt = (Product.objects.get(pk=p.pk) for p in products)
    assert (mug.price, mug.discount_percent, mug.discount_price) == (
        Decimal("55.50"), Decimal("20.00"), Decimal("44.40")
    )
    assert (shirt.price, shirt.inventory, mug.inventory) == (Decimal("55.50"), 14, 7)
    restocks = StockMovement.objects.filter(reason="restock", note="Market day")
    assert sorted(restocks.values_list("delta", flat=True)) == [2, 5, 7]


def test_a_refusal_anywhere_changes_nothing(client, manufacturer_a, products):
    client.force_login(manufacturer_a)
    before = state()

    # Removing 3 units: the mug has 5, the shirt 2 in M and 0 in L.
    response = post(client, products, "_apply", stock_mode="add", stock_value="-3",
                    price_mode="set", price_value="1")

    assert response.status_code == 200
    assert "stock would be -1" in response.content.decode()  # the shirt in M: 2 - 3
    assert "Nothing was changed." in response.content.decode()
    assert state() == before


def test_nothing_chosen_is_a_form_error(client, manufacturer_a, products):
    client.force_login(manufacturer_a)

    response = post(client, products, "_preview")

    assert "Choose at least one change." in response.content.decode()


def test_a_manufacturer_cannot_bulk_edit_anothers_products(client, manufacturer_b, products):
    client.force_login(manufacturer_b)
    before = state()

    post(client, products, "_apply", price_mode="set", price_value="1")

    assert state() == before
