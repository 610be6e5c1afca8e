"""Real Chromium: a manufacturer awaiting approval sees only their status page and profile
form; staff approve them from the review page the user's page links to; the lockout page keeps
the admin's look."""

from django.conf import settings
from django.urls import reverse

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from core.roles import ManufacturerStatus
from money.models import BankAccount
from notifications.models import Notification, NotificationEvent
from users.models import ManufacturerProfile, User

pytestmark = BROWSER_TEST


def test_pending_manufacturer_fills_their_profile_and_staff_approve_them(
    page, manufacturer_a, staff_user
):
    User.objects.filter(pk=manufacturer_a.pk).update(
        manufacturer_status=ManufacturerStatus.PENDING
    )

    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")
    assert page.get_by_text("Your account is awaiting approval").is_visible()
    page.fill("input[name=display_name]", "Adinkra Prints")
    page.select_option("select[name=bank_code]", label="Guaranty Trust Bank")
    page.fill("input[name=account_number]", "0123456789")
    page.get_by_role("button", name="Save profile").click()
    wait_for_text(page, "Your profile is saved.")
    assert ManufacturerProfile.objects.get(user=manufacturer_a).display_name == "Adinkra Prints"
    assert BankAccount.objects.get(manufacturer=manufacturer_a).bank_code == "058"
    screenshot(page, "onboarding-awaiting-approval")

    page.goto("/admin/catalog/product/")  # any other page: back to the status page
    page.wait_for_url("**/admin/")
    assert page.get_by_text("Your account is awaiting approval").is_visible()

    page.context.clear_cookies()
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto(reverse("admin:users_user_change", args=[manufacturer_a.pk]))
    assert page.get_by_text("Awaiting approval").first.is_visible()
    screenshot(page, "onboarding-user-page-pending")
    # The user's page sends an application to its review page, where it is decided.
    page.get_by_role("link", name="Review application").click()
    wait_for_text(page, "Review manufacturer application")
    page.locator("#review-decision").get_by_role("button", name="Approve").click()
    wait_for_text(page, "maker.a@martaf.test approved.")
    screenshot(page, "onboarding-review-approved")

    manufacturer_a.refresh_from_db()
    assert manufacturer_a.manufacturer_status == ManufacturerStatus.ACTIVE
    assert Notification.objects.filter(
        user=manufacturer_a, event=NotificationEvent.MANUFACTURER_APPROVED
    ).exists()

    page.context.clear_cookies()
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")
    assert page.get_by_text("Welcome back").is_visible()


def test_the_lockout_page_keeps_the_admins_look(page, staff_user):
    for _ in range(settings.SIGNIN_PAIR_FAILURE_LIMIT + 1):
        sign_in(page, staff_user.email, "wrong-password")

    assert page.get_by_text("Too many failed sign-ins").is_visible()
    assert page.locator("#login-form").is_visible()
    screenshot(page, "admin-login-locked-out")
