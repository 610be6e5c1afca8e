"""Real Chromium: a manufacturer creates a product with two variations and an image, adjusts
its stock through the dialog, and we look at the changelist and the change page."""

import re

from playwright.sync_api import expect

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from catalog.models import Product, StockMovement
from catalog.tests.conftest import image_file
from conftest import PASSWORD

pytestmark = BROWSER_TEST


def open_tab(page, name: str) -> None:
    """Open a tab of the change form from the tab bar, where the test window keeps every tab
    (browser.VIEWPORT), and wait until it shows as the open one. unfold lays the bar out on
    load."""
    page.wait_for_load_state("load")
    tab = page.locator("#tabs-items").get_by_role("link", name=name, exact=True)
    tab.click()
    expect(tab).to_have_class(re.compile(r"\bactive\b"))


def test_manufacturer_creates_a_product_and_adjusts_its_stock(
    page, manufacturer_a, shoes, tmp_path
):
    photo = tmp_path / "runner.png"
    photo.write_bytes(image_file("runner.png").read())
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/catalog/product/add/")
    page.fill("input[name=name]", "Trail Runner")
    page.fill("textarea[name=description]", "Grippy soles for laterite roads.")
    page.select_option("select[name=category]", label="Fashion > Shoes")
    page.fill("input[name=price]", "450.00")
    page.fill("input[name=discount_percent]", "10")

    open_tab(page, "Variations")
    for row, (size, stock) in enumerate([("42", "8"), ("43", "3")]):
        page.fill(f"input[name=variations-{row}-size]", size)
        page.fill(f"input[name=variations-{row}-color]", "Red")
        page.fill(f"input[name=variations-{row}-stock]", stock)

    open_tab(page, "Images")
    page.get_by_text("Add another Image").click()
    page.set_input_files("input[name=images-0-original]", str(photo))
    page.fill("input[name=images-0-alt_text]", "Trail Runner, red")
    page.get_by_role("button", name="Save and continue editing").click()
    wait_for_text(page, "was added successfully")

    product = Product.objects.get(name="Trail Runner")
    assert (product.inventory, product.variations.count(), product.images.count()) == (11, 2, 1)

    page.get_by_role("link", name="Adjust stock").click()
    page.select_option("#dialog select[name=variation]", label="43 / Red (stock: 3)")
    page.fill("#dialog input[name=change]", "12")
    page.select_option("#dialog select[name=reason]", "restock")
    page.fill("#dialog input[name=note]", "Delivery from Kumasi")
    page.get_by_role("button", name="Record change").click()
    wait_for_text(page, "changed by +12")

    product.refresh_from_db()
    assert product.inventory == 23
    assert StockMovement.objects.filter(product=product, reason="restock").get().note == (
        "Delivery from Kumasi"
    )
    screenshot(page, "catalog-product-change")
    open_tab(page, "Stock history")
    screenshot(page, "catalog-product-stock-history")

    page.goto("/admin/catalog/product/")
    assert page.get_by_text("Trail Runner").is_visible()
    screenshot(page, "catalog-product-changelist")
