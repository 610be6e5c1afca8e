"""SKUs made up when none is given: readable, unique per manufacturer, never clashing with the
ones given in the same batch; the import leaves them blank (it matches rows by SKU)."""

import pytest

from catalog.models import Variation
from catalog.services import variation_create
from catalog.services.skus import sku_base
from catalog.tests.sellable import public_product

pytestmark = pytest.mark.django_db


def test_the_base_is_the_name_size_and_colour_in_capitals():
    assert sku_base(product_name="Kente stole", size="M", color="Red") == "KENTE-STOLE-M-RED"
    assert sku_base(product_name="Ọ̀já bag", size="", color="") == "OJA-BAG"
    assert len(sku_base(product_name="x" * 300, size="L", color="Blue")) <= 64


def test_a_variation_without_a_sku_gets_a_free_one(manufacturer_a, manufacturer_b, staff_user):
    product = public_product(manufacturer_a, approver=staff_user, name="Kente stole",
                             variations=[{"size": "M", "color": "Red", "stock": 1}])
    again = public_product(manufacturer_a, approver=staff_user, name="Kente stole",
                           variations=[{"size": "M", "color": "Red", "stock": 1}])
    theirs = public_product(manufacturer_b, approver=staff_user, name="Kente stole",
                            variations=[{"size": "M", "color": "Red", "stock": 1}])

    assert product.variations.get().sku == "KENTE-STOLE-M-RED"
    assert again.variations.get().sku == "KENTE-STOLE-M-RED-2"  # A already uses it
    assert theirs.variations.get().sku == "KENTE-STOLE-M-RED"  # B's own namespace


def test_a_given_sku_is_kept_and_made_up_ones_avoid_it(manufacturer_a, staff_user):
    product = public_product(
        manufacturer_a, approver=staff_user, name="Shirt",
        variations=[
            {"size": "M", "color": "", "stock": 1},
            {"size": "L", "color": "", "stock": 1, "sku": "SHIRT-M"},
        ],
    )

    skus = dict(product.variations.values_list("size", "sku"))
    assert skus["L"] == "SHIRT-M"  # as given
    assert skus["M"] == "SHIRT-M-2"  # made up, and not the one given beside it


def test_variation_create_fills_a_blank_sku(manufacturer_a, staff_user):
    product = public_product(manufacturer_a, approver=staff_user, name="Mug",
                             variations=[{"size": "S", "color": "", "stock": 1}])

    variation = variation_create(product=product, actor=manufacturer_a, size="L", color="Blue")

    assert variation.sku == "MUG-L-BLUE"
    assert not Variation.objects.filter(sku="").exists()
