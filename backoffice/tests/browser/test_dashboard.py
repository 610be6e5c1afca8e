"""Real Chromium: each role's dashboard and two reports, screenshotted for the README."""

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in
from backoffice.tests.reports_data import build
from conftest import PASSWORD

pytestmark = BROWSER_TEST


def _data(staff_user, manufacturer_a, manufacturer_b, customer):
    build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)


def test_staff_dashboard_and_sales_report(page, staff_user, manufacturer_a, manufacturer_b, customer):
    _data(staff_user, manufacturer_a, manufacturer_b, customer)
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")

    assert page.get_by_text("Products awaiting approval").is_visible()
    assert page.get_by_text("Top manufacturers, last 30 days").is_visible()
    page.wait_for_function("document.querySelectorAll('canvas.chart').length === 2")
    screenshot(page, "dashboard-staff")

    page.get_by_role("link", name="Sales").first.click()
    page.wait_for_url("**/admin/reports/sales/")
    assert page.get_by_role("cell", name="Maker B").count() == 0  # grouped by product
    assert page.get_by_text("Beta shoe").is_visible()
    screenshot(page, "report-sales")


def test_manufacturer_dashboard_and_low_stock_report(
    page, staff_user, manufacturer_a, manufacturer_b, customer
):
    _data(staff_user, manufacturer_a, manufacturer_b, customer)
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    assert page.get_by_text("Inventory value").is_visible()
    html = page.content()
    assert "Beta shoe" not in html and "beta.csv" not in html
    screenshot(page, "dashboard-manufacturer")

    page.get_by_role("link", name="Low stock").first.click()
    page.wait_for_url("**/admin/reports/low-stock/")
    assert page.get_by_text("Alpha phone").first.is_visible()
    assert "Beta shoe" not in page.content()
    screenshot(page, "report-low-stock")
