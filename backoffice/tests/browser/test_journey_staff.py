"""Real Chromium, a staff member's working day in the backoffice, at a desk's width and a
phone's (``journey.walk``): the dashboard's "Manufacturers awaiting approval" card, orders found
by the buyer's name and email, shipped in bulk with a tracking number each, exported as CSV,
and the sales report over a date preset. Each step asserts what the page shows and what the
database holds. Screenshots: artifacts/screenshots/journeys/."""

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from backoffice.tests.browser.journey import listed, run_action, search, select_rows, shot
from backoffice.tests.chromium import BROWSER_TEST, sign_in, wait_for_text
from catalog.tests.sellable import public_product
from conftest import PASSWORD
from core.roles import ManufacturerStatus
from orders.models import Order, OrderStatus
from orders.services import order_status_change
from orders.tests.helpers import line, place
from users.models import User

pytestmark = BROWSER_TEST


def _day(staff, maker, make_user, customer):
    """A manufacturer waiting for approval; three orders to ship (two of Ama Mensah's, one of
    another buyer's), sent to a shop's front desk (so only the buyer's account has their name);
    and an order of 40 days ago."""
    waiting = make_user(
        "new.maker@martaf.test", is_manufacturer=True, company_name="Adinkra Prints"
    )
    User.objects.filter(pk=waiting.pk).update(manufacturer_status=ManufacturerStatus.PENDING)
    User.objects.filter(pk=customer.pk).update(first_name="Ama", last_name="Mensah")
    other = make_user("yaw.buyer@martaf.test", is_customer=True, first_name="Yaw")
    lamp, fan, radio = (
        public_product(maker, approver=staff, name=name, price="50.00", stock=20)
        for name in ("Desk lamp", "Table fan", "Old radio")
    )
    orders = [
        place(buyer, line(product), shipping_name="Front desk", shipping_city="Accra")
        for buyer, product in [(customer, lamp), (customer, fan), (other, lamp)]
    ]
    for order in orders:
        order_status_change(order=order, to=OrderStatus.PROCESSING, actor=staff)
    old = place(other, line(radio), shipping_city="Tamale")
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    return waiting, orders


def test_a_staff_members_day(walk, staff_user, manufacturer_a, make_user, customer):
    page = walk
    waiting, (ama_lamp, ama_fan, yaw_lamp) = _day(staff_user, manufacturer_a, make_user, customer)
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")

    # The dashboard: one manufacturer awaits approval; the card opens their application.
    card = page.locator("a").filter(has_text="Manufacturers awaiting approval")
    assert card.locator(".martaf-stat__body").inner_text().split("\n")[-1].strip() == "1"
    shot(page, "staff", "01-dashboard")
    card.click()
    page.wait_for_url(f"**/admin/onboarding/review/{waiting.pk}/")
    wait_for_text(page, waiting.email)

    # Orders found by the buyer's name and by their email.
    page.goto("/admin/orders/order/")
    search(page, "mensah")
    assert sorted(
        n
        for n in (ama_lamp.number, ama_fan.number, yaw_lamp.number)
        if any(n in row for row in listed(page))
    ) == sorted([ama_lamp.number, ama_fan.number])
    assert len(listed(page)) == 2
    # The Buyer column: the account's name, with its email under it.
    assert all("Ama Mensah" in row and customer.email in row for row in listed(page))
    search(page, "yaw.buyer@")
    rows = listed(page)
    assert len(rows) == 2 and yaw_lamp.number in "".join(rows)
    assert not any(n in "".join(rows) for n in (ama_lamp.number, ama_fan.number))
    shot(page, "staff", "02-orders-search")

    # Ama's two orders shipped at once, each with its own tracking number.
    search(page, "mensah")
    select_rows(page, ama_lamp.number, ama_fan.number)
    run_action(page, "mark_shipped")
    wait_for_text(page, "Ship orders")
    page.fill("input[name=carrier]", "DHL")
    page.fill(f"input[name=tracking_{ama_lamp.pk}]", "DHL-0001")
    page.fill(f"input[name=tracking_{ama_fan.pk}]", "DHL-0002")
    shot(page, "staff", "03-bulk-ship")
    page.get_by_role("button", name="Mark shipped").click()
    wait_for_text(page, "2 orders are now shipped.")
    shipped = {
        o.pk: (o.status, o.carrier, o.tracking_number)
        for o in Order.objects.filter(pk__in=[ama_lamp.pk, ama_fan.pk, yaw_lamp.pk])
    }
    assert shipped == {
        ama_lamp.pk: (OrderStatus.SHIPPED, "DHL", "DHL-0001"),
        ama_fan.pk: (OrderStatus.SHIPPED, "DHL", "DHL-0002"),
        yaw_lamp.pk: (OrderStatus.PROCESSING, "", ""),
    }
    shot(page, "staff", "04-orders-shipped")

    # Every order exported as CSV: whole orders, with the buyer's email.
    page.goto("/admin/orders/order/")
    page.locator("#action-toggle").check()
    with page.expect_download() as download:
        run_action(page, "export_csv")
    rows = {
        row["number"]: row
        for row in csv.DictReader(
            io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))
        )
    }
    assert len(rows) == 4
    assert rows[ama_fan.number]["tracking number"] == "DHL-0002"
    assert rows[ama_fan.number]["status"] == "Shipped"
    assert rows[yaw_lamp.number]["buyer email"] == "yaw.buyer@martaf.test"
    assert rows[yaw_lamp.number][f"total ({settings.CURRENCY})"] == "50.00"

    # The sales report over the last 7 days: the dates it stands for, the 40-day-old sale out.
    page.goto("/admin/reports/sales/")
    assert "Old radio" in page.locator(".martaf-report__table table").inner_text()
    page.select_option("select[name=period]", "7d")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/admin/reports/sales/?*period=7d*")
    page.wait_for_load_state("load")
    today = timezone.localdate()
    assert (
        page.locator("input[name=date_from]").input_value()
        == (today - timedelta(days=6)).isoformat()
    )
    assert page.locator("input[name=date_to]").input_value() == today.isoformat()
    table = page.locator(".martaf-report__table table").inner_text()
    assert "Desk lamp" in table and "Table fan" in table and "Old radio" not in table
    shot(page, "staff", "05-report-last-7-days")
