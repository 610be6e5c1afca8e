"""The check's bounds are the API's (``catalog.limits``), and a reader failure fails the
import with a reason. Every refusal is a row, a column and a reason at preview, and nothing
is written."""

import pytest

from catalog.importing import import_confirm, import_start
from catalog.models import ImportMode, ImportStatus, Product
from catalog.tests.importing.uploads import (
    GOOD,
    HEADER,
    PUBLIC,
    assert_nothing_written,
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


def test_more_rows_than_the_limit_fail_the_check_with_the_reason(settings, manufacturer_a):
    settings.CATALOG_IMPORT_MAX_ROWS = 2

    product_import = import_start(actor=manufacturer_a, file=upload(HEADER + GOOD * 3))

    assert product_import.status == ImportStatus.FAILED
    assert product_import.message == (
        "The file has more than 2 rows. Split it into smaller files, or import it with "
        "manage.py import_products."
    )
    assert_nothing_written()


def test_an_unexpected_reader_failure_fails_the_import_with_a_reason(monkeypatch, manufacturer_a):
    from catalog.importing import lifecycle

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(lifecycle, "plan_import", broken)

    product_import = import_start(actor=manufacturer_a, file=upload(HEADER + GOOD))

    assert product_import.status == ImportStatus.FAILED  # not left "Checking"
    assert product_import.message == (
        "Checking stopped on an unexpected error (logged for the site's staff); nothing was written."
    )
    assert (product_import.run_id, product_import.lease_expires_at) == (None, None)
    assert_nothing_written()


def test_an_exported_formula_reads_back_as_it_was(manufacturer_a):
    text = HEADER + "f,'=HYPERLINK(\"http://x\"),,5,,A > B,true,'@SUM(1),,'=1+1,1,,\n"

    product_import = preview(manufacturer_a, text)
    import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)

    product = Product.objects.get()
    assert product.name == '=HYPERLINK("http://x")'
    assert list(product.variations.values_list("size", "sku")) == [("@SUM(1)", "=1+1")]


def xlsx_upload(rows: list[list]) -> "object":
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("catalogue.xlsx", buffer.getvalue())


def test_an_xlsx_file_is_read_row_by_row_and_stops_at_the_row_limit(settings, manufacturer_a):
    header = HEADER.strip().split(",")
    row = ["mug", "Mug", "", 12.5, 0, "Home > Kitchen", "true", "", "", "MUG", 5, "", ""]
    ok = import_start(actor=manufacturer_a, file=xlsx_upload([header, row]))
    settings.CATALOG_IMPORT_MAX_ROWS = 2
    too_many = import_start(actor=manufacturer_a, file=xlsx_upload(
        [header] + [[f"m{n}", *row[1:9], f"M{n}", *row[10:]] for n in range(3)]
    ))

    assert (ok.status, ok.rows_total, ok.error_count) == (ImportStatus.PREVIEWED, 1, 0)
    assert too_many.status == ImportStatus.FAILED and "more than 2 rows" in too_many.message
    assert_nothing_written()
