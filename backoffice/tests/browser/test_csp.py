"""The Content-Security-Policy (core.csp) in real Chromium: the admin's pages (unfold's inline
styles and scripts, Alpine, charts, the notifications websocket) and the API documentation
render without one violation, for staff and for a manufacturer."""

import pytest
from django.urls import reverse

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in
from backoffice.tests.reports_data import build
from catalog.models import Product
from conftest import PASSWORD

pytestmark = BROWSER_TEST

# Every securitypolicyviolation event of the page, kept for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _listen(page) -> list[str]:
    console: list[str] = []
    page.on(
        "console",
        lambda message: console.append(message.text)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return console


def _visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    assert "content-security-policy" in response.headers, url
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # Alpine, charts and the bell start after load
    return page.evaluate("window.__cspViolations")


@pytest.mark.parametrize("who", ["staff", "manufacturer"])
def test_admin_pages_render_without_csp_violations(
    page, who, staff_user, manufacturer_a, manufacturer_b, customer
):
    build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)
    user = staff_user if who == "staff" else manufacturer_a
    console = _listen(page)
    sign_in(page, user.email, PASSWORD)
    page.wait_for_url("**/admin/")
    product = Product.objects.filter(manufacturer=manufacturer_a).first()
    pages = [
        reverse("admin:index"),
        reverse("admin:catalog_product_changelist"),
        reverse("admin:catalog_product_change", args=[product.pk]),
        reverse("admin:catalog_product_add"),
        reverse("admin:imports_productimport_add"),
        reverse("admin:orders_order_changelist"),
        reverse("admin:reports_sales"),
    ]
    if who == "staff":
        pages += [
            reverse("admin:notifications_outboundmessage_changelist"),
            reverse("admin:users_user_changelist"),
        ]
    violations = {url: _visit(page, url) for url in pages}

    assert {url: found for url, found in violations.items() if found} == {}
    assert console == []
    screenshot(page, f"csp-{who}")


def test_the_login_page_and_api_docs_render_without_csp_violations(page):
    console = _listen(page)
    assert _visit(page, reverse("admin:login")) == []
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-tag-section")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
