"""What a confirmed import writes: products, variations, categories and the stock ledger;
in place on a re-import; the valid rows only when asked; each manufacturer's own."""

from decimal import Decimal

import pytest

from catalog.models import ApprovalStatus, Product, StockMovement, Variation
from catalog.selectors import category_labels
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus
from imports.tests.uploads import HEADER, TWO_PRODUCTS, run_import, upload

pytestmark = pytest.mark.django_db


def test_import_creates_products_variations_categories_and_ledger(manufacturer_a):
    result = run_import(manufacturer_a, TWO_PRODUCTS)

    assert result.status == ImportStatus.COMPLETED, result.message
    assert (result.rows_total, result.created_count, result.error_count) == (3, 3, 0)
    tee = Product.objects.get(manufacturer=manufacturer_a, handle="tee")
    assert (tee.name, tee.price, tee.discount_percent, tee.inventory) == (
        "Cotton tee", Decimal("120.00"), Decimal("10"), 14,
    )
    assert tee.approval_status == ApprovalStatus.PENDING
    assert category_labels()[tee.category_id] == "Fashion > Men > Shirts"
    assert sorted(tee.variations.values_list("size", "sku", "stock", "low_stock_threshold")) == [
        ("L", "TEE-L", 4, 3), ("M", "TEE-M", 10, 3),
    ]
    shea = Product.objects.get(handle="shea")
    assert (shea.inventory, shea.variations.get().is_default) == (48, True)
    assert sorted(StockMovement.objects.values_list("delta", "reason")) == [
        (4, "import"), (10, "import"), (48, "import"),
    ]
    assert result.is_applied


def test_reimport_updates_in_place_and_writes_only_the_difference(manufacturer_a):
    run_import(manufacturer_a, TWO_PRODUCTS)
    changed = TWO_PRODUCTS.replace("120.00,10", "99.00,10").replace("TEE-L,4", "TEE-L,9")

    result = run_import(manufacturer_a, changed)

    assert (result.created_count, result.updated_count, result.unchanged_count) == (0, 2, 1)
    assert Product.objects.count() == 2 and Variation.objects.count() == 3
    tee = Product.objects.get(handle="tee")
    assert (tee.price, tee.inventory) == (Decimal("99.00"), 19)
    last = StockMovement.objects.latest("id")
    assert (last.delta, last.stock_after, last.reason) == (5, 9, "import")


def test_valid_rows_only_writes_the_good_products_and_counts_the_rest(manufacturer_a):
    text = HEADER + "good,Good,,5,,X > Y,true,,,,2,,\nbad,Bad,,oops,,X > Y,true,,,,1,,\n"
    product_import = import_start(actor=manufacturer_a, file=upload(text))

    result = import_confirm(
        product_import=product_import, actor=manufacturer_a, mode=ImportMode.VALID_ROWS_ONLY
    )

    assert result.status == ImportStatus.COMPLETED
    assert list(Product.objects.values_list("handle", flat=True)) == ["good"]
    assert (result.skipped_count, result.error_count, result.mode) == (1, 1, "valid_rows_only")


def test_same_handle_for_two_manufacturers_stays_separate(manufacturer_a, manufacturer_b):
    run_import(manufacturer_a, TWO_PRODUCTS)
    run_import(manufacturer_b, TWO_PRODUCTS)

    assert Product.objects.filter(handle="tee").count() == 2
    assert Variation.objects.filter(sku="TEE-M").count() == 2


def test_staff_import_names_manufacturers_per_row_and_is_approved(staff_user, manufacturer_a):
    text = HEADER.strip() + ",manufacturer\n" + f"x,X,,5,,A > B,true,,,,1,,,{manufacturer_a.email}\n"

    result = run_import(staff_user, text)

    product = Product.objects.get()
    assert (product.manufacturer, product.approval_status, result.status) == (
        manufacturer_a, ApprovalStatus.APPROVED, ImportStatus.COMPLETED,
    )


def test_new_products_get_ids_in_time_order(manufacturer_a, make_product, phones):
    # As a product saved from the admin or the API: ids that sort by creation (core.ids),
    # so the id indexes grow at one end.
    first = make_product(manufacturer_a, category=phones, name="First")
    run_import(manufacturer_a, TWO_PRODUCTS)
    imported = list(Product.objects.filter(handle__in=["tee", "shea"]).values_list("pk", flat=True))
    last = make_product(manufacturer_a, category=phones, name="Last")

    assert {first.pk.version, last.pk.version} | {pk.version for pk in imported} == {7}
    assert first.pk < min(imported) <= max(imported) < last.pk
