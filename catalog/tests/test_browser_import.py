"""Real Chromium: a manufacturer imports the sample file through upload, preview and confirm."""

from pathlib import Path

from backoffice.tests.browser import BROWSER_TEST, screenshot, sign_in
from catalog.models import Product, ProductImport
from conftest import PASSWORD

pytestmark = BROWSER_TEST
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample-products.csv"


def test_manufacturer_imports_the_sample_file(page, manufacturer_a):
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/catalog/product/")
    page.get_by_role("link", name="upload Import", exact=True).click()
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_selector("text=Confirm import")
    assert Product.objects.count() == 0
    assert "kente-panel-shirt" in page.content()
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_selector("text=products created")
    screenshot(page, "import-result")

    assert Product.objects.filter(manufacturer=manufacturer_a).count() == 4
    assert ProductImport.objects.get().created_count == 7
