"""What the check makes of a file: values parsed (BOM, semicolons, decimal commas), each bad
cell a row, a column and a reason, and nothing written when the preview has errors."""

from decimal import Decimal

import pytest

from catalog.models import Category, Product, StockMovement
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus
from imports.tests.uploads import HEADER, run_import, upload

pytestmark = pytest.mark.django_db


def test_utf8_bom_and_semicolons_with_decimal_commas(manufacturer_a):
    text = HEADER.replace(",", ";") + "mug;Clay mug;\"Hand-made;\nglazed\";12,50;;Home > Kitchen;true;;;;5;;\n"

    result = run_import(manufacturer_a, "\ufeff" + text)

    mug = Product.objects.get(handle="mug")
    assert (result.status, mug.price, mug.description) == (
        ImportStatus.COMPLETED, Decimal("12.50"), "Hand-made;\nglazed",
    )


@pytest.mark.parametrize(
    "row, error",
    [
        ("bad,Bad,,abc,,A > B,true,,,,1,,", {"row": 2, "column": "price", "message": "“abc” is not a number."}),
        ("bad,Bad,,10,,A > B,true,,,,-3,,", {"row": 2, "column": "stock", "message": "“-3” cannot be negative."}),
        ("bad,Bad,,10,,A > > B,true,,,,1,,", {"row": 2, "column": "category", "message": "“A > > B” has an empty level; write the path as “Electronics > Phones”."}),
        ("bad,,,10,,A > B,true,,,,1,,", {"row": 2, "column": "name", "message": "A new product needs a name."}),
        ("bad,Bad,,10,,A > B,maybe,,,,1,,", {"row": 2, "column": "is_active", "message": "“maybe” is not yes/no (use true or false)."}),
        ("b@d,Bad,,10,,A > B,true,,,,1,,", {"row": 2, "column": "handle", "message": "“b@d” may only contain letters, digits, “-” and “_” (120 at most)."}),
    ],
)
def test_a_malformed_row_is_reported_and_nothing_is_written(manufacturer_a, row, error):
    product_import = import_start(actor=manufacturer_a, file=upload(HEADER + "ok,Good,,5,,A > B,true,,,,1,,\n" .replace("ok", "ok") + row + "\n"))
    error = {**error, "row": 3}

    assert product_import.errors == [error]
    result = import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)

    assert result.status == ImportStatus.FAILED
    assert "nothing was imported" in result.message
    assert (Product.objects.count(), Category.objects.count(), StockMovement.objects.count()) == (0, 0, 0)


def test_duplicate_sku_in_the_file_is_an_error(manufacturer_a):
    text = HEADER + "a,A,,5,,X > Y,true,S,,DUP,1,,\nb,B,,5,,X > Y,true,S,,DUP,1,,\n"

    product_import = import_start(actor=manufacturer_a, file=upload(text))

    assert product_import.errors == [
        {"row": 3, "column": "sku", "message": "SKU “DUP” appears again (first in row 2)."}
    ]


def test_a_manufacturer_column_naming_someone_else_is_refused(manufacturer_a, manufacturer_b):
    text = HEADER.strip() + ",manufacturer\n" + f"x,X,,5,,A > B,true,,,,1,,,{manufacturer_b.email}\n"

    product_import = import_start(actor=manufacturer_a, file=upload(text))

    assert product_import.errors == [
        {"row": 2, "column": "manufacturer", "message": "You can only import into your own catalogue."}
    ]
    assert Product.objects.filter(manufacturer=manufacturer_b).count() == 0
