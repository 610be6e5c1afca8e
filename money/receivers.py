"""How the money app hears the orders app (``orders.signals``, sent inside the transaction
that made the change, so these writes commit or roll back with it). Connected once, in
``MoneyConfig.ready``.

Each area has its own block below; a receiver only calls a service.
"""

from money.services.earnings import order_earning_record
from orders.models import Order, OrderStatus
from orders.signals import order_status_changed

# --- Earnings: a delivered order paid online earns its seller their sale, less commission ----


def earning_on_delivery(sender, *, order: Order, to_status: str, **kwargs) -> None:
    if to_status == OrderStatus.DELIVERED:
        order_earning_record(order=order)


def connect() -> None:
    """Connect every receiver of this module (idempotent: each has a ``dispatch_uid``)."""
    order_status_changed.connect(
        earning_on_delivery, sender=Order, dispatch_uid="money.earning_on_delivery"
    )
