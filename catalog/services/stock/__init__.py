"""The stock family: every write of one or many variations' stock, and its rules.

- ``apply``: one variation (``stock_adjust``, ``stock_set``; ``stock_apply`` under both) and
  the one inventory rule: inventory moves by the stock's delta, ``F() + delta``, never recounted
  (``inventory_move``, one statement per product or per chunk of products).
- ``many``: several lines at once, all or nothing (``stock_take_many``, ``stock_return_many``).
- ``bulk``: thousands of rows in a few statements (``stock_set_many``, ``stock_record_new``).
- ``locks``: the one lock order (``stock_lock_rows``).
- ``alerts``: the one low-stock rule (``low_stock_alert``), run once per write
  (``low_stock_alerts_batched`` around a write of many rows one by one).
"""

from catalog.services.stock.alerts import (
    INDIVIDUAL_ALERTS,
    low_stock_alert,
    low_stock_alerts_batched,
)
from catalog.services.stock.apply import (
    inventory_move,
    stock_adjust,
    stock_apply,
    stock_set,
)
from catalog.services.stock.bulk import stock_record_new, stock_set_many
from catalog.services.stock.locks import stock_lock_rows
from catalog.services.stock.many import (
    InsufficientStockError,
    StockLine,
    StockShortage,
    stock_return_many,
    stock_take_many,
)

__all__ = [
    "INDIVIDUAL_ALERTS",
    "InsufficientStockError",
    "StockLine",
    "StockShortage",
    "inventory_move",
    "low_stock_alert",
    "low_stock_alerts_batched",
    "stock_adjust",
    "stock_apply",
    "stock_lock_rows",
    "stock_record_new",
    "stock_return_many",
    "stock_set",
    "stock_set_many",
    "stock_take_many",
]
