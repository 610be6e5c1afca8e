"""Reading the file: more rows than the limit, or a reader failure, fails the import with a
reason (nothing written); an exported formula reads back as it was; an XLSX file is read row by
row."""

import pytest

from catalog.models import Product
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus
from imports.tests.uploads import GOOD, HEADER, assert_nothing_written, preview, upload

pytestmark = pytest.mark.django_db


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
    from imports import lifecycle

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


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_unpacked(
    settings, manufacturer_a
):
    """A decompression bomb: 40 MB of sheet XML (whitespace between rows, valid XML) packed
    into a few dozen KB. Refused from the zip's directory, with the sizes, nothing written."""
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CATALOG_IMPORT_XLSX_UNPACKED_MAX_BYTES = 10_000_000
    header = HEADER.strip().split(",")
    plain = xlsx_upload([header]).read()
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(
        bomb, "w", zipfile.ZIP_DEFLATED
    ) as packed:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b" " * 40_000_000 + b"</sheetData>")
            packed.writestr(entry.filename, data)
    assert len(bomb.getvalue()) < 200_000

    refused = import_start(
        actor=manufacturer_a, file=SimpleUploadedFile("catalogue.xlsx", bomb.getvalue())
    )

    assert refused.status == ImportStatus.FAILED
    assert "unpacks to 40 MB, more than the 10 MB a catalogue workbook may" in refused.message
    assert_nothing_written()


def test_blank_rows_count_towards_a_bound_so_a_sheet_of_empty_rows_stops_early(
    settings, manufacturer_a
):
    header = HEADER.strip().split(",")
    row = ["mug", "Mug", "", 12.5, 0, "Home > Kitchen", "true", "", "", "MUG", 5, "", ""]
    settings.CATALOG_IMPORT_MAX_ROWS = 10
    spaced = import_start(actor=manufacturer_a, file=xlsx_upload([header, row] + [[" "]] * 18))
    empty_rows = import_start(actor=manufacturer_a, file=xlsx_upload([header, row] + [[" "]] * 30))

    assert (spaced.status, spaced.rows_total) == (ImportStatus.PREVIEWED, 1)  # 19 rows: fine
    assert empty_rows.status == ImportStatus.FAILED
    assert "more than 20 rows, blank ones included" in empty_rows.message
    assert_nothing_written()
