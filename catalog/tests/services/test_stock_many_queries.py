"""A multi-line stock take costs the same statements whatever its length: the rows locked and
read in one statement (and their products in one more where rows lock), one UPDATE of every
variation, one of every product's inventory, one INSERT of the ledger rows; a short line
writes nothing and names every short line."""

import pytest
from django.db import connection

from catalog.models import Product, StockMovement, StockReason, Variation
from catalog.services.stock import InsufficientStockError, StockLine, stock_take_many

pytestmark = pytest.mark.django_db


def _boots(make_product, manufacturer, category, count, stock=20):
    product = make_product(
        manufacturer, category=category, name=f"Boot {count}",
        variations=[{"size": str(36 + n), "stock": stock} for n in range(count)],
    )
    return product, list(product.variations.order_by("pk"))


@pytest.mark.parametrize("count", [1, 8])
def test_a_take_of_any_length_costs_the_same_queries(
    count, manufacturer_a, shoes, make_product, django_assert_num_queries
):
    product, variations = _boots(make_product, manufacturer_a, shoes, count)
    locks = 1 if connection.features.has_select_for_update else 0
    with django_assert_num_queries(4 + locks):
        movements = stock_take_many(
            lines=[StockLine(v.pk, 1, note=f"Order {n}") for n, v in enumerate(variations)],
            reason=StockReason.ORDER, actor=None, note="ignored",
        )

    assert [(m.variation_id, m.delta, m.stock_after, m.note) for m in movements] == [
        (v.pk, -1, 19, f"Order {n}") for n, v in enumerate(variations)
    ]
    assert set(Variation.objects.filter(product=product).values_list("stock", flat=True)) == {19}
    assert Product.objects.get(pk=product.pk).inventory == 19 * count
    assert StockMovement.objects.filter(reason=StockReason.ORDER).count() == count


def test_a_short_line_writes_nothing_and_names_every_short_line(
    manufacturer_a, shoes, make_product
):
    product, (first, second, third) = _boots(make_product, manufacturer_a, shoes, 3, stock=2)
    ledger = StockMovement.objects.count()

    with pytest.raises(InsufficientStockError) as short:
        stock_take_many(
            lines=[StockLine(first.pk, 3), StockLine(second.pk, 1), StockLine(third.pk, 5)],
            reason=StockReason.ORDER, actor=None,
        )

    assert [(s.variation_id, s.requested, s.available) for s in short.value.shortages] == [
        (first.pk, 3, 2), (third.pk, 5, 2)
    ]
    # Nothing was written, and the caller's transaction is still usable.
    assert list(Variation.objects.filter(product=product).values_list("stock", flat=True)) == [
        2, 2, 2
    ]
    assert StockMovement.objects.count() == ledger
    assert Product.objects.get(pk=product.pk).inventory == 6
