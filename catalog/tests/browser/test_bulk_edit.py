"""Real Chromium: a manufacturer bulk-edits prices and stock: the page, its preview, Apply."""

from decimal import Decimal

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from catalog.models import Product
from conftest import PASSWORD

pytestmark = BROWSER_TEST


def test_a_manufacturer_previews_then_applies_a_bulk_edit(page, manufacturer_a, phones,
                                                         make_product):
    make_product(manufacturer_a, category=phones, name="Mug", price="100.00", stock=5)
    make_product(manufacturer_a, category=phones, name="Shirt", price="40.00",
                 variations=[{"size": "M", "color": "", "stock": 2},
                             {"size": "L", "color": "", "stock": 0}])
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/catalog/product/")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "bulk_edit")
    page.locator("button[type=submit][name=index]").click()
    wait_for_text(page, "Edit price, discount or stock")
    page.select_option("select[name=price_mode]", "percent")
    page.fill("input[name=price_value]", "10")
    page.select_option("select[name=stock_mode]", "add")
    page.fill("input[name=stock_value]", "4")
    page.get_by_role("button", name="Preview").click()
    wait_for_text(page, "Apply 5 changes")
    screenshot(page, "products-bulk-edit-preview")
    assert Product.objects.get(name="Mug").price == Decimal("100.00")  # a preview writes nothing

    page.get_by_role("button", name="Apply 5 changes").click()
    wait_for_text(page, "5 changes made.")
    assert Product.objects.get(name="Mug").price == Decimal("110.00")
    assert Product.objects.get(name="Shirt").inventory == 10
