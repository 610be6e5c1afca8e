"""Writes of the manufacturers' money, by area (``from money.services import ...``):

- ``ledger``: ``ledger_entry_add``, the one way an entry is written (once per event).
- ``earnings``: a delivered order's earning and commission (``order_earning_record``), cash
  collected on delivery (``order_cash_collect``).
"""

from money.services.earnings import order_cash_collect, order_earning_record, order_shares
from money.services.ledger import ledger_entry_add

__all__ = ["ledger_entry_add", "order_cash_collect", "order_earning_record", "order_shares"]
