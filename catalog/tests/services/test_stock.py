"""Inventory rules and the stock ledger: every path that moves stock writes one row."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from catalog.models import Product, StockMovement, StockReason, Variation
from catalog.services import (
    CatalogError,
    stock_adjust,
    stock_set,
    variation_create,
    variation_delete,
)

pytestmark = pytest.mark.django_db


def assert_ledger_agrees(product: Product) -> None:
    product.refresh_from_db()
    for variation in product.variations.all():
        total = variation.stock_movements.aggregate(s=Sum("delta"))["s"] or 0
        assert total == variation.stock, variation
    assert product.inventory == sum(v.stock for v in product.variations.all())


def test_product_with_stock_only_has_one_blank_variation(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, stock=12)

    variation = product.variations.get()
    assert (variation.size, variation.color, variation.stock) == ("", "", 12)
    assert variation.is_default
    assert product.inventory == 12
    movement = StockMovement.objects.get()
    assert (movement.delta, movement.stock_after, movement.reason, movement.note) == (
        12,
        12,
        StockReason.MANUAL,
        "Initial stock",
    )
    assert movement.actor == manufacturer_a
    assert movement.label == "Widget"


def test_inventory_is_the_sum_of_variations(manufacturer_a, shoes, make_product):
    product = make_product(
        manufacturer_a,
        category=shoes,
        variations=[
            {"size": "M", "color": "Red", "stock": 10},
            {"size": "L", "color": "Blue", "stock": 5},
        ],
    )

    assert product.inventory == 15
    assert sorted(product.variations.values_list("size", "color", "stock")) == [
        ("L", "Blue", 5),
        ("M", "Red", 10),
    ]
    assert_ledger_agrees(product)


def test_neither_stock_nor_variations_is_refused(manufacturer_a, phones, make_product):
    with pytest.raises(CatalogError) as excinfo:
        make_product(manufacturer_a, category=phones, stock=None, variations=[])

    assert excinfo.value.messages == [
        "You must provide either a stock value or at least one variation."
    ]
    assert Product.objects.count() == 0


def test_adjust_moves_stock_inventory_and_ledger_together(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, stock=10)
    variation = product.variations.get()

    stock_adjust(variation=variation, delta=-3, reason=StockReason.ORDER, actor=None)
    movement = stock_adjust(
        variation=variation, delta=7, reason=StockReason.RESTOCK, actor=manufacturer_a, note="PO-7"
    )

    variation.refresh_from_db()
    assert variation.stock == 14
    assert (movement.delta, movement.stock_after, movement.note) == (7, 14, "PO-7")
    assert list(StockMovement.objects.order_by("id").values_list("delta", "reason")) == [
        (10, "manual"),
        (-3, "order"),
        (7, "restock"),
    ]
    assert_ledger_agrees(product)


def test_taking_more_than_there_is_is_refused_and_nothing_changes(
    manufacturer_a, phones, make_product
):
    product = make_product(manufacturer_a, category=phones, stock=2)
    variation = product.variations.get()

    with pytest.raises(CatalogError, match="Not enough stock of Widget: 2 left, 3 requested."):
        stock_adjust(variation=variation, delta=-3, reason=StockReason.ORDER, actor=None)

    variation.refresh_from_db()
    assert variation.stock == 2
    assert StockMovement.objects.count() == 1
    assert_ledger_agrees(product)


def test_set_refuses_when_stock_changed_since_it_was_read(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, stock=5)
    variation = product.variations.get()
    stock_adjust(variation=variation, delta=-1, reason=StockReason.ORDER, actor=None)

    with pytest.raises(CatalogError, match="changed while you were editing it"):
        stock_set(
            variation=variation, stock=9, expected_stock=5, reason=StockReason.MANUAL, actor=None
        )

    variation.refresh_from_db()
    assert variation.stock == 4
    assert_ledger_agrees(product)


def test_set_writes_the_difference(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, stock=5)
    variation = product.variations.get()

    movement = stock_set(
        variation=variation, stock=8, expected_stock=5, reason=StockReason.MANUAL, actor=None
    )

    assert (movement.delta, movement.stock_after) == (3, 8)
    assert stock_set(
        variation=variation, stock=8, expected_stock=8, reason=StockReason.MANUAL, actor=None
    ) is None
    assert_ledger_agrees(product)


def test_first_variation_takes_over_the_products_own_stock(manufacturer_a, shoes, make_product):
    product = make_product(manufacturer_a, category=shoes, stock=4)
    holder = product.variations.get()

    variation = variation_create(product=product, actor=manufacturer_a, size="42", stock=6)

    assert variation.pk == holder.pk
    assert list(product.variations.values_list("size", "stock")) == [("42", 6)]
    assert_ledger_agrees(product)


def test_removing_a_variation_moves_its_stock_out_through_the_ledger(
    manufacturer_a, shoes, make_product
):
    product = make_product(
        manufacturer_a,
        category=shoes,
        variations=[{"size": "S", "stock": 3}, {"size": "M", "stock": 4}],
    )
    small = product.variations.get(size="S")

    variation_delete(variation=small, actor=manufacturer_a)

    product.refresh_from_db()
    assert product.inventory == 4
    removal = StockMovement.objects.get(note="Variation removed")
    assert (removal.delta, removal.stock_after, removal.variation, removal.label) == (
        -3,
        0,
        None,  # the variation is gone; its history stays under its label
        "Widget / S",
    )
    assert_ledger_agrees(product)


def test_the_last_variation_cannot_be_removed(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, stock=3)

    with pytest.raises(CatalogError, match="needs at least one variation"):
        variation_delete(variation=product.variations.get(), actor=manufacturer_a)

    assert product.variations.count() == 1


def test_sku_is_unique_per_manufacturer_only(manufacturer_a, manufacturer_b, shoes, make_product):
    product_a = make_product(manufacturer_a, category=shoes, variations=[{"size": "S", "sku": "SKU-1"}])
    make_product(manufacturer_b, category=shoes, variations=[{"size": "S", "sku": "SKU-1"}])

    with pytest.raises(Exception) as excinfo:
        variation_create(product=product_a, actor=manufacturer_a, size="M", sku="SKU-1")

    assert "You already use this SKU on another variation." in str(excinfo.value)
    assert Variation.objects.filter(sku="SKU-1").count() == 2


def test_database_check_keeps_stock_non_negative(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, stock=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Variation.objects.filter(product=product).update(stock=-1)

    assert product.variations.get().stock == 1
