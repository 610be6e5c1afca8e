"""The check's bounds are the API's (``catalog.limits``). Every refusal is a row, a column and
a reason at preview, and nothing is written."""

import pytest

from catalog.models import Product
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus
from imports.tests.uploads import (
    GOOD,
    HEADER,
    PUBLIC,
    confirm_fails,
    preview,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "row, error",
    [
        # Stock of 10**20 and its threshold: 500 at confirm before (integer overflow).
        ("bad,Bad,,10,,A > B,true,,,,100000000000000000000,,",
         ("stock", "“100000000000000000000” must be at most 1,000,000.")),
        ("bad,Bad,,10,,A > B,true,,,,1,1000001,",
         ("low_stock_threshold", "“1000001” must be at most 1,000,000.")),
        # A billion-digit integer is never built.
        ("bad,Bad,,10,,A > B,true,,,,1e999999999,,",
         ("stock", "“1e999999999” must be at most 1,000,000.")),
        ("bad,Bad,,10,,A > B,true,,,,Infinity,,", ("stock", "“Infinity” is not a whole number.")),
        ("bad,Bad,,1e20,,A > B,true,,,,1,,",
         ("price", "“1e20” must be at most 9999999999.99.")),
        # Control characters in a name, a NUL in a SKU (PostgreSQL cannot store it).
        ("bad,Bad\x01name,,10,,A > B,true,,,,1,,",
         ("name", "Remove the control character (U+0001) from this text.")),
        ("bad,Bad,,10,,A > B,true,,,X\x00Y,1,,",
         ("sku", "Remove the control character (U+0000) from this text.")),
        ("bad,Bad,,10,,A > B\x1b[31m,true,,,,1,,",
         ("category", "Remove the control character (U+001B) from this text.")),
        # C1 controls like C0: NEL (U+0085) must not split or hide in a row either.
        ("bad,Bad\x85name,,10,,A > B,true,,,,1,,",
         ("name", "Remove the control character (U+0085) from this text.")),
        ("bad,Bad,Fine\x9f text,10,,A > B,true,,,,1,,",
         ("description", "Remove the control character (U+009F) from this text.")),
    ],
)
def test_a_cell_over_the_apis_bounds_is_a_row_error_and_nothing_is_written(
    manufacturer_a, row, error
):
    product_import = preview(manufacturer_a, HEADER + GOOD + row + "\n")

    assert product_import.errors == [{"row": 3, "column": error[0], "message": error[1]}]
    confirm_fails(manufacturer_a, product_import)


def test_a_70_level_category_is_a_row_error_not_a_500_at_confirm(manufacturer_a):
    path = " > ".join(f"L{n}" for n in range(70))

    product_import = preview(manufacturer_a, HEADER + f"deep,Deep,,5,,{path},true,,,,1,,\n")

    assert product_import.errors == [
        {"row": 2, "column": "category", "message": "The path has 70 levels; at most 32 are allowed."}
    ]
    confirm_fails(manufacturer_a, product_import)


def test_a_field_over_128_kb_is_a_row_error_and_the_import_is_not_left_checking(
    manufacturer_a, django_capture_on_commit_callbacks
):
    # The csv module's 128 KB field limit raised inside the check: a 500, the import "Checking".
    huge = "x" * (200 * 1024)
    text = (HEADER + GOOD + f"big,Big,{huge},5,,A > B,true,,,,1,,\n"
            + f"big2,{huge},,5,,A > B,true,,,,1,,\n")

    with django_capture_on_commit_callbacks(execute=True):  # a large file: checked by the worker
        product_import = import_start(actor=manufacturer_a, file=upload(text))
    product_import.refresh_from_db()

    assert product_import.errors == [
        {"row": 3, "column": "description", "message": "The description is longer than 10,000 characters."},
        {"row": 4, "column": "name", "message": "The name is longer than 200 characters."},
    ]
    confirm_fails(manufacturer_a, product_import)


def test_tabs_and_line_breaks_stay_allowed_in_a_description(manufacturer_a):
    text = HEADER + 'mug,Mug,"Glazed\tclay\nhand-made",5,,A > B,true,,,,1,,\n'

    product_import = preview(manufacturer_a, text)
    result = import_confirm(product_import=product_import, actor=manufacturer_a,
                            mode=ImportMode.ALL_OR_NOTHING)

    assert result.status == ImportStatus.COMPLETED
    assert Product.objects.get().description == "Glazed\tclay\nhand-made"


def test_one_product_may_not_have_more_variations_or_images_than_the_api_allows(manufacturer_a):
    rows = [f"many,Many,,5,,A > B,true,S{n},,,1,," for n in range(201)]
    urls = "|".join(f"http://{PUBLIC}/{n}.png" for n in range(11))
    rows.append(f"pics,Pics,,5,,A > B,true,,,,1,,{urls}")

    product_import = preview(manufacturer_a, HEADER + "\n".join(rows) + "\n")

    assert product_import.errors == [
        {"row": 202, "column": "size", "message": "A product may have at most 200 variations (rows)."},
        {"row": 203, "column": "image_urls", "message": "A product may have at most 10 images."},
    ]
    confirm_fails(manufacturer_a, product_import)
