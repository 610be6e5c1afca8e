"""What the order services tell people: the buyer and each seller when an order is placed,
the buyer on every status change, the sellers when an order is cancelled.

``notify`` delivers after commit, so a refused or rolled-back write tells nobody.
"""

from decimal import Decimal

from core.money import money_format
from notifications.services import notify
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors import order_manufacturers
from users.models import User


def _admin_link(order: Order) -> str:
    return f"/admin/orders/order/{order.pk}/change/"


def notify_placed(*, order: Order, items: list[OrderItem], buyer: User) -> None:
    """The buyer hears of the whole order; each seller of their own lines only."""
    notify(
        event="order_placed",
        recipients=[buyer],
        context={"order_number": order.number, "total": money_format(order.total)},
        link=f"/orders/{order.pk}",
    )
    by_manufacturer: dict[int, list[OrderItem]] = {}
    for item in items:
        if item.manufacturer_id is not None:
            by_manufacturer.setdefault(item.manufacturer_id, []).append(item)
    for manufacturer_id in sorted(by_manufacturer):
        own = by_manufacturer[manufacturer_id]
        total = money_format(sum((item.line_total for item in own), Decimal("0")))
        units = sum(item.quantity for item in own)
        notify(
            event="order_placed",
            recipients=[own[0].manufacturer],
            context={
                "order_number": order.number,
                "total": total,
                # Per seller: their lines only, never the rest of the buyer's basket.
                "title": f"New order {order.number}",
                "body": f"Order {order.number} includes {units} unit(s) of your products. "
                f"Your total: {total}.",
            },
            link=_admin_link(order),
        )


def notify_status(*, order: Order, to: OrderStatus) -> None:
    context = {"order_number": order.number, "status": to.label.lower()}
    if order.buyer_id is not None:
        refund = (
            {
                "body": f"Order {order.number} was cancelled. The {money_format(order.refund_due)}"
                " you paid for it is due back to you: we will refund it.",
            }
            if to == OrderStatus.CANCELLED and order.refund_due_at
            else {}
        )
        notify(
            event="order_status_changed",
            recipients=[User.objects.get(pk=order.buyer_id)],
            context={**context, **refund},
            link=f"/orders/{order.pk}",
        )
    if to == OrderStatus.CANCELLED:
        notify(
            event="order_status_changed",
            recipients=order_manufacturers(order=order),
            context={
                **context,
                "title": f"Order {order.number} was cancelled",
                "body": f"Order {order.number} was cancelled: do not ship its lines. "
                "Their stock is back in your inventory.",
            },
            link=_admin_link(order),
        )
