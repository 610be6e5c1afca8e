"""Real Chromium, at a phone's width (390 px) and a desk's (1440 px): what the working-day walks'
screenshots showed cut, hidden or wrapped now fits. A product's images (thumbnails, alt text,
Remove) inside their card; a change page naming its object in the breadcrumbs; a list's result
count whole; a report's refusal inside its card, its table scrolling in its own box and its
filters across the width; order numbers on one line and the buyer's name over their email; the
dashboard's top manufacturers linked to their pages. Screenshots: artifacts/screenshots/fits-*.
"""

import re

from playwright.sync_api import expect

from backoffice.tests.browser.journey import WIDTHS, open_tab
from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in
from catalog.services import product_image_add
from catalog.tests.conftest import image_file
from catalog.tests.sellable import public_product
from conftest import PASSWORD
from orders.tests.helpers import line, place
from users.models import User

pytestmark = BROWSER_TEST

# How far an element runs past the right edge of its box (positive: cut off or scrolled away).
PAST_THE_EDGE = """([box, selector]) => {
    const edge = document.querySelector(box).getBoundingClientRect().right;
    return [...document.querySelectorAll(selector)]
        .map(el => Math.round(el.getBoundingClientRect().right - edge));
}"""
PAGE_OVERFLOW = "document.scrollingElement.scrollWidth - innerWidth"
CRUMBS = "[...document.querySelectorAll('#header-inner h1 a')].map(a => a.textContent.trim())"


def _sized(page, width: str) -> None:
    page.set_viewport_size(WIDTHS[width])


def test_a_products_images_and_name_fit_a_phone(page, manufacturer_a, staff_user):
    basket = public_product(manufacturer_a, approver=staff_user, name="Woven basket", stock=3)
    for position, name in enumerate(["front.png", "back.png"]):
        product_image_add(
            product=basket,
            actor=manufacturer_a,
            position=position,
            file=image_file(name, size=(400, 300)),
            alt_text=name.removesuffix(".png").title(),
        )
    sign_in(page, manufacturer_a.email, PASSWORD)
    for width in WIDTHS:
        _sized(page, width)
        page.goto(f"/admin/catalog/product/{basket.pk}/change/")
        # The breadcrumbs name the product (at 390 px they were "‹ ›" and nothing else).
        assert page.evaluate(CRUMBS) == ["Catalogue", "Products", "Woven basket"]
        open_tab(page, "Images")
        table = page.locator("#images-data")
        expect(table.locator("img.martaf-thumb")).to_have_count(2)
        # The images' table fits its card: no sideways scroll inside it, nothing past its edge.
        wrapper = table.evaluate(
            "t => { const w = t.closest('.simplebar-content-wrapper') || t.parentElement;"
            " return [w.scrollWidth, w.clientWidth]; }"
        )
        assert wrapper[0] <= wrapper[1], wrapper
        past = page.evaluate(
            PAST_THE_EDGE,
            [
                ".formset-wrapper:has(#images-data)",
                "#images-data tbody.original :is(img.martaf-thumb, input[name$=alt_text],"
                " td.delete label, td.field-original input[type=text])",
            ],
        )
        assert len(past) == 8 and max(past) <= 0, past
        assert page.evaluate(PAGE_OVERFLOW) <= 0
        screenshot(page, f"fits-images-tab-{WIDTHS[width]['width']}")


def _orders(staff, maker, make_user, customer):
    User.objects.filter(pk=customer.pk).update(first_name="Ama", last_name="Mensah")
    nameless = make_user("no.name@martaf.test", is_customer=True)
    lamp = public_product(maker, approver=staff, name="Desk lamp", price="50.00", stock=20)
    named = place(customer, line(lamp), shipping_city="Accra")
    plain = place(nameless, line(lamp), shipping_city="Tamale")
    return named, plain


def test_orders_list_numbers_buyers_and_result_count(
    page, staff_user, manufacturer_a, make_user, customer
):
    named, plain = _orders(staff_user, manufacturer_a, make_user, customer)
    sign_in(page, staff_user.email, PASSWORD)
    for width in WIDTHS:
        _sized(page, width)
        page.goto("/admin/orders/order/")
        page.wait_for_load_state("load")
        for order in (named, plain):
            link = page.locator("#result_list a", has_text=order.number)
            # One line: no break at the number's hyphen.
            assert link.evaluate("a => getComputedStyle(a.closest('td, th')).whiteSpace") == (
                "nowrap"
            )
            assert link.evaluate("a => a.getClientRects().length") == 1
        # The buyer: their name over their email; the email alone for an account with no name.
        buyer = page.locator("#result_list tr", has_text=named.number).locator(
            "td.field-buyer_display"
        )
        assert buyer.locator("strong").inner_text() == "Ama Mensah"
        assert buyer.locator("p").inner_text() == customer.email
        nameless = page.locator("#result_list tr", has_text=plain.number).locator(
            "td.field-buyer_display"
        )
        assert nameless.locator("strong").inner_text() == "no.name@martaf.test"
        assert nameless.locator("p").count() == 0
        assert page.evaluate(PAGE_OVERFLOW) <= 0
        screenshot(page, f"fits-orders-{WIDTHS[width]['width']}")

        # An order's page names the order in the breadcrumbs.
        page.goto(f"/admin/orders/order/{named.pk}/change/")
        page.wait_for_load_state("load")
        assert page.evaluate(CRUMBS) == ["Sales", "Orders", named.number]

        # A search's result count shows whole ("1 result (Show all)", not "1 r").
        page.goto(f"/admin/orders/order/?q={plain.number}")
        page.wait_for_load_state("load")
        count = page.locator("#header-inner h1 span.font-medium")
        assert re.fullmatch(r"1 result \(Show all\)", " ".join(count.inner_text().split()))
        assert count.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        assert page.evaluate(PAST_THE_EDGE, ["body", "#header-inner h1 span.font-medium"])[0] <= 0


def test_a_reports_refusal_table_and_filters_fit(page, staff_user, manufacturer_a, customer):
    names = ["A hand-carved mahogany serving tray", "Twelve-piece kente table runner set"]
    for name in names:
        product = public_product(
            manufacturer_a, approver=staff_user, name=name, price="123456.00", stock=9
        )
        place(customer, line(product, 3))
    sign_in(page, staff_user.email, PASSWORD)
    for width in WIDTHS:
        _sized(page, width)
        page.goto("/admin/reports/sales/")
        page.wait_for_load_state("load")
        # The table scrolls sideways in its own box, inside the card; the page does not.
        box = page.locator(".martaf-report__table .martaf-scroll-x")
        assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
        assert page.evaluate(PAST_THE_EDGE, [".martaf-report__table", ".martaf-scroll-x"])[0] <= 0
        assert page.evaluate(PAGE_OVERFLOW) <= 0
        widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
        revenue = page.get_by_role("columnheader", name=re.compile("revenue", re.I))
        if width == "phone":
            assert widths[0] > widths[1], widths  # long names: more than a phone's width
            # Scrolled to its end, the last column (Revenue) shows whole inside the card.
            box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            assert (
                page.evaluate(PAST_THE_EDGE, [".martaf-scroll-x", ".martaf-report-table th"])[-1]
                <= 0
            )
            # Each filter across the form's width, one under the other.
            fields = page.evaluate(
                "() => { const form = document.querySelector('.martaf-filter-form').clientWidth;"
                " return [...document.querySelectorAll('.martaf-filter-form__field')]"
                ".map(f => [f.offsetWidth / form, f.querySelector('select, input')"
                ".offsetWidth / f.offsetWidth]); }"
            )
            assert fields and all(f >= 0.99 and c >= 0.99 for f, c in fields), fields
        else:
            assert widths[0] <= widths[1], widths
        expect(revenue).to_be_visible()
        screenshot(page, f"fits-report-{WIDTHS[width]['width']}")
        box.evaluate("el => { el.scrollLeft = 0; }")

        # A date that cannot be read: the refusal inside the card, with room around it.
        page.goto("/admin/reports/sales/?date_from=31/02/2026")
        refusal = page.locator(".martaf-report__refused")
        expect(refusal).to_have_text(re.compile("^Fix the filters above"))
        padding = refusal.evaluate(
            "el => ['Top', 'Left'].map(side => parseFloat(getComputedStyle(el)['padding' + side]))"
        )
        assert min(padding) >= 12, padding
        screenshot(page, f"fits-report-refused-{WIDTHS[width]['width']}")


def test_top_manufacturers_link_to_their_pages(page, staff_user, manufacturer_a, customer):
    lamp = public_product(manufacturer_a, approver=staff_user, name="Desk lamp", stock=5)
    place(customer, line(lamp, 2))
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")
    # The card: the heading's title bar's parent.
    card = page.get_by_role("heading", name=re.compile("^Top manufacturers")).locator("xpath=../..")
    maker = card.get_by_role("link", name=manufacturer_a.manufacturer_profile.display_name)
    assert maker.get_attribute("href") == f"/admin/users/user/{manufacturer_a.pk}/change/"
    screenshot(page, "fits-dashboard-1440")
    maker.click()
    page.wait_for_url(f"**/admin/users/user/{manufacturer_a.pk}/change/")
    expect(page.locator("input[name=email]")).to_have_value(manufacturer_a.email)
