"""Real Chromium: staff find a payment that matched no checkout, from the sidebar to the
checkout it names, which says why it expired."""

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from orders.models import Checkout, CheckoutPaymentStatus
from orders.services import checkout_payment_record, checkout_place

pytestmark = BROWSER_TEST


def test_staff_follow_a_payment_mismatch_to_its_expired_checkout(
    page, customer, staff_user, paystack, two_maker_cart
):
    checkout = checkout_place(buyer=customer).checkout
    Checkout.objects.filter(pk=checkout.pk).update(
        payment_status=CheckoutPaymentStatus.EXPIRED,
        expiry_reason="Payment not received in time (Paystack refused the call: Transaction "
        "reference not found)",
    )
    checkout_payment_record(
        reference=checkout.paystack_reference, amount_kobo=23000, currency="USD", source="webhook"
    )

    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Payment mismatches").click()
    wait_for_text(page, "Currency differs from the shop's")
    assert page.get_by_text("USD 230.00").is_visible()
    screenshot(page, "orders-payment-mismatches")
    page.get_by_role("link", name=f"#{checkout.pk}").click()
    wait_for_text(page, "Transaction reference not found")
    assert page.get_by_text("Expired unpaid").first.is_visible()
    screenshot(page, "orders-checkout-expired")
