"""Real Chromium, as staff and as a manufacturer: every report opens, the API documentation
works with the network blocked, and a staff page answers a manufacturer with the admin's 403."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from backoffice.reports.views import REPORTS
from backoffice.tests.chromium import BROWSER_TEST, SCREENSHOTS, screenshot, sign_in
from backoffice.tests.reports_data import build
from conftest import PASSWORD

pytestmark = BROWSER_TEST


@pytest.mark.parametrize("who", ["staff", "manufacturer"])
def test_every_report_opens(page, who, staff_user, manufacturer_a, manufacturer_b, customer):
    build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)
    user = staff_user if who == "staff" else manufacturer_a
    sign_in(page, user.email, PASSWORD)
    page.wait_for_url("**/admin/")

    for report in REPORTS:
        response = page.goto(reverse(f"admin:{report.url_name}"))
        if report.staff_only and who == "manufacturer":
            assert response.status == 403, report.slug  # the marketplace's own figures
            continue
        assert response.status == 200, report.slug
        assert page.get_by_role("heading", name=str(report.title)).first.is_visible()
        html = page.content()
        assert "Server Error" not in html and "Traceback" not in html
        if who == "manufacturer":
            assert "Beta shoe" not in html and "beta.csv" not in html  # maker B's
        screenshot(page, f"report-{report.slug}-{who}")


def test_api_docs_work_with_the_network_blocked(page, live_server):
    local = urlparse(live_server.url).hostname
    blocked: list[str] = []

    def only_localhost(route):
        if urlparse(route.request.url).hostname == local:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_localhost)

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "MARTAF marketplace API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag-section")  # the operations, from /api/schema/
    # The first screen (the whole page is 10,000 px of operations and schemas).
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-docs-offline.png"))

    assert blocked == []  # nothing was even asked of the internet


def test_a_manufacturer_on_a_staff_page_sees_the_admins_403(page, manufacturer_a):
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")

    response = page.goto("/admin/users/user/")

    assert response.status == 403
    assert page.locator("#content").get_by_role("heading", name="You cannot open this page").is_visible()
    assert page.get_by_text("This page is for MARTAF staff").is_visible()
    assert page.locator("#nav-sidebar-apps").get_by_text("Products").is_visible()
    screenshot(page, "error-403-manufacturer")

    page.get_by_role("link", name="Back to the dashboard").click()
    page.wait_for_url("**/admin/")


def test_a_404_for_someone_signed_out_is_a_card_in_the_admins_look(page, staff_user):
    response = page.goto("/admin-typo/")

    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    screenshot(page, "error-404-signed-out")

    page.get_by_role("link", name="Sign in to the backoffice").click()
    page.wait_for_url("**/admin/login/")
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")
    response = page.goto("/admin/catalog/no-such-page/")
    assert response.status == 404
    assert page.locator("#content").get_by_role("heading", name="Page not found").is_visible()
    screenshot(page, "error-404-staff")
