"""Real Chromium through the second factor: a staff member without TOTP sets it up (QR code,
first code, recovery codes), signs out, and signs in again with password then code; a
manufacturer turns it on from the sidebar. Screenshots of each step."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from backoffice.tests.chromium import BROWSER_TEST, screenshot, wait_for_text
from conftest import PASSWORD
from users.services import user_create
from users.tests.mfa_helpers import totp_code

pytestmark = BROWSER_TEST


def _password_step(page, email: str) -> None:
    page.goto("/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def _code_from_page(page) -> str:
    secret = page.locator("#totp-secret").inner_text().strip()
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_set_up_totp_then_sign_in_with_a_code(page, db):
    staff = user_create(
        email="new.staff@martaf.test", password=PASSWORD, is_staff=True, first_name="Efua"
    )

    _password_step(page, staff.email)
    page.wait_for_url("**/admin/two-factor/")
    expect(page.locator("#totp-qr")).to_be_visible()
    assert page.locator("#totp-qr").evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_text("Staff accounts need a second factor")).to_be_visible()
    screenshot(page, "two-factor-setup")

    page.fill("#mfa-setup-form input[name=code]", _code_from_page(page))
    page.click("#mfa-setup-form button[type=submit]")
    wait_for_text(page, "Your recovery codes")
    assert page.locator("#recovery-codes li").count() == 10
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="I have saved them: continue").click()
    page.wait_for_url("**/admin/")
    expect(page.get_by_text("Welcome back, Efua")).to_be_visible()

    page.context.clear_cookies()
    _password_step(page, staff.email)
    page.wait_for_url("**/admin/two-factor/verify/**")
    expect(page.locator("#mfa-verify-form")).to_be_visible()
    screenshot(page, "two-factor-sign-in-step")
    page.fill("input[name=code]", "000000" if totp_code(staff) != "000000" else "111111")
    page.click("#mfa-verify-form button[type=submit]")
    wait_for_text(page, "That code is not right")
    screenshot(page, "two-factor-wrong-code")
    page.fill("input[name=code]", totp_code(staff))
    page.click("#mfa-verify-form button[type=submit]")
    page.wait_for_url("**/admin/")
    expect(page.get_by_text("Welcome back, Efua")).to_be_visible()


def test_a_manufacturer_turns_two_factor_on_from_the_sidebar(page, manufacturer_a):
    _password_step(page, manufacturer_a.email)
    page.wait_for_url("**/admin/")

    page.locator("#nav-sidebar-apps").get_by_role("link", name="Two-factor sign-in").click()
    wait_for_text(page, "Set up two-factor sign-in")
    page.fill("#mfa-setup-form input[name=code]", _code_from_page(page))
    page.click("#mfa-setup-form button[type=submit]")
    wait_for_text(page, "Your recovery codes")
    page.goto("/admin/two-factor/")
    wait_for_text(page, "Two-factor sign-in is on")
    expect(page.get_by_role("button", name="Turn two-factor sign-in off")).to_be_visible()
    screenshot(page, "two-factor-on-manufacturer")
