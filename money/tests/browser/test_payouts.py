"""Real Chromium: a manufacturer gives their bank details (the name resolved by the fake
Paystack); staff make a payout run, review it, approve it, and see the payouts go out; the
manufacturer sees their payout. Screenshots of each page."""

from decimal import Decimal

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from money.models import BankAccount, Payout, PayoutStatus
from money.tests.helpers import bank_account, earning
from orders.tests.helpers import public_product
from users.tests.mfa_helpers import totp_give

pytestmark = BROWSER_TEST


def test_bank_details_then_a_payout_run_reviewed_approved_and_paid(
    page, paystack, settings, staff_user, manufacturer_a, manufacturer_b, customer, phone
):
    settings.PAYOUT_MINIMUM = Decimal("1000")
    paystack.accounts[("058", "0123456789")] = "MAKER A LIMITED"
    earning(manufacturer_a, customer, phone, "1500.00")
    earning(manufacturer_a, customer, phone, "18250.75")
    stool = public_product(manufacturer_b, approver=staff_user, name="Stool")
    earning(manufacturer_b, customer, stool, "2750.50")
    bank_account(manufacturer_b, "1111111111", code="044", name="MAKER B ENTERPRISES")

    # The manufacturer gives their bank details (after their second factor, which bank
    # details need).
    totp_give(manufacturer_a)
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.goto("/admin/money/bankaccount/")
    page.get_by_role("link", name="Change bank details").click()
    page.wait_for_selector("#bank-details-form")
    page.select_option("select[name=bank_code]", label="Guaranty Trust Bank")
    page.fill("input[name=account_number]", "0123456789")
    screenshot(page, "payouts-bank-details-form")
    page.get_by_role("button", name="Save bank details").click()
    wait_for_text(page, "Your bank details are saved")
    assert page.get_by_text("MAKER A LIMITED").first.is_visible()
    screenshot(page, "payouts-bank-accounts-manufacturer")
    assert BankAccount.objects.get(manufacturer=manufacturer_a).account_name == "MAKER A LIMITED"

    # Staff make a run and review it.
    page.context.clear_cookies()
    sign_in(page, staff_user.email, PASSWORD)
    page.goto("/admin/money/payoutrun/")
    page.get_by_role("link", name="New payout run").click()
    page.wait_for_selector("#dialog")
    page.locator("#dialog").get_by_role("button", name="Make the run").click()
    wait_for_text(page, "Review the run, then approve it to pay.")
    assert page.get_by_text("₦19,750.75").first.is_visible()
    assert page.get_by_text("₦2,750.50").first.is_visible()
    screenshot(page, "payouts-run-review")

    page.get_by_role("link", name="Approve and pay").click()
    page.wait_for_selector("#dialog")
    screenshot(page, "payouts-run-approve-dialog")
    page.locator("#dialog").get_by_role("button", name="Approve and pay").click()
    wait_for_text(page, "2 payouts approved and on their way.")
    screenshot(page, "payouts-run-approved")

    assert len(paystack.transfers) == 2  # sent through the fake Paystack
    assert set(Payout.objects.values_list("status", flat=True)) == {PayoutStatus.SENDING}
    page.goto("/admin/money/payout/")
    wait_for_text(page, "MAKER A LIMITED")
    screenshot(page, "payouts-list-staff")

    # The manufacturer sees their own payout only.
    page.context.clear_cookies()
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.goto("/admin/money/payout/")
    wait_for_text(page, "₦19,750.75")
    assert page.get_by_text("₦2,750.50").count() == 0
    screenshot(page, "payouts-list-manufacturer")
