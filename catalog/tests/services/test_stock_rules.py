"""The stock family's two rules, whichever path writes the stock.

- Low stock: ``low_stock_alert`` runs once per write; per manufacturer, one variation gets an
  alert naming it, several get one summary; every alert's context carries the threshold.
- Inventory: a product's inventory moves by the same delta as its variations' stock
  (``F() + delta``), in the single, multi-line and bulk writes alike.
"""

import pytest

from catalog.models import Product, StockReason, Variation
from catalog.services import stock as stock_family
from catalog.services.stock import (
    StockLine,
    low_stock_alert,
    stock_adjust,
    stock_record_new,
    stock_set,
    stock_set_many,
    stock_take_many,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(monkeypatch):
    """What low_stock_alert hands to notify: (recipient email, context, link)."""
    sent = []

    def record(*, event, recipients, context, link):
        assert event == "low_stock"
        sent.extend((user.email, context, link) for user in recipients)

    monkeypatch.setattr(stock_family.alerts, "notify", record)
    return sent


def _variations(make_product, manufacturer, category, count, stock=20):
    product = make_product(
        manufacturer, category=category, name=f"Boot {manufacturer.pk}",
        variations=[{"size": str(36 + n), "stock": stock} for n in range(count)],
    )
    return list(product.variations.order_by("size"))


def test_one_low_variation_alerts_by_name_with_its_threshold(
    alerts, manufacturer_a, shoes, make_product
):
    [variation] = _variations(make_product, manufacturer_a, shoes, 1)
    Variation.objects.filter(pk=variation.pk).update(stock=2)

    assert low_stock_alert(variation_ids=[variation.pk]) == 1

    assert [(email, context) for email, context, _ in alerts] == [
        (manufacturer_a.email, {"product_name": f"Boot {manufacturer_a.pk} / 36",
                                "stock": 2, "threshold": 5})
    ]
    assert low_stock_alert(variation_ids=[variation.pk]) == 0  # once per crossing


def test_several_make_one_summary_per_manufacturer_per_write(
    alerts, manufacturer_a, manufacturer_b, shoes, make_product
):
    many = _variations(make_product, manufacturer_a, shoes, 6)
    one = _variations(make_product, manufacturer_b, shoes, 1)

    stock_take_many(
        lines=[StockLine(v.pk, 18) for v in many + one], reason=StockReason.ORDER, actor=None
    )

    summaries = [(email, c) for email, c, link in alerts if link == "/admin/catalog/product/?stock=low"]
    assert [(email, c["product_name"], c["threshold"]) for email, c in summaries] == [
        (manufacturer_a.email, "6 variations", 5)
    ]
    assert [(email, c["stock"], c["threshold"]) for email, c, link in alerts if "change" in link] == [
        (manufacturer_b.email, 2, 5)
    ]


def test_a_batched_write_alerts_once_at_its_end_and_not_when_it_fails(
    alerts, manufacturer_a, shoes, make_product
):
    *variations, spare = _variations(make_product, manufacturer_a, shoes, 4)

    with stock_family.low_stock_alerts_batched():
        for variation in variations:
            stock_adjust(variation=variation, delta=-17, reason=StockReason.ORDER, actor=None)
        assert alerts == []  # collected, not yet alerted

    assert [(email, c["product_name"]) for email, c, _ in alerts] == [
        (manufacturer_a.email, "3 variations")
    ]
    with pytest.raises(RuntimeError), stock_family.low_stock_alerts_batched():
        stock_adjust(variation=spare, delta=-17, reason=StockReason.ORDER, actor=None)
        raise RuntimeError("the write fails")
    assert len(alerts) == 1  # the failed write alerted nothing


def test_an_import_in_many_chunks_alerts_once_per_manufacturer(
    alerts, monkeypatch, manufacturer_a
):
    from imports import write
    from imports.tests.uploads import HEADER, run_import

    monkeypatch.setattr(write, "VARIATION_CHUNK", 2)  # two products a chunk: four chunks below
    rows = "".join(f"p{n},P{n},,5,,A > B,true,,,,1,,\n" for n in range(7))

    run_import(manufacturer_a, HEADER + rows)

    assert [(email, c["product_name"], c["threshold"]) for email, c, _ in alerts] == [
        (manufacturer_a.email, "7 variations", 5)
    ]


def test_a_rise_above_the_threshold_rearms(alerts, manufacturer_a, shoes, make_product):
    [variation] = _variations(make_product, manufacturer_a, shoes, 1)
    stock_adjust(variation=variation, delta=-17, reason=StockReason.ORDER, actor=None)  # 3
    stock_set(variation=variation, stock=9, expected_stock=3, reason=StockReason.MANUAL, actor=None)
    stock_set_many(targets={variation.pk: 1}, reason=StockReason.IMPORT, actor=None)

    assert [c["stock"] for _, c, _ in alerts] == [3, 1]


def test_inventory_moves_by_the_stock_delta_in_every_write(manufacturer_a, shoes, make_product):
    first, second = _variations(make_product, manufacturer_a, shoes, 2, stock=10)
    product = Product.objects.get(pk=first.product_id)
    # Off by 100 on purpose: deltas keep the offset, a recount would remove it.
    Product.objects.filter(pk=product.pk).update(inventory=120)

    stock_adjust(variation=first, delta=-3, reason=StockReason.ORDER, actor=None)  # 7
    stock_set(variation=second, stock=4, expected_stock=10, reason=StockReason.MANUAL, actor=None)
    stock_take_many(lines=[StockLine(first.pk, 2), StockLine(second.pk, 1)],
                    reason=StockReason.ORDER, actor=None)  # 5, 3
    stock_set_many(targets={first.pk: 9, second.pk: 3}, reason=StockReason.IMPORT, actor=None)
    third = Variation.objects.create(product=product, manufacturer=manufacturer_a, size="50", stock=6)
    stock_record_new(variations=[third], product_names={product.pk: product.name},
                     reason=StockReason.IMPORT, actor=None)

    product.refresh_from_db()
    assert product.inventory == 100 + 9 + 3 + 6
    assert product.stock_movements.count() == 2 + 1 + 1 + 2 + 1 + 1
