"""What the order services tell people: the buyer once per purchase and each seller of their
own order when orders are placed, the buyer on every status change, the sellers when an order
is cancelled.

A checkout split between manufacturers is one purchase to its buyer: one "order placed" notice
(and so one email and SMS) naming every order and seller (``notice_checkout_placed``, sent by
the checkout once its orders are placed), while each seller hears of their own order as it is
placed (``notices_placed``). The notices of one placement are written together
(``notify_many``: one INSERT of notifications, one of emails and SMS). An order placed on its
own (the REST order API) tells its buyer itself.

``notify`` delivers after commit, so a refused or rolled-back write tells nobody.
"""

from decimal import Decimal

from core.money import money_format
from notifications.services import Notice, notify
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors import order_manufacturers, sellers_of_items
from users.models import User


def _admin_link(order: Order) -> str:
    return f"/admin/orders/order/{order.pk}/change/"


def notices_placed(
    *, order: Order, items: list[OrderItem], buyer: User, tell_buyer: bool
) -> list[Notice]:
    """Each seller hears of their own lines only; the buyer of the whole order when
    ``tell_buyer`` (an order placed on its own: a checkout tells its buyer once, with
    ``notice_checkout_placed``). The caller sends them all at once (``notify_many``)."""
    notices = []
    if tell_buyer:
        notices.append(Notice(
            event="order_placed",
            recipients=[buyer],
            context={"order_number": order.number, "total": money_format(order.total)},
            link=f"/orders/{order.pk}",
        ))
    by_manufacturer: dict[int, list[OrderItem]] = {}
    for item in items:
        if item.manufacturer_id is not None:
            by_manufacturer.setdefault(item.manufacturer_id, []).append(item)
    for manufacturer_id in sorted(by_manufacturer):
        own = by_manufacturer[manufacturer_id]
        total = money_format(sum((item.line_total for item in own), Decimal("0")))
        units = sum(item.quantity for item in own)
        notices.append(Notice(
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
        ))
    return notices


def notice_checkout_placed(*, orders: list[Order], buyer: User) -> Notice:
    """The buyer's one notice of a checkout: every order it placed (one per manufacturer), with
    its number, seller and total, and the checkout's total (the orders' ``placed_items`` with
    their sellers, as ``orders_place`` left them: no query)."""
    orders = sorted(orders, key=lambda order: order.pk)
    sellers = {order.pk: sellers_of_items(order.placed_items) for order in orders}
    total = money_format(sum((order.total for order in orders), Decimal("0")))
    lines = [
        f"- {order.number} from {', '.join(sellers.get(order.pk, [])) or 'MARTAF'}: "
        f"{money_format(order.total)}"
        for order in orders
    ]
    numbers = [order.number for order in orders]
    if len(orders) == 1:
        title = f"Order {numbers[0]} placed"
        body = f"Order {numbers[0]} has been placed. Total: {total}.\n" + lines[0]
        link = f"/orders/{orders[0].pk}"
    else:
        title = (
            f"Orders {', '.join(numbers[:-1])} and {numbers[-1]} placed"
            if len(numbers) <= 3
            else f"Your {len(numbers)} orders are placed"
        )
        body = (
            f"Your purchase has been placed as {len(orders)} orders, one per seller. "
            f"Total: {total}.\n" + "\n".join(lines)
        )
        link = "/orders"
    return Notice(
        event="order_placed",
        recipients=[buyer],
        context={"order_number": ", ".join(numbers), "total": total, "title": title,
                 "body": body},
        link=link,
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
