"""Products and their variations (catalog/models/products.py): the low-stock rule's one home."""

import pytest

from catalog.models import Variation
from catalog.models.products import low_stock_q

pytestmark = pytest.mark.django_db


def test_the_low_stock_rule_has_one_home_shared_by_queries_rows_and_the_partial_index(
    manufacturer_a, phones, make_product
):
    sizes = {"S": (0, 5), "M": (3, 5), "L": (5, 5), "XL": (6, 5), "XXL": (0, 0)}
    make_product(manufacturer_a, category=phones, name="Tee", variations=[
        {"size": size, "stock": stock, "low_stock_threshold": threshold}
        for size, (stock, threshold) in sizes.items()
    ])
    variations = Variation.objects.all()

    assert {v.size for v in variations.low_stock()} == {"S", "M", "L", "XXL"}
    assert {v.size for v in variations.low_stock(out_of_stock=False)} == {"M", "L"}
    assert {v.size for v in variations if v.is_low_stock} == {"S", "M", "L", "XXL"}
    # The partial index is declared with the rule itself (and makemigrations --check keeps the
    # migration's copy equal), so the queries above are the ones it serves.
    [index] = [i for i in Variation._meta.indexes if i.name == "catalog_var_low_stock"]
    assert index.condition == low_stock_q()
