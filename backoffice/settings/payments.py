"""Checkout and payment (orders app): Paystack and how long an unpaid checkout holds its stock.

Without ``PAYSTACK_SECRET_KEY`` checkout is pay-on-delivery (docs/api.md#payment).
"""

from core.env import env_decimal, env_int, env_str

from .base import BACKOFFICE_URL

# --- Payments ---------------------------------------------------------------------------------

PAYSTACK_SECRET_KEY = env_str("PAYSTACK_SECRET_KEY")
PAYSTACK_API_URL = env_str("PAYSTACK_API_URL", "https://api.paystack.co").rstrip("/")
# Where Paystack sends the buyer back after paying: this site verifies the payment, then
# redirects to the storefront's order-success page.
PAYSTACK_CALLBACK_URL = env_str("PAYSTACK_CALLBACK_URL", f"{BACKOFFICE_URL}/paystack/callback/")
PAYSTACK_HTTP_TIMEOUT_SECONDS = env_int("PAYSTACK_HTTP_TIMEOUT_SECONDS", 15)
# An unpaid Paystack checkout keeps its stock this long; then its orders are cancelled and the
# stock goes back (the sweep runs every minute in the worker).
PAYSTACK_PAYMENT_TIMEOUT_MINUTES = env_int("PAYSTACK_PAYMENT_TIMEOUT_MINUTES", 30)
# When Paystack cannot be reached to ask about an unpaid checkout past its deadline, the sweep
# keeps trying this long, then expires it anyway (a payment confirmed later is "refund due").
# A refusal (unknown reference, invalid key) expires it at once.
PAYSTACK_UNREACHABLE_GRACE_MINUTES = env_int("PAYSTACK_UNREACHABLE_GRACE_MINUTES", 60)
# What one buyer may hold unpaid (Paystack checkouts awaiting payment), so that nobody can
# take a product off sale by checking it out and not paying: open checkouts, and units of any
# one product across them.
CHECKOUT_UNPAID_MAX_CHECKOUTS = env_int("CHECKOUT_UNPAID_MAX_CHECKOUTS", 3)
CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT = env_int("CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT", 20)

# --- The manufacturers' money (money app) -----------------------------------------------------

# The marketplace's commission when staff have set no default rule (percent of each line's price
# after discounts; never on shipping).
COMMISSION_DEFAULT_PERCENT = env_decimal("COMMISSION_DEFAULT_PERCENT", "10")
# A sale's earning is pending this many days after delivery, then available for a payout.
PAYOUT_HOLD_DAYS = env_int("PAYOUT_HOLD_DAYS", 7)
# A payout run includes a manufacturer whose available balance is at least this much.
PAYOUT_MINIMUM = env_decimal("PAYOUT_MINIMUM", "1000")
