"""The admin on a phone (390 px) and at a desk (1440 px), and by keyboard alone, on the demo data:
a header that fits, list rows headed by their first column, a short orders page, dialogs that
take the focus and give it back, the sign-in's fields focused, and a focus ring on the switch.
"""

import os
import threading

from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from backoffice.tests.chromium import BROWSER_TEST, VIEWPORT, screenshot, sign_in
from conftest import PASSWORD
from orders.models import Order
from users.demo import DEMO_USERS

pytestmark = BROWSER_TEST

PHONE = {"width": 390, "height": 844}
WIDTHS = [("390", PHONE), ("1440", VIEWPORT)]
STAFF = next(u for u in DEMO_USERS if u.is_staff)

# What the page looks like to a reader: nothing runs past the window's right edge, and no
# breadcrumb is cut short ("S.." for "Sales") or lies under the header's icons.
HEADER_FITS = """() => {
    const crumbs = [...document.querySelectorAll('#header-inner h1 a, #header-inner h1 span.truncate')];
    const icons = [...document.querySelectorAll('#header-inner > div > div:not(:first-child)')]
        .map(el => el.getBoundingClientRect());
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    return {
        overflow: document.scrollingElement.scrollWidth - innerWidth,
        cut: crumbs.filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent.trim()),
        hidden: crumbs.filter(el => icons.some(r => overlaps(el.getBoundingClientRect(), r)))
            .map(el => el.textContent.trim()),
        crumbs: crumbs.map(el => el.textContent.trim()),
    };
}"""

# Each card of a list on a phone: the line at its top holds the checkbox and the first column's
# value, the column's name hidden; unfold's "Select record" shows nowhere.
CARD_HEADS = """() => [...document.querySelectorAll('#result_list tr.data-row')].map(row => {
    const box = row.querySelector('td.action-checkbox');
    const head = box.nextElementSibling;
    const top = el => el.getBoundingClientRect().top;
    const before = el => getComputedStyle(el, '::before');
    const shown = el => before(el).display !== 'none' ? before(el).content : '';
    return {
        title: head.textContent.trim().replace(/\\s+/g, ' '),
        same_line: top(head) - top(row) <= 2 && top(box) >= top(head)
            && box.getBoundingClientRect().bottom <= head.getBoundingClientRect().bottom + 1,
        labels: shown(box) + shown(head),
        checkbox: box.querySelector('input').getAttribute('aria-label'),
    };
})"""

FOCUS_RING = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {name: el.name, outline: style.outlineStyle, width: style.outlineWidth,
            shadow: style.boxShadow};
}"""


def _demo(page):
    # In a thread of its own: Playwright's event loop runs in the test's thread, where the demo's
    # live notification pushes (async_to_sync) would fail.
    seeding = threading.Thread(target=_seed)
    seeding.start()
    seeding.join()
    sign_in(page, STAFF.email, STAFF.password)
    page.wait_for_url("**/admin/")


def _seed():
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    finally:
        connection.close()


def _wait_inside_dialog(page) -> None:
    """The focus is (or, once the page's handlers have run, comes) inside the dialog."""
    page.wait_for_function(
        "() => document.getElementById('modal-content').contains(document.activeElement)",
        timeout=5000,
    )


def test_lists_and_forms_fit_a_phone_and_a_desk(page):
    _demo(page)
    for width, viewport in WIDTHS:
        page.set_viewport_size(viewport)

        page.goto("/admin/orders/order/")
        page.wait_for_load_state("load")
        header = page.evaluate(HEADER_FITS)
        assert header["overflow"] <= 0 and not header["cut"] and not header["hidden"], header
        assert header["crumbs"][:2] == ["Sales", "Orders"]
        numbers = list(
            Order.objects.order_by("-created_at", "-id").values_list("number", flat=True)[:25]
        )
        rows = page.evaluate(CARD_HEADS)
        assert [r["checkbox"] for r in rows] == [f"Select {n}" for n in numbers]
        height = page.evaluate("document.scrollingElement.scrollHeight")
        if width == "390":
            assert [r["title"] for r in rows] == numbers
            assert all(r["same_line"] and r["labels"] == "" for r in rows), rows[:3]
            # 25 orders a page, as compact cards (it was 16,700 px with every column a line;
            # 5,823 px with the buyer's email alone, 6,073 with their name over it).
            assert height < 6500, height
        screenshot(page, f"narrow-orders-{width}")

        page.goto("/admin/catalog/product/")
        page.wait_for_load_state("load")
        assert page.evaluate(HEADER_FITS)["overflow"] <= 0
        rows = page.evaluate(CARD_HEADS)
        assert "Select record" not in {r["checkbox"] for r in rows}
        if width == "390":
            first = rows[0]
            assert first["same_line"] and first["labels"] == ""
            # The product's name (its card also shows its picture and category).
            assert first["title"].startswith(first["checkbox"].removeprefix("Select "))
        screenshot(page, f"narrow-products-{width}")

        page.get_by_role("link", name="Black soap bar").first.click()
        page.wait_for_selector("input[name=is_active]")
        page.wait_for_load_state("load")
        header = page.evaluate(HEADER_FITS)
        assert header["overflow"] <= 0 and not header["cut"] and not header["hidden"], header
        assert header["crumbs"] == ["Catalogue", "Products", "Black soap bar"]
        # The keyboard reaches the Active switch from the field before it, and it shows so.
        page.focus("input[name=discount_percent]")
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        assert ring["name"] == "is_active"
        assert ring["outline"] == "solid" and ring["width"] == "2px" and ring["shadow"] != "none"
        screenshot(page, f"narrow-product-form-{width}")


def _open_by_keyboard(page, width, name):
    if width == "390":
        # A phone folds the page's actions into "...": open it from the keyboard first.
        more = page.get_by_role("link", name="More actions")
        if not page.locator("a[hx-target='#modal-content']", has_text=name).is_visible():
            more.focus()
            page.keyboard.press("Enter")
    opener = page.locator("a[hx-target='#modal-content']", has_text=name)
    expect(opener).to_be_visible()
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#modal-content #dialog")).to_be_visible()
    return opener


def test_dialogs_take_the_focus_and_give_it_back(page):
    _demo(page)
    page.goto("/admin/catalog/product/")
    page.get_by_role("link", name="Black soap bar").first.click()
    page.wait_for_selector("input[name=is_active]")
    product_url = page.url
    for width, viewport in WIDTHS:
        page.set_viewport_size(viewport)
        page.goto(product_url)
        page.wait_for_load_state("load")

        # A dialog with fields: its first field takes the focus; Tab stays inside; Escape
        # closes it and the focus is back on the button that opened it.
        opener = _open_by_keyboard(page, width, "Adjust stock")
        page.wait_for_function("document.activeElement.name === 'variation'")
        assert page.locator("#modal-content").get_attribute("role") == "dialog"
        screenshot(page, f"narrow-dialog-{width}")
        for _ in range(8):
            page.keyboard.press("Tab")
            _wait_inside_dialog(page)
        page.keyboard.press("Escape")
        expect(page.locator("#modal-content #dialog")).to_be_hidden()
        page.wait_for_function("el => document.activeElement === el", arg=opener.element_handle())

        # A dialog without fields: its primary button; closed with its cross, by keyboard.
        opener = _open_by_keyboard(page, width, "Duplicate")
        page.wait_for_function(
            "document.activeElement.type === 'submit'"
            " && document.getElementById('modal-content').contains(document.activeElement)"
        )
        # Back to the cross by keyboard, one Shift+Tab at a time, the focus staying inside the
        # dialog (a press before the dialog's content settled could land a stop short).
        on_close = (
            "() => { const el = document.activeElement;"
            " return (el.getAttribute('aria-label') || el.name || el.textContent.trim())"
            " === 'Close'; }"
        )
        for _ in range(4):
            page.keyboard.press("Shift+Tab")
            _wait_inside_dialog(page)
            if page.evaluate(on_close):
                break
        page.wait_for_function(on_close, timeout=5000)
        page.keyboard.press("Enter")
        expect(page.locator("#modal-content #dialog")).to_be_hidden()
        if width == "390":
            # The click on the cross also folded the "..." menu (a click outside it): the focus
            # goes to the menu's button, where the next Enter opens it again.
            expect(opener).to_be_hidden()
            page.wait_for_function(
                "document.activeElement.getAttribute('aria-label') === 'More actions'"
            )
        else:
            page.wait_for_function(
                "el => document.activeElement === el", arg=opener.element_handle()
            )


def test_the_sign_in_pages_focus_their_field(page, staff_user):
    for width, viewport in WIDTHS:
        page.set_viewport_size(viewport)
        page.goto("/admin/login/")
        page.wait_for_function("document.activeElement.name === 'username'")
        screenshot(page, f"narrow-sign-in-{width}")
    page.fill("input[name=username]", staff_user.email)
    page.fill("input[name=password]", "x" * 3 + "wrong")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    # Answered with the form again: the email field has the focus again.
    page.wait_for_function("document.activeElement.name === 'username'")

    page.fill("input[name=username]", staff_user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.wait_for_selector("#mfa-verify-form")
    page.wait_for_function("document.activeElement.name === 'code'")
    screenshot(page, "narrow-second-factor-1440")
