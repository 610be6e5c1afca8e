"""Real Chromium signs in to the admin as each role and takes screenshots."""


from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in
from conftest import PASSWORD

pytestmark = BROWSER_TEST


def test_login_page_looks_branded(page):
    page.goto("/admin/login/")
    assert "MARTAF" in page.content()
    screenshot(page, "admin-login")


def test_staff_signs_in_and_sees_the_staff_sidebar(page, staff_user):
    sign_in(page, staff_user.email.upper(), PASSWORD)

    page.wait_for_url("**/admin/")
    assert page.get_by_text("Welcome back, Sam").is_visible()
    sidebar = page.locator("#nav-sidebar-apps")
    # Daily work unfolded; People, Communication and the superuser's System section folded.
    assert sidebar.get_by_role("link", name="Products").first.is_visible()
    assert not sidebar.get_by_role("link", name="Failed tasks").is_visible()
    screenshot(page, "admin-dashboard-staff")
    from playwright.sync_api import expect

    sidebar.get_by_role("heading", name="People").click()
    expect(sidebar.get_by_role("link", name="Users")).to_be_visible()
    sidebar.get_by_role("heading", name="System").click()
    expect(sidebar.get_by_role("link", name="Failed tasks")).to_be_visible()
    screenshot(page, "admin-sidebar-system-open")

    page.goto("/admin/users/user/")
    assert page.get_by_role("link", name="staff@martaf.test").is_visible()
    screenshot(page, "admin-users")


def test_manufacturer_signs_in_without_staff_links(page, manufacturer_a):
    sign_in(page, manufacturer_a.email, PASSWORD)

    page.wait_for_url("**/admin/")
    html = page.content()
    assert "Welcome back" in html
    assert "/admin/users/user/" not in html
    assert "/admin/django_q/" not in html
    screenshot(page, "admin-dashboard-manufacturer")


def test_customer_is_turned_away_at_the_door(page, customer):
    sign_in(page, customer.email, PASSWORD)

    # Answered like a wrong password: a right one must not tell a guesser anything.
    assert page.get_by_text("Please enter a correct email address and password.").is_visible()
    assert page.url.endswith("/admin/login/")
