"""The money app's backoffice pages, by area: ``earnings`` (the Earnings page: balance,
entries, CSV, monthly statement), ``orders`` (cash collected, added to the order admin through
``orders.admin.extensions``), ``reports`` (staff's commission revenue report)."""

from money.admin.earnings import EarningsAdmin  # registers

__all__ = ["EarningsAdmin"]
