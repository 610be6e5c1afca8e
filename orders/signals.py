"""What the orders app tells the layers above it (the money app keeps the manufacturers'
ledger), sent inside the transaction that made the change, so a receiver's writes commit or
roll back with it. Signals, not calls: ``orders`` sits below ``money`` and cannot import it.

- ``order_status_changed(order, from_status, to_status, actor)``: after an order moved (the
  order row is locked; ``order.status`` is the new status).
- ``refunds_due(order_ids)``: orders of a checkout paid online were cancelled (by the buyer or
  staff, or before the payment landed: expired, "paid late"): each one's total is due back to
  the buyer (``Order.refund_due``). Sent once per order.
"""

from django.dispatch import Signal

order_status_changed = Signal()
refunds_due = Signal()
