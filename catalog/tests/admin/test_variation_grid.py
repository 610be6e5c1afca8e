"""Sizes × colours: a product's variations made at once from two lists, new ones only, with
their stock in the ledger and SKUs of their own; only one's own products."""

import pytest
from django.urls import reverse

from catalog.models import StockMovement, Variation
from catalog.services import grid_values

pytestmark = pytest.mark.django_db


def grid(client, product, **fields):
    url = reverse("admin:catalog_product_variation_grid", args=[product.pk])
    return client.post(url, {"stock": "0", **fields, "_form_submitted": "on"})


def test_the_lists_are_read_forgivingly():
    assert grid_values(" S, M ,L,, m ") == ["S", "M", "L"]
    assert grid_values("") == []


def test_every_size_with_every_colour_new_ones_only(client, manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, name="Shirt",
                           variations=[{"size": "M", "color": "Red", "stock": 3}])
    client.force_login(manufacturer_a)

    response = grid(client, product, sizes="S, M, L", colors="Red, Blue", stock="4")

    assert response["HX-Redirect"] == reverse("admin:catalog_product_change", args=[product.pk])
    rows = sorted(product.variations.values_list("size", "color", "stock"))
    assert rows == [("L", "Blue", 4), ("L", "Red", 4), ("M", "Blue", 4), ("M", "Red", 3),
                    ("S", "Blue", 4), ("S", "Red", 4)]
    assert not product.variations.filter(sku="").exists()
    assert StockMovement.objects.filter(product=product, delta=4).count() == 5
    product.refresh_from_db()
    assert product.inventory == 23


def test_a_stock_only_product_hands_its_holder_to_the_first_size(client, manufacturer_a, phones,
                                                                 make_product):
    product = make_product(manufacturer_a, category=phones, name="Cap", stock=6)
    holder = product.variations.get()
    client.force_login(manufacturer_a)

    grid(client, product, sizes="S, M", stock="2")

    rows = sorted(product.variations.values_list("pk", "size", "stock"))
    assert sorted((size, stock) for _pk, size, stock in rows) == [("M", 2), ("S", 2)]
    assert holder.pk in [pk for pk, _size, _stock in rows]  # its history continues


def test_too_many_is_refused_and_nothing_is_made(client, manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, name="Shirt", stock=1)
    client.force_login(manufacturer_a)
    sizes = ", ".join(f"S{n}" for n in range(30))
    colors = ", ".join(f"C{n}" for n in range(10))

    grid(client, product, sizes=sizes, colors=colors)

    assert product.variations.count() == 1


def test_another_manufacturer_cannot_add_variations(client, manufacturer_b, manufacturer_a,
                                                    phones, make_product):
    product = make_product(manufacturer_a, category=phones, name="Shirt", stock=1)
    client.force_login(manufacturer_b)

    response = grid(client, product, sizes="S, M")

    assert response.status_code == 403
    assert Variation.objects.filter(product=product).count() == 1
