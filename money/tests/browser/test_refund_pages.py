"""Real Chromium: staff refund part of a paid order from its page (lines, shipping, preview,
refund through the fake Paystack), then the manufacturer reads the refund, read-only."""

from decimal import Decimal

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from money.models import Refund, RefundMethod, RefundStatus
from money.tests.refund_helpers import paid_online_order
from shopping.models import ShippingMethod

pytestmark = BROWSER_TEST


def test_staff_refund_lines_of_an_order_and_its_manufacturer_reads_it(
    page, buyer, paystack, phone, case, staff_user, manufacturer_a
):
    shipping = ShippingMethod.objects.create(name="Standard", cost=Decimal("10.00"),
                                             estimated_days=3)
    order = paid_online_order(buyer, paystack, [(phone, 3, None), (case, 2, None)],
                              shipping_method=shipping)
    lines = {i.product_name: i for i in order.items.all()}

    sign_in(page, staff_user.email, PASSWORD)
    page.goto(f"/admin/orders/order/{order.pk}/change/")
    wait_for_text(page, order.number)
    page.click(f"a[href*='/order/{order.pk}/refund']")  # the order page's Refund button
    wait_for_text(page, f"Refund order {order.number}")
    page.fill(f"input[name=line_{lines['Phone'].pk}]", "1")
    page.fill(f"input[name=line_{lines['Case'].pk}]", "2")
    page.fill("input[name=reason]", "Screen cracked on arrival")
    page.locator("input[name=shipping]").check(force=True)
    page.get_by_role("button", name="Preview").click()
    wait_for_text(page, "Total to the buyer")
    assert page.locator("#refund-total").inner_text() == "₦155.00"  # 100 + 2 x 22.50 + 10
    assert page.locator("#refund-commission").inner_text() == "₦15.17"
    screenshot(page, "money-refund-preview")
    page.get_by_role("button", name="Refund ₦155.00").click()
    wait_for_text(page, "Commission returned")
    refund = Refund.objects.get()
    assert (refund.amount, refund.shipping_amount, refund.method) == (
        155, 10, RefundMethod.PAYSTACK)
    assert refund.status == RefundStatus.PENDING and refund.paystack_refund_id  # sent
    assert page.get_by_text(refund.reference).first.is_visible()
    screenshot(page, "money-refund-detail")

    page.context.clear_cookies()
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.get_by_role("link", name="Refunds").click()
    wait_for_text(page, refund.reference)
    screenshot(page, "money-refunds-manufacturer")
    page.get_by_role("link", name=refund.reference).click()
    wait_for_text(page, "Screen cracked on arrival")
    assert page.get_by_role("link", name="Record as paid back").count() == 0
    screenshot(page, "money-refund-manufacturer-detail")
