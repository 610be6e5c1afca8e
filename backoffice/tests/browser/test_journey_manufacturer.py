"""Real Chromium, a manufacturer's working day in the backoffice, at a desk's width and a
phone's (``journey.walk``): the catalogue in the morning (search, bulk edit, a product's page,
sizes × colours, a blank SKU, images, duplicate), then notifications, a report and the orders
(search, ship, papers, CSV). Each step asserts what the page shows and what the database holds.
Screenshots: artifacts/screenshots/journeys/."""

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from backoffice.tests.browser.journey import (
    header_link,
    listed,
    open_tab,
    run_action,
    search,
    select_rows,
    shot,
)
from backoffice.tests.chromium import BROWSER_TEST, sign_in, wait_for_text
from catalog.models import ApprovalStatus, Product, ProductImage, StockMovement, StockReason
from catalog.services import category_get_or_create_path, product_image_add
from catalog.tests.conftest import image_file
from catalog.tests.sellable import public_product
from conftest import PASSWORD
from money.tests.refund_helpers import paid_online_order
from notifications.models import Notification
from notifications.services import notify
from orders.models import Order, OrderStatus
from orders.services import order_status_change
from orders.tests.helpers import line, place
from shopping.services import shipping_address_create

pytestmark = BROWSER_TEST


def _catalogue(maker, other_maker, staff):
    crafts = category_get_or_create_path(names=["Home", "Crafts"])
    basket = public_product(
        maker,
        approver=staff,
        name="Woven basket",
        price="120.00",
        category=crafts,
        variations=[
            {"size": "M", "color": "Red", "sku": "WB-RED-M", "stock": 4},
            {"size": "L", "color": "Red", "sku": "WB-RED-L", "stock": 2},
        ],
    )
    stole = public_product(
        maker, approver=staff, name="Kente stole", price="80.00", category=crafts, stock=5
    )
    public_product(maker, approver=staff, name="Clay pot", price="30.00", category=crafts, stock=7)
    # Maker B's basket: a SKU and a word the searches would find, were they not scoped.
    public_product(
        other_maker,
        approver=staff,
        name="Beta basket",
        price="15.00",
        category=crafts,
        variations=[{"size": "", "color": "", "sku": "WB-999", "stock": 1}],
    )
    for position, (name, colour) in enumerate(
        [("front.png", (200, 40, 40)), ("back.png", (40, 40, 200))]
    ):
        product_image_add(
            product=basket,
            actor=maker,
            position=position,
            file=image_file(name, size=(400, 300), color=colour),
            alt_text=name.removesuffix(".png").title(),
        )
    return basket, stole


def test_a_manufacturers_morning_in_the_catalogue(walk, manufacturer_a, manufacturer_b, staff_user):
    page = walk
    basket, stole = _catalogue(manufacturer_a, manufacturer_b, staff_user)
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    # Search: a part of a SKU, then a plural of a word of the name; maker B's never shows.
    page.goto("/admin/catalog/product/")
    search(page, "wb-red")
    rows = listed(page)
    assert len(rows) == 1 and "Woven basket" in rows[0]
    search(page, "wb-")
    assert [("Woven basket" in row) for row in listed(page)] == [True]
    search(page, "baskets")
    rows = listed(page)
    assert len(rows) == 1 and "Woven basket" in rows[0]
    shot(page, "maker", "01-search-plural")

    # Bulk edit two of the three: +10 % on the price, 5 % off, 3 more of each variation.
    search(page, "")
    page.goto("/admin/catalog/product/")
    select_rows(page, "Woven basket", "Kente stole")
    run_action(page, "bulk_edit")
    wait_for_text(page, "Edit price, discount or stock")
    page.select_option("select[name=price_mode]", "percent")
    page.fill("input[name=price_value]", "10")
    page.fill("input[name=discount_percent]", "5")
    page.select_option("select[name=stock_mode]", "add")
    page.fill("input[name=stock_value]", "3")
    page.select_option("select[name=reason]", StockReason.RESTOCK)
    page.fill("input[name=note]", "Market day delivery")
    page.get_by_role("button", name="Preview").click()
    wait_for_text(page, "Apply 7 changes")  # 2 prices, 2 discounts, 3 variations' stock
    preview = page.locator("table.martaf-preview").inner_text()
    assert "132" in preview and "88" in preview and "Clay pot" not in preview
    shot(page, "maker", "02-bulk-edit-preview")
    assert Product.objects.get(pk=basket.pk).price == Decimal("120.00")  # a preview writes nothing

    page.get_by_role("button", name="Apply 7 changes").click()
    wait_for_text(page, "7 changes made.")
    prices = dict(Product.objects.filter(manufacturer=manufacturer_a).values_list("name", "price"))
    assert prices == {
        "Woven basket": Decimal("132.00"),
        "Kente stole": Decimal("88.00"),
        "Clay pot": Decimal("30.00"),
    }
    assert Product.objects.get(pk=stole.pk).discount_percent == Decimal("5")
    moved = StockMovement.objects.filter(note="Market day delivery")
    assert sorted(moved.values_list("reason", "delta", "stock_after")) == [
        ("restock", 3, 5),
        ("restock", 3, 7),
        ("restock", 3, 8),
    ]
    assert Product.objects.get(pk=basket.pk).inventory == 12

    # The product's page: "View on site" opens it on the storefront.
    page.goto(f"/admin/catalog/product/{basket.pk}/change/")
    expect(page.locator("input[name=name]")).to_have_value("Woven basket")
    on_site = header_link(page, "View on site")
    assert on_site.get_attribute("href") == settings.STOREFRONT_PRODUCT_URL.format(slug=basket.slug)
    shot(page, "maker", "03-product-page")

    # Sizes × colours: S and XL in Red and Blue; the two that exist (none here) are left alone.
    header_link(page, "Sizes × colours").click()
    page.fill("#dialog input[name=sizes]", "S, XL")
    page.fill("#dialog input[name=colors]", "Red, Blue")
    page.fill("#dialog input[name=stock]", "2")
    shot(page, "maker", "04-sizes-colours-dialog")
    page.locator("#dialog").get_by_role("button", name="Add variations").click()
    wait_for_text(page, "4 variations added.")
    made = dict(basket.variations.values_list("sku", "stock"))
    assert {sku: stock for sku, stock in made.items() if sku.startswith("WOVEN")} == {
        "WOVEN-BASKET-S-RED": 2,
        "WOVEN-BASKET-S-BLUE": 2,
        "WOVEN-BASKET-XL-RED": 2,
        "WOVEN-BASKET-XL-BLUE": 2,
    }
    assert StockMovement.objects.filter(variation__size__in=["S", "XL"], delta=2).count() == 4

    # A variation typed without a SKU gets one made from the name, size and colour.
    open_tab(page, "Variations")
    page.get_by_text("Add another Variation").click()
    row = basket.variations.count()
    page.fill(f"input[name=variations-{row}-size]", "M")
    page.fill(f"input[name=variations-{row}-color]", "Green")
    page.fill(f"input[name=variations-{row}-stock]", "1")
    shot(page, "maker", "05-variations-tab")
    # Images: the back photo dragged above the front one.
    open_tab(page, "Images")
    handles = page.locator("#images-data tbody.original [x-sort\\:handle]")
    shot(page, "maker", "06-images-tab")
    handles.nth(1).drag_to(handles.nth(0))
    expect(page.locator("#images-data tbody.original input[name$=alt_text]").first).to_have_value(
        "Back"
    )
    # SortableJS slides the rows into place (a CSS transform): screenshot them at rest.
    page.wait_for_function(
        "[...document.querySelectorAll('#images-data tbody')].every((row) => !row.style.transform)"
    )
    shot(page, "maker", "07-images-reordered")
    page.get_by_role("button", name="Save and continue editing").click()
    wait_for_text(page, "was changed successfully")
    assert basket.variations.get(size="M", color="Green").sku == "WOVEN-BASKET-M-GREEN"
    assert list(
        ProductImage.objects.filter(product=basket)
        .order_by("position")
        .values_list("alt_text", flat=True)
    ) == ["Back", "Front"]

    # Duplicate: a draft copy with the variations, no stock, SKUs of its own.
    header_link(page, "Duplicate").click()
    page.locator("#dialog").get_by_role("button", name="Duplicate").click()
    wait_for_text(page, "“Woven basket (copy)” is a draft copy")
    copy = Product.objects.get(name="Woven basket (copy)")
    assert page.url.endswith(f"/admin/catalog/product/{copy.pk}/change/")
    assert copy.approval_status == ApprovalStatus.DRAFT and copy.manufacturer == manufacturer_a
    copied = set(copy.variations.values_list("size", "color", "stock"))
    assert copied == {(s, c, 0) for s, c in basket.variations.values_list("size", "color")}
    assert not set(copy.variations.values_list("sku", flat=True)) & set(
        basket.variations.values_list("sku", flat=True)
    )
    assert copy.images.count() == 2
    shot(page, "maker", "08-duplicate")


def _orders(maker, other_maker, staff, buyer, fake_paystack):
    """Maker A's day of orders: one paid online to Kumasi (processing: to ship), one to Accra
    shared with maker B, and two older sales, on 1 November and 11 January, for the report."""
    lamp, mat, case, radio = (
        public_product(maker, approver=staff, name=name, price=price, stock=20)
        for name, price in [
            ("Alpha lamp", "50.00"),
            ("Alpha mat", "20.00"),
            ("Alpha case", "10.00"),
            ("Alpha radio", "100.00"),
        ]
    )
    shoe = public_product(other_maker, approver=staff, name="Beta shoe", price="40.00", stock=5)
    shipping_address_create(
        user=buyer,
        full_name="Ama Mensah",
        phone="+233201234567",
        address="4 Adum Road",
        city="Kumasi",
        country="GH",
    )
    paid = paid_online_order(buyer, fake_paystack, [(radio, 2, None)])
    order_status_change(order=paid, to=OrderStatus.PROCESSING, actor=staff)
    shared = place(
        buyer,
        line(case, 1),
        line(shoe, 1),
        shipping_name="Kofi Boateng",
        shipping_address="9 Ring Road",
        shipping_city="Accra",
        shipping_country="GH",
    )
    november = place(buyer, line(lamp, 3), shipping_city="Tamale")
    january = place(buyer, line(mat, 1), shipping_city="Tamale")
    Order.objects.filter(pk=november.pk).update(created_at=_noon(date(2026, 11, 1)))
    Order.objects.filter(pk=january.pk).update(created_at=_noon(date(2026, 1, 11)))
    return paid, shared


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _pdf_text(response) -> str:
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_a_manufacturers_afternoon_notifications_report_and_orders(
    walk, manufacturer_a, manufacturer_b, staff_user, customer, paystack
):
    page = walk
    paid, shared = _orders(manufacturer_a, manufacturer_b, staff_user, customer, paystack)
    [note] = notify(
        event="low_stock",
        recipients=[manufacturer_a],
        context={"product_name": "Alpha lamp", "stock": 1},
    )
    Notification.objects.filter(pk=note.pk).update(link="/admin/reports/low-stock/")
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    # Notifications: one opened (read, and its link followed), then all marked read.
    page.goto("/admin/notifications/notification/?recipient=me")
    shot(page, "maker", "10-notifications")
    page.get_by_role("button", name="Low stock: Alpha lamp").click()
    page.wait_for_url("**/admin/reports/low-stock/")
    note.refresh_from_db()
    assert note.is_read
    unread = Notification.objects.filter(user=manufacturer_a, is_read=False).count()
    assert unread >= 2  # the orders placed today told maker A
    page.goto("/admin/notifications/notification/?recipient=me")
    header_link(page, "Mark all mine as read").click()
    wait_for_text(page, f"You have {unread} unread notifications")
    page.get_by_role("button", name="Mark all as read").click()
    wait_for_text(page, f"{unread} marked as read.")
    assert not Notification.objects.filter(user=manufacturer_a, is_read=False).exists()

    # The sales report: a date picker; a day-first date typed into the address; a bad date.
    page.goto("/admin/reports/sales/")
    assert page.locator("input[name=date_from]").get_attribute("type") == "date"
    assert page.get_by_role("cell", name="Alpha mat").is_visible()  # any time: every sale
    response = page.goto("/admin/reports/sales/?date_from=01/11/2026&date_to=01/11/2026")
    assert response.status == 200
    assert page.locator("input[name=date_from]").input_value() == "2026-11-01"
    table = page.locator(".martaf-report__table table")
    assert "Alpha lamp" in table.inner_text()
    assert "Alpha mat" not in table.inner_text()  # 11 January, were the date month-first
    assert "Alpha case" not in table.inner_text()  # today
    shot(page, "maker", "11-report-typed-date")
    response = page.goto("/admin/reports/sales/?date_from=31/02/2026")
    assert response.status == 400
    assert page.get_by_text("“31/02/2026” is not a date").is_visible()
    assert page.locator(".martaf-report__table table").count() == 0
    assert page.get_by_text("Fix the filters above to see this report").is_visible()
    shot(page, "maker", "12-report-bad-date")

    # Orders: found by the city they go to and by a product of maker A's own lines only.
    page.goto("/admin/orders/order/")
    search(page, "kumasi")
    assert [paid.number in row for row in listed(page)] == [True]
    search(page, "Alpha case")
    assert [shared.number in row for row in listed(page)] == [True]
    search(page, "Beta shoe")  # maker B's line of the shared order
    assert listed(page) == []
    assert page.get_by_text("No orders match").is_visible()
    shot(page, "maker", "13-orders-search")

    # Ship the paid order with the carrier and the tracking number.
    page.goto(f"/admin/orders/order/{paid.pk}/change/")
    header_link(page, "Mark my lines shipped").click()
    page.fill("#dialog input[name=carrier]", "GIG Logistics")
    page.fill("#dialog input[name=tracking_number]", "GIG-4411")
    shot(page, "maker", "14-ship-dialog")
    page.locator("#dialog").get_by_role("button", name="Mark shipped").click()
    wait_for_text(page, "1 line marked shipped")
    paid.refresh_from_db()
    assert (paid.status, paid.carrier, paid.tracking_number) == (
        OrderStatus.SHIPPED,
        "GIG Logistics",
        "GIG-4411",
    )
    shot(page, "maker", "15-order-shipped")

    # The shared order's papers: PDFs of maker A's line only.
    page.goto(f"/admin/orders/order/{shared.pk}/change/")
    for name in ("Packing slip", "Invoice"):
        href = header_link(page, name).get_attribute("href")
        text = _pdf_text(page.request.get(href))
        assert shared.number in text and "Alpha case" in text and "Beta shoe" not in text, name

    # Both orders exported as CSV: maker A's lines' figures, no buyer email.
    page.goto("/admin/orders/order/")
    select_rows(page, paid.number, shared.number)
    with page.expect_download() as download:
        run_action(page, "export_csv")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    totals = {row["number"]: row[f"your total ({settings.CURRENCY})"] for row in rows}
    assert totals == {paid.number: "200.00", shared.number: "10.00"}
    assert not any("buyer" in header for header in rows[0])
    assert "Beta shoe" not in download.value.path().read_text(encoding="utf-8-sig")
