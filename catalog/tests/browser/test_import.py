"""Real Chromium: a manufacturer imports the sample file through upload, preview and confirm."""

from pathlib import Path

from backoffice.tests.browser import BROWSER_TEST, screenshot, sign_in, wait_for_text
from catalog.models import Product, ProductImport
from conftest import PASSWORD

pytestmark = BROWSER_TEST
SAMPLE = Path(__file__).resolve().parents[3] / "fixtures" / "sample-products.csv"


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

    from catalog.models import ImportStatus

    stalled = ProductImport.objects.create(
        created_by=manufacturer_a, manufacturer=manufacturer_a, original_name="sample.csv",
        file=ContentFile(SAMPLE.read_bytes(), name="sample.csv"), status=ImportStatus.RUNNING,
        run_id=uuid.uuid4(), attempts=1, rows_total=7, rows_done=3,
        heartbeat_at=timezone.now() - timedelta(hours=1),
        lease_expires_at=timezone.now() - timedelta(minutes=30),
    )
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/catalog/productimport/")
    wait_for_text(page, "Stalled")
    screenshot(page, "import-history-stalled")
    page.goto(f"/admin/catalog/productimport/{stalled.pk}/change/")
    wait_for_text(page, "Stalled: the worker stopped")
    screenshot(page, "import-stalled")
    page.get_by_role("button", name="Retry").click()
    wait_for_text(page, "Confirm import")
    screenshot(page, "import-retried")

    stalled.refresh_from_db()
    assert (stalled.status, stalled.rows_total) == (ImportStatus.PREVIEWED, 7)
    assert Product.objects.count() == 0
