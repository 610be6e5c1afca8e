"""Real Chromium, wide (1440 px) and narrow (390 px): the order's one page shows who acts next;
the seller ships their lines, and staff the whole order, through the next step's dialog with a
carrier and a tracking number, and the page shows the change."""

import pytest

from backoffice.tests.chromium import (
    BROWSER_TEST,
    TIMEOUT_MS,
    VIEWPORT,
    screenshot,
    sign_in,
    wait_for_text,
)
from conftest import PASSWORD
from orders.models import Checkout, CheckoutPayment, CheckoutPaymentStatus, Order, OrderStatus
from orders.services import order_status_change
from orders.tests.helpers import line, place

pytestmark = BROWSER_TEST

WIDTHS = {"wide": VIEWPORT, "narrow": {"width": 390, "height": 844}}


def paid_processing_order(customer, staff_user, phone, shirt_m, shirt_l) -> Order:
    """Three lines of two sellers, paid through Paystack, confirmed by staff (processing)."""
    order = place(
        customer,
        line(phone, 2),
        line(shirt_m.product, 1, shirt_m),
        line(shirt_l.product, 1, shirt_l),
    )
    checkout = Checkout.objects.create(
        buyer=customer,
        payment_method=CheckoutPayment.PAYSTACK,
        payment_status=CheckoutPaymentStatus.PAID,
        paystack_reference=f"ref-{order.pk}",
        total_amount=order.total,
    )
    Order.objects.filter(pk=order.pk).update(
        checkout=checkout,
        shipping_name="Ama Mensah",
        shipping_phone="+2348012345678",
        shipping_address="12 Awolowo Road",
        shipping_city="Ikoyi",
        shipping_state="Lagos",
        shipping_country="NG",
    )
    return order_status_change(order=order, to=OrderStatus.PROCESSING, actor=staff_user)


@pytest.fixture
def signed_in(browser, live_server):
    """A new window of the given width, signed in as the given user."""
    contexts = []

    def open_as(user, width):
        context = browser.new_context(viewport=WIDTHS[width], base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, user.email, PASSWORD)
        page.wait_for_url("**/admin/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def next_step_of(page) -> str:
    return page.locator("#next-step").inner_text()


@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_a_seller_ships_their_lines_from_the_next_step(
    signed_in, width, customer, staff_user, manufacturer_b, phone, shirt_m, shirt_l
):
    order = paid_processing_order(customer, staff_user, phone, shirt_m, shirt_l)
    page = signed_in(manufacturer_b, width)

    page.goto(f"/admin/orders/order/{order.pk}/change/")
    page.wait_for_load_state("load")
    assert "Prepare and ship your 2 lines" in next_step_of(page)
    assert "Paid online (Paystack)" in page.locator("#order-page").inner_text()
    assert "Phone" not in page.locator("#order-page").inner_text()  # the other seller's line
    screenshot(page, f"order-page-seller-{width}")

    page.locator("#next-step").get_by_role("link", name="Ship your lines").click()
    page.wait_for_selector("#dialog input[name=carrier]")
    page.fill("#dialog input[name=carrier]", "GIG Logistics")
    page.fill("#dialog input[name=tracking_number]", "GIG-778899")
    screenshot(page, f"order-page-seller-dialog-{width}")
    page.get_by_role("button", name="Mark shipped").click()
    wait_for_text(page, "2 lines marked shipped")

    assert "other sellers" in next_step_of(page)
    parcel = page.locator("#op-parcel").inner_text()
    assert "GIG Logistics" in parcel and "GIG-778899" in parcel
    screenshot(page, f"order-page-seller-shipped-{width}")
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (
        OrderStatus.PROCESSING,
        "GIG Logistics",
        "GIG-778899",
    )
    assert order.items.filter(shipped_at__isnull=True).get().product_name == "Phone"


@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_staff_ship_the_whole_order_from_the_next_step(
    signed_in, width, customer, staff_user, phone, shirt_m, shirt_l
):
    order = paid_processing_order(customer, staff_user, phone, shirt_m, shirt_l)
    page = signed_in(staff_user, width)

    page.goto(f"/admin/orders/order/{order.pk}/change/")
    page.wait_for_load_state("load")
    assert "3 lines left to ship" in next_step_of(page)
    assert customer.email in page.locator("#order-page").inner_text()
    screenshot(page, f"order-page-staff-{width}")

    page.locator("#next-step").get_by_role("link", name="Ship the whole order").click()
    page.wait_for_selector("#dialog select[name=status]")
    page.select_option("#dialog select[name=status]", "shipped")
    page.fill("#dialog input[name=carrier]", "DHL")
    page.fill("#dialog input[name=tracking_number]", "DHL-123456")
    screenshot(page, f"order-page-staff-dialog-{width}")
    page.get_by_role("button", name="Change status").click()
    wait_for_text(page, "is now shipped")

    assert "Mark delivered" in next_step_of(page)
    assert "3/3 shipped" in page.locator("#op-lines").inner_text().lower()
    parcel = page.locator("#op-parcel").inner_text()
    assert "DHL" in parcel and "DHL-123456" in parcel
    screenshot(page, f"order-page-staff-shipped-{width}")
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, "DHL-123456")
