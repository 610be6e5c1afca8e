"""Writes of the manufacturers' money, by area (``from money.services import ...``):

- ``ledger``: ``ledger_entry_add``, the one way an entry is written (once per event).
- ``bank_accounts``: ``bank_account_change`` (a manufacturer's payout account, with history).
- ``payouts``: payout runs, their approval, Paystack transfers and their outcomes, manual
  payouts (docs/payouts.md).
- ``earnings``: a delivered order's earning and commission (``order_earning_record``), cash
  collected on delivery (``order_cash_collect``).
"""

from money.services.earnings import order_cash_collect, order_earning_record, order_shares
from money.services.ledger import ledger_entry_add

__all__ = ["ledger_entry_add", "order_cash_collect", "order_earning_record", "order_shares"]
