"""The money app's admin pages, one module per area."""

from money import (
    admin_payouts,  # noqa: F401 (registers payout runs, payouts, bank accounts)
    admin_refunds,  # noqa: F401 (registers refunds and the refund-an-order page)
)
