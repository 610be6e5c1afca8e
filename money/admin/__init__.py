"""The money app's backoffice pages, by area: ``earnings`` (the Earnings page: balance,
entries, CSV, monthly statement), ``orders`` (cash collected, added to the order admin through
``orders.admin.extensions``), ``reports`` (staff's commission revenue report), ``refunds`` (the
refunds and the refund-an-order page, linked from the order page through the same extensions),
and ``money.admin_payouts`` (payout runs, payouts, bank accounts)."""

from money import admin_payouts  # noqa: F401 (registers payout runs, payouts, bank accounts)
from money.admin.earnings import EarningsAdmin  # registers
from money.admin.refunds import RefundAdmin  # registers

__all__ = ["EarningsAdmin", "RefundAdmin"]
