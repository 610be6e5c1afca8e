"""Writes of the manufacturers' money, by area (``from money.services import ...``):

- ``ledger``: ``ledger_entry_add``, the one way an entry is written (once per event).
- ``bank_accounts``: ``bank_account_change`` (a manufacturer's payout account, with history).
- ``payouts``: payout runs, their approval, Paystack transfers and their outcomes, manual
  payouts (docs/payouts.md).
"""

from money.services.ledger import ledger_entry_add

__all__ = ["ledger_entry_add"]
