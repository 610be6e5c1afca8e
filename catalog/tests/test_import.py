"""CSV import and export: create, update in place, round trip, errors, isolation."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import (
    ApprovalStatus,
    Category,
    ImportMode,
    ImportStatus,
    Product,
    ProductImport,
    StockMovement,
    Variation,
)
from catalog.selectors import category_labels
from catalog.services.imports import catalogue_export, import_confirm, import_start

pytestmark = pytest.mark.django_db

HEADER = "handle,name,description,price,discount_percent,category,is_active,size,color,sku,stock,low_stock_threshold,image_urls\n"
TWO_PRODUCTS = HEADER + (
    "tee,Cotton tee,Soft,120.00,10,Fashion > Men > Shirts,true,M,Black,TEE-M,10,3,\n"
    "tee,,,,,,,L,Black,TEE-L,4,3,\n"
    "shea,Shea butter,,65,,Beauty > Skincare,true,,,SHEA,48,,\n"
)


def serve_images(fake_web):
    """cdn.example serves a PNG; broken.example resolves but refuses connections."""
    from catalog.tests.conftest import image_file

    fake_web.host("cdn.example", "93.184.216.34")
    fake_web.host("broken.example", "93.184.216.35")
    fake_web.serve("93.184.216.34", "/a.png", image_file("remote.png").read(),
                   headers={"Content-Type": "image/png"}, port=443)


def upload(text: str, name: str = "catalogue.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def run_import(user, text, *, mode=ImportMode.ALL_OR_NOTHING, manufacturer=None, **kwargs):
    product_import = import_start(actor=user, file=upload(text, **kwargs), manufacturer=manufacturer)
    assert product_import.status == ImportStatus.PREVIEWED, product_import.message
    return import_confirm(product_import=product_import, actor=user, mode=mode)


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


def test_export_then_import_round_trips_without_duplicates(manufacturer_a):
    run_import(manufacturer_a, TWO_PRODUCTS)
    exported = catalogue_export(user=manufacturer_a)

    assert exported.splitlines()[0] == HEADER.strip()
    result = run_import(manufacturer_a, exported, name="export.csv")

    assert (result.created_count, result.updated_count, result.unchanged_count) == (0, 0, 3)
    assert (Product.objects.count(), Variation.objects.count()) == (2, 3)
    assert StockMovement.objects.count() == 3


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


def test_valid_rows_only_writes_the_good_products_and_counts_the_rest(manufacturer_a):
    text = HEADER + "good,Good,,5,,X > Y,true,,,,2,,\nbad,Bad,,oops,,X > Y,true,,,,1,,\n"
    product_import = import_start(actor=manufacturer_a, file=upload(text))

    result = import_confirm(
        product_import=product_import, actor=manufacturer_a, mode=ImportMode.VALID_ROWS_ONLY
    )

    assert result.status == ImportStatus.COMPLETED
    assert list(Product.objects.values_list("handle", flat=True)) == ["good"]
    assert (result.skipped_count, result.error_count, result.mode) == (1, 1, "valid_rows_only")


def test_a_manufacturer_column_naming_someone_else_is_refused(manufacturer_a, manufacturer_b):
    text = HEADER.strip() + ",manufacturer\n" + f"x,X,,5,,A > B,true,,,,1,,,{manufacturer_b.email}\n"

    product_import = import_start(actor=manufacturer_a, file=upload(text))

    assert product_import.errors == [
        {"row": 2, "column": "manufacturer", "message": "You can only import into your own catalogue."}
    ]
    assert Product.objects.filter(manufacturer=manufacturer_b).count() == 0


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


def test_export_contains_only_the_users_own_catalogue(manufacturer_a, manufacturer_b):
    run_import(manufacturer_a, TWO_PRODUCTS)
    run_import(manufacturer_b, HEADER + "other,Other,,5,,A > B,true,,,,1,,\n")

    exported = catalogue_export(user=manufacturer_a)

    assert "other" not in exported and exported.count("\n") == 4


def test_large_files_go_to_the_worker_with_progress(
    settings, manufacturer_a, django_capture_on_commit_callbacks
):
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        product_import = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))
    product_import.refresh_from_db()
    assert (product_import.status, product_import.rows_done, product_import.rows_total) == (
        ImportStatus.PREVIEWED, 3, 3,
    )

    with django_capture_on_commit_callbacks(execute=True):
        queued = import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    assert queued.status == ImportStatus.QUEUED
    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.COMPLETED
    assert Product.objects.count() == 2


def test_image_urls_are_fetched_after_commit_and_failures_are_skipped(
    fake_web, manufacturer_a, django_capture_on_commit_callbacks
):
    serve_images(fake_web)
    text = HEADER + "pic,Pic,,5,,A > B,true,,,,1,,https://cdn.example/a.png|https://broken.example/b.png\n"

    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(manufacturer_a, text)

    product = Product.objects.get(handle="pic")
    assert result.status == ImportStatus.COMPLETED
    assert list(product.images.values_list("source_url", flat=True)) == ["https://cdn.example/a.png"]


def test_admin_upload_preview_confirm(client, manufacturer_a):
    client.force_login(manufacturer_a)

    response = client.post(reverse("admin:catalog_productimport_add"), {"file": upload(TWO_PRODUCTS)})
    product_import = ProductImport.objects.get()
    assert response["Location"] == reverse("admin:catalog_productimport_change", args=[product_import.pk])
    preview = client.get(response["Location"])
    assert "Confirm import" in preview.content.decode()
    assert Product.objects.count() == 0

    client.post(reverse("admin:catalog_productimport_confirm", args=[product_import.pk]), {"mode": "all_or_nothing"})

    assert Product.objects.count() == 2


def test_admin_preview_of_another_manufacturers_import_is_not_shown(client, manufacturer_a, manufacturer_b):
    product_import = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))
    client.force_login(manufacturer_b)

    page = client.get(reverse("admin:catalog_productimport_change", args=[product_import.pk]))
    confirm = client.post(reverse("admin:catalog_productimport_confirm", args=[product_import.pk]), {"mode": "all_or_nothing"})

    assert page.status_code == 302 and confirm.status_code == 404
    assert Product.objects.count() == 0
    assert ProductImport.objects.get().status == ImportStatus.PREVIEWED


def test_template_download(client, manufacturer_a):
    client.force_login(manufacturer_a)

    response = client.get(reverse("admin:catalog_productimport_template"))

    assert response.content.decode().splitlines()[0] == HEADER.strip()


def test_management_command_dry_run_then_import(tmp_path, manufacturer_a, capsys):
    from django.core.management import call_command

    path = tmp_path / "catalogue.csv"
    path.write_text(TWO_PRODUCTS, encoding="utf-8")

    call_command("import_products", str(path), manufacturer=manufacturer_a.email, dry_run=True)
    assert Product.objects.count() == 0
    call_command("import_products", str(path), manufacturer=manufacturer_a.email)

    out = capsys.readouterr().out
    assert "3 rows: 3 new, 0 updated, 0 unchanged, 0 errors" in out
    assert "2 products created" in out
    assert Product.objects.count() == 2


def test_command_import_is_in_the_history_and_fetches_images_like_an_admin_one(
    tmp_path, fake_web, client, manufacturer_a, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    serve_images(fake_web)
    text = HEADER + "pic,Pic,,5,,A > B,true,,,,1,,https://cdn.example/a.png|https://broken.example/b.png\n"
    path = tmp_path / "pictures.csv"
    path.write_text(text, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        admin_import = run_import(manufacturer_a, text.replace("pic,", "pik,").replace("Pic", "Pik"))

    call_command("import_products", str(path), manufacturer=manufacturer_a.email, dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_products", str(path), manufacturer=manufacturer_a.email)

    imports = ProductImport.objects.order_by("pk")
    assert [(i.original_name, i.status, i.created_by, i.manufacturer, i.created_count) for i in imports] == [
        ("catalogue.csv", ImportStatus.COMPLETED, manufacturer_a, manufacturer_a, 1),
        ("pictures.csv", ImportStatus.CANCELLED, manufacturer_a, manufacturer_a, 1),
        ("pictures.csv", ImportStatus.COMPLETED, manufacturer_a, manufacturer_a, 1),
    ]
    assert imports[0].pk == admin_import.pk
    for handle in ("pik", "pic"):  # the same image fetch: the good one, the broken one skipped
        product = Product.objects.get(handle=handle)
        assert list(product.images.values_list("source_url", flat=True)) == ["https://cdn.example/a.png"]
    client.force_login(manufacturer_a)
    history = client.get(reverse("admin:catalog_productimport_changelist")).content.decode()
    assert history.count("pictures.csv") == 2 and "catalogue.csv" in history


def test_command_notes_unknown_columns_as_the_admin_does(tmp_path, manufacturer_a):
    from django.core.management import call_command

    path = tmp_path / "extra.csv"
    path.write_text(TWO_PRODUCTS.replace("image_urls\n", "image_urls,colour_code\n", 1), encoding="utf-8")

    call_command("import_products", str(path), manufacturer=manufacturer_a.email)

    assert "Ignored column: colour_code." in ProductImport.objects.get().message
