"""The admin's product page within the same bounds as the API (catalog.limits), and its inline
ids within the product: a refusal is a form error and nothing changes."""

import pytest
from django.urls import reverse

from backoffice.tests.admin_forms import admin_form_data
from catalog import limits
from catalog.models import StockMovement, Variation

pytestmark = pytest.mark.django_db


def _change_page(client, product):
    url = reverse("admin:catalog_product_change", args=[product.pk])
    return url, admin_form_data(client.get(url))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stock", str(10**20), f"less than or equal to {limits.STOCK_MAX}"),
        ("low_stock_threshold", str(2**31), f"less than or equal to {limits.STOCK_MAX}"),
        ("size", "M\x1b", "Remove the control character (U+001B) from this text."),
        ("size", "M\x85L", "Remove the control character (U+0085) from this text."),
    ],
)
def test_a_variation_beyond_the_bounds_is_a_form_error(
    client, manufacturer_a, phones, make_product, field, value, message
):
    product = make_product(manufacturer_a, category=phones, variations=[{"size": "M", "stock": 4}])
    client.force_login(manufacturer_a)
    url, data = _change_page(client, product)
    data[f"variations-0-{field}"] = value

    response = client.post(url, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    variation = product.variations.get()
    assert (variation.size, variation.stock, variation.low_stock_threshold) == ("M", 4, 5)
    assert StockMovement.objects.filter(product=product).count() == 1


def test_a_tampered_inline_id_of_another_manufacturers_variation_changes_nothing(
    client, manufacturer_a, manufacturer_b, phones, make_product
):
    mine = make_product(manufacturer_a, category=phones, variations=[{"size": "M", "stock": 4}])
    theirs = make_product(manufacturer_b, category=phones, name="Theirs",
                          variations=[{"size": "L", "stock": 7}])
    their_variation = theirs.variations.get()
    client.force_login(manufacturer_a)
    url, data = _change_page(client, mine)
    data["variations-0-id"] = str(their_variation.pk)
    data["variations-0-stock"] = "0"
    data["variations-0-size"] = "XL"

    response = client.post(url, data)

    assert response.status_code == 200  # the page again, with the error
    assert "This variation is not one of this product&#x27;s." in response.content.decode()
    their_variation.refresh_from_db()
    assert (their_variation.product_id, their_variation.size, their_variation.stock) == (
        theirs.pk, "L", 7)
    assert list(mine.variations.values_list("size", "stock")) == [("M", 4)]
    assert Variation.objects.count() == 2
