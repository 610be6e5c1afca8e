"""Which variation a line means (catalog.variations): the rule the cart and order placement
share."""

import pytest

from catalog.variations import VariationChoiceError, VariationRefusal, variation_of_line

pytestmark = pytest.mark.django_db


def _refusal(**kwargs) -> VariationRefusal:
    with pytest.raises(VariationChoiceError) as caught:
        variation_of_line(**kwargs)
    return caught.value.refusal


def test_a_line_means_the_variation_it_names_or_the_blank_stock_holder(
    manufacturer_a, phones, make_product
):
    plain = list(make_product(manufacturer_a, category=phones, name="Cable", stock=3)
                 .variations.all())
    sized = list(make_product(manufacturer_a, category=phones, name="Tee", variations=[
        {"size": "S", "stock": 1}, {"size": "M", "stock": 1},
    ]).variations.order_by("pk"))
    small, medium = sized

    for none in (None, ""):
        assert variation_of_line(variations=plain, variation_id=none) == plain[0]
        assert _refusal(variations=sized, variation_id=none) == VariationRefusal.REQUIRED
    assert variation_of_line(variations=plain, variation_id=plain[0].pk) == plain[0]
    assert variation_of_line(variations=sized, variation_id=medium.pk) == medium
    assert variation_of_line(variations=sized, variation_id=str(small.pk)) == small
    for wrong in (plain[0].pk, "abc", 0, True):
        assert _refusal(variations=sized, variation_id=wrong) == VariationRefusal.UNKNOWN
