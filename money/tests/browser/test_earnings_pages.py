"""Real Chromium: a manufacturer records cash collected on an order, reads their Earnings page
and opens their monthly statement; staff read the commission report. Screenshots of each
(artifacts/screenshots/money-*.png), the statement's first page rendered from the PDF itself."""

from datetime import timedelta

import pypdfium2
from django.utils import timezone

from backoffice.tests.chromium import (
    BROWSER_TEST,
    SCREENSHOTS,
    screenshot,
    sign_in,
    wait_for_text,
)
from conftest import PASSWORD
from money.models import EntryKind
from money.services import ledger_entry_add
from money.tests.earnings import D, by_product, deliver, move, pay
from orders.models import OrderStatus
from orders.services import checkout_place
from shopping.services import cart_item_add

pytestmark = BROWSER_TEST


def _history(manufacturer, order) -> None:
    """Older sales already past their hold, so the page shows money available too."""
    past = timezone.localdate() - timedelta(days=12)
    for index, (amount, commission) in enumerate([("420.00", "42.00"), ("150.00", "15.00")]):
        ledger_entry_add(manufacturer=manufacturer, kind=EntryKind.EARNING, amount=D(amount),
                         key=f"demo:earning:{index}", order=order, available_on=past,
                         note=f"Sale: order {order.number}")
        ledger_entry_add(manufacturer=manufacturer, kind=EntryKind.COMMISSION,
                         amount=-D(commission), key=f"demo:commission:{index}", order=order,
                         available_on=past, note=f"Commission: order {order.number}")


def test_a_manufacturer_collects_cash_and_reads_their_earnings(
    page, customer, manufacturer_a, staff_user, phone, buyer_address, paystack, settings
):
    # A paid-online order delivered (pending), then a cash order shipped.
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    placed = checkout_place(buyer=customer)
    pay(placed.checkout)
    online = deliver(by_product(placed.orders)["Phone"], actor=staff_user)
    _history(manufacturer_a, online)
    settings.PAYSTACK_SECRET_KEY = ""  # pay on delivery from here
    cart_item_add(user=customer, product_id=phone.pk, quantity=1)
    cash = by_product(checkout_place(buyer=customer).orders)["Phone"]
    move(cash, OrderStatus.PROCESSING, OrderStatus.SHIPPED, actor=staff_user)

    sign_in(page, manufacturer_a.email, PASSWORD)
    page.goto(f"/admin/orders/order/{cash.pk}/change/")
    wait_for_text(page, cash.number)
    # the order page's next step is the buyer's cash: its button opens the same dialog as the
    # toolbar's "Cash collected"
    page.get_by_role("link", name="Record the cash").click()
    wait_for_text(page, "Record the cash collected")
    page.get_by_role("button", name="Cash collected").click()
    wait_for_text(page, f"Cash collected for order {cash.number}")
    screenshot(page, "money-order-cash-collected")

    page.get_by_role("link", name="Earnings").click()
    wait_for_text(page, "Ready for the next payout")
    # available: older sales 570.00 less their commission 57.00, less 10.00 owed on the cash
    assert page.get_by_text("₦503.00").first.is_visible()
    assert page.get_by_text("₦180.00").first.is_visible()  # pending: 200 - 20
    screenshot(page, "money-earnings-manufacturer")

    page.get_by_role("link", name="Monthly statement (PDF)").click()
    wait_for_text(page, "Open the PDF")
    screenshot(page, "money-statement-form")
    month = timezone.localdate().strftime("%Y-%m")
    pdf = page.request.get(f"/admin/money/ledgerentry/statement/?month={month}")
    assert pdf.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.body())
    image = document[0].render(scale=2).to_pil()
    path = SCREENSHOTS / "money-statement-pdf.png"
    image.save(path)
    assert path.stat().st_size > 10_000


def test_staff_read_the_commission_report(page, staff_user, paid_orders, manufacturer_a):
    for order in paid_orders.values():
        deliver(order, actor=staff_user)
    sign_in(page, staff_user.email, PASSWORD)
    page.locator("a[href='/admin/reports/commission/']").first.click()
    wait_for_text(page, "Commission revenue")
    page.select_option("select[name=group_by]", "manufacturer")
    page.select_option("select[name=period]", "month")
    page.get_by_role("button", name="Apply").click()
    wait_for_text(page, "Maker B")
    assert page.get_by_text("₦23.00").first.is_visible()
    screenshot(page, "money-commission-report")

    page.get_by_role("link", name="Earnings").click()
    wait_for_text(page, "All manufacturers")
    screenshot(page, "money-earnings-staff")
