"""Real Chromium: a manufacturer imports the sample file through upload, preview and confirm;
imports a file with errors, fixes it and confirms; retries a stalled import from the history."""

from pathlib import Path

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from catalog.models import Product
from conftest import PASSWORD
from imports.models import ProductImport
from imports.tests.uploads import HEADER

pytestmark = BROWSER_TEST
SAMPLE = Path(__file__).resolve().parents[3] / "fixtures" / "sample-products.csv"
BROKEN = HEADER + (
    "tote,Woven tote,,85.00,,Fashion > Bags,true,Red,,TOTE-R,6,2,\n"
    "tote,,,,,,,Blue,,TOTE-B,lots,2,\n"
    "mat,Sleeping mat,,,,Home > Living,true,,,MAT,4,,\n"
)
FIXED = HEADER + (
    "tote,Woven tote,,85.00,,Fashion > Bags,true,Red,,TOTE-R,6,2,\n"
    "tote,,,,,,,Blue,,TOTE-B,3,2,\n"
    "mat,Sleeping mat,,40.00,,Home > Living,true,,,MAT,4,,\n"
)


def test_manufacturer_imports_the_sample_file(page, manufacturer_a):
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/catalog/product/")
    page.get_by_role("link", name="upload Import", exact=True).click()
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.get_by_role("button", name="Upload and preview").click()
    wait_for_text(page, "Confirm import")
    assert Product.objects.count() == 0
    assert "kente-panel-shirt" in page.content()
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Confirm import").click()
    wait_for_text(page, "products created")
    screenshot(page, "import-result")

    assert Product.objects.filter(manufacturer=manufacturer_a).count() == 4
    assert ProductImport.objects.get().created_count == 7


def test_manufacturer_retries_a_stalled_import_from_the_history(page, manufacturer_a):
    import uuid
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from imports.models import ImportStatus

    stalled = ProductImport.objects.create(
        created_by=manufacturer_a, manufacturer=manufacturer_a, original_name="sample.csv",
        file=ContentFile(SAMPLE.read_bytes(), name="sample.csv"), status=ImportStatus.RUNNING,
        run_id=uuid.uuid4(), attempts=1, rows_total=7, rows_done=3,
        heartbeat_at=timezone.now() - timedelta(hours=1),
        lease_expires_at=timezone.now() - timedelta(minutes=30),
    )
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/imports/productimport/")
    wait_for_text(page, "Stalled")
    screenshot(page, "import-history-stalled")
    page.goto(f"/admin/imports/productimport/{stalled.pk}/change/")
    wait_for_text(page, "Stalled: the worker stopped")
    screenshot(page, "import-stalled")
    page.get_by_role("button", name="Retry").click()
    wait_for_text(page, "Confirm import")
    screenshot(page, "import-retried")

    stalled.refresh_from_db()
    assert (stalled.status, stalled.rows_total) == (ImportStatus.PREVIEWED, 7)
    assert Product.objects.count() == 0


def test_manufacturer_imports_a_file_with_errors_then_the_fixed_file(
    page, manufacturer_a, tmp_path
):
    broken, fixed = tmp_path / "bags.csv", tmp_path / "bags-fixed.csv"
    broken.write_text(BROKEN)
    fixed.write_text(FIXED)
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/imports/productimport/")
    assert page.get_by_text("No imports yet").is_visible()
    screenshot(page, "imports-empty")
    page.get_by_role("link", name="Upload a CSV").click()
    page.set_input_files("input[name=file]", str(broken))
    page.get_by_role("button", name="Upload and preview").click()
    wait_for_text(page, "2 errors found (below), and no product is free of errors")
    assert page.get_by_text("Errors found", exact=True).is_visible()
    assert "Ready to import" not in page.content()
    assert page.get_by_role("button", name="Confirm import").count() == 0
    screenshot(page, "import-with-errors")
    assert Product.objects.count() == 0

    page.get_by_role("link", name="Upload a fixed file").click()
    page.set_input_files("input[name=file]", str(fixed))
    page.get_by_role("button", name="Upload and preview").click()
    wait_for_text(page, "Ready: 3 rows will be written when you confirm")
    screenshot(page, "import-fixed-preview")
    page.get_by_role("button", name="Confirm import").click()
    wait_for_text(page, "Import finished")
    assert page.locator("[data-import-message]").inner_text().startswith(
        "3 rows imported: 3 new, 0 updated, 0 unchanged. 2 products created"
    )
    screenshot(page, "import-fixed-result")

    assert Product.objects.filter(manufacturer=manufacturer_a).count() == 2
    page.goto("/admin/imports/productimport/")
    results = page.locator("#result_list")
    assert results.get_by_text("Imported", exact=True).is_visible()
    assert results.get_by_text("Errors found", exact=True).is_visible()
    screenshot(page, "imports-list")
    assert ProductImport.objects.count() == 2
