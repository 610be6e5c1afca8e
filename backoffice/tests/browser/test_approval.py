"""Real Chromium, the vendor onboarding journey: a manufacturer signs up, staff open the
notification it left them, review the application and approve it; the new manufacturer signs
in and sees their setup checklist. Screenshots at 1440 px and at a phone's 390 px."""

from django.urls import reverse

from backoffice.tests.applicants import applicant_signed_up
from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from core.roles import ManufacturerStatus
from notifications.models import Notification, NotificationEvent
from users.models import User

pytestmark = BROWSER_TEST

PHONE = {"width": 390, "height": 844}


def _narrow_screenshot(browser, page, name: str) -> None:
    """The page ``page`` shows, opened in a phone-sized window of the same session."""
    context = browser.new_context(viewport=PHONE, base_url=page.url.split("/admin")[0])
    try:
        context.add_cookies(page.context.cookies())
        narrow = context.new_page()
        narrow.goto(page.url)
        narrow.wait_for_load_state("load")
        screenshot(narrow, name)
        # Nothing runs off the side of a phone's screen.
        assert narrow.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_staff_open_the_notification_review_and_approve_then_the_maker_sees_the_checklist(
    page, browser, staff_user
):
    applicant = applicant_signed_up()

    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto(reverse("admin:notifications_notification_changelist") + "?recipient=me")
    # Signed up without a company name: the notice names them by their own name.
    page.get_by_text("Manufacturer awaiting approval: Ama Mensah").click()
    page.wait_for_url(f"**{reverse('admin:onboarding_review', args=[applicant.pk])}")
    wait_for_text(page, "Review manufacturer application")
    assert page.locator("#review-company").inner_text() == "Adinkra Prints"
    assert "Guaranty Trust Bank" in page.locator("#review-bank").inner_text()
    assert "Signed up as a manufacturer." in page.locator("#review-history").inner_text()
    screenshot(page, "approval-review-1440")
    _narrow_screenshot(browser, page, "approval-review-390")

    # Reject needs a reason: the browser holds the empty form back, nothing is sent.
    page.locator("#review-reject").get_by_role("button", name="Reject").click()
    assert page.locator("#review-reject textarea:invalid").count() == 1
    applicant.refresh_from_db()
    assert applicant.manufacturer_status == ManufacturerStatus.PENDING

    page.locator("#review-decision").get_by_role("button", name="Approve").click()
    wait_for_text(page, "adinkra@martaf.test approved.")
    assert "Manufacturer account approved by" in page.locator("#review-history").inner_text()
    screenshot(page, "approval-review-approved-1440")
    applicant.refresh_from_db()
    assert applicant.manufacturer_status == ManufacturerStatus.ACTIVE
    assert Notification.objects.filter(
        user=applicant, event=NotificationEvent.MANUFACTURER_APPROVED
    ).exists()

    page.context.clear_cookies()
    sign_in(page, applicant.email, PASSWORD)
    page.wait_for_url("**/admin/")
    wait_for_text(page, "Get ready to sell: 1 of 4 done")  # the bank details were given
    done = page.locator("#setup-checklist [data-done=true]")
    assert [done.nth(i).get_attribute("data-item") for i in range(done.count())] == ["bank"]
    screenshot(page, "approval-checklist-1440")
    _narrow_screenshot(browser, page, "approval-checklist-390")

    page.locator("#setup-checklist [data-item=profile]").click()
    wait_for_text(page, "Your company profile")
    screenshot(page, "approval-company-profile-1440")
    assert User.objects.get(pk=applicant.pk).manufacturer_status == ManufacturerStatus.ACTIVE
