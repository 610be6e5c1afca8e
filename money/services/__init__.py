"""Writes of the manufacturers' money, by area (``from money.services import ...``):

- ``ledger``: ``ledger_entry_add``, the one way an entry is written (once per event).
"""

from money.services.ledger import ledger_entry_add

__all__ = ["ledger_entry_add"]
