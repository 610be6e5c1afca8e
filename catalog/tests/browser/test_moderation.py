"""Real Chromium: staff work the approval queue (row actions and the product's own page)."""

import re
from decimal import Decimal

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from catalog.models import ApprovalStatus, Product
from catalog.services import category_get_or_create_path, product_create
from conftest import PASSWORD

pytestmark = BROWSER_TEST

def action(name: str) -> re.Pattern:
    """An action link's accessible name: its icon's ligature, then its label."""
    return re.compile(rf"^(\w+ )?{name}$")


def _submitted(maker, names):
    phones = category_get_or_create_path(names=["Electronics", "Phones"])
    return [
        product_create(manufacturer=maker, actor=maker, name=name, price=Decimal("50.00"),
                       category=phones, stock=3, submit=True)
        for name in names
    ]


def _status(name):
    return Product.objects.get(name=name).approval_status


def test_staff_work_the_queue_from_its_rows_and_from_the_product_page(
    page, staff_user, manufacturer_a
):
    _submitted(manufacturer_a, ["Row approve", "Row reject", "Page approve", "Page reject"])
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/catalog/pendingproduct/")
    screenshot(page, "queue-staff")

    # From the queue's rows.
    def row_action(product_name, label):
        row = page.locator("tr", has_text=product_name)
        row.get_by_text("more_horiz").click()
        page.get_by_role("link", name=action(label)).filter(visible=True).first.click()

    row_action("Row approve", "Approve")
    page.locator("#dialog").get_by_role("button", name="Approve").click()
    wait_for_text(page, "“Row approve” approved.")
    assert _status("Row approve") == ApprovalStatus.APPROVED

    row_action("Row reject", "Reject")
    page.fill("#dialog textarea[name=reason]", "Photos are blurry")
    page.locator("#dialog").get_by_role("button", name="Reject").click()
    wait_for_text(page, "“Row reject” rejected.")
    assert _status("Row reject") == ApprovalStatus.REJECTED

    # From the product's own page: on to the next product waiting, then back to the queue.
    page.get_by_role("link", name="Page approve").first.click()
    page.wait_for_url("**/pendingproduct/*/change/")
    page.get_by_role("link", name=action("Approve")).first.click()
    page.locator("#dialog").get_by_role("button", name="Approve").click()
    wait_for_text(page, "Next in the queue (1 product waiting).")
    assert "doesn’t exist" not in page.content() and "doesn't exist" not in page.content()
    assert page.locator("input[name=name]").input_value() == "Page reject"
    screenshot(page, "queue-next-product")

    page.get_by_role("link", name=action("Reject")).first.click()
    page.fill("#dialog textarea[name=reason]", "Missing the charger in the photos")
    page.locator("#dialog").get_by_role("button", name="Reject").click()
    page.wait_for_url("**/admin/catalog/pendingproduct/")
    wait_for_text(page, "Nothing waits for approval")
    assert page.get_by_text("“Page reject” rejected.").is_visible()
    screenshot(page, "queue-empty")

    assert _status("Page approve") == ApprovalStatus.APPROVED
    assert _status("Page reject") == ApprovalStatus.REJECTED
    assert Product.objects.get(name="Page reject").rejection_reason == (
        "Missing the charger in the photos"
    )
