"""Shipping lines: a manufacturer marks their own lines of a processing order shipped
(staff: any line), with the parcel's tracking number if they have one; when the last line
ships, the order is shipped."""

from collections.abc import Collection, Iterable

from django.db import transaction
from django.utils import timezone

from orders.errors import OrderError, OrderErrorCode
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors import order_items_visible_to
from orders.services.workflow import order_lock, order_transition
from users.models import User


@transaction.atomic
def order_lines_ship(
    *,
    order: Order,
    actor: User,
    item_ids: Collection[int] | None = None,
    tracking_number: str = "",
) -> int:
    """Mark the actor's lines of a processing order shipped (all of them, or those of
    ``item_ids``); staff may ship any line. ``tracking_number`` is added to the order's (an
    order of several sellers may travel in several parcels: their numbers are listed). When no
    line is left to ship, the order becomes shipped. Returns how many lines were marked."""
    locked = order_lock(order)
    if locked.status != OrderStatus.PROCESSING:
        raise OrderError(
            f"Order {locked.number} is {locked.get_status_display().lower()}: lines are "
            "shipped once it is processing.",
            code=OrderErrorCode.NOT_SHIPPABLE,
        )
    lines = order_items_visible_to(user=actor).filter(order=locked, shipped_at__isnull=True)
    if item_ids is not None:
        lines = lines.filter(pk__in=item_ids)
    shipped = lines.update(shipped_at=timezone.now(), shipped_by=actor)
    if not shipped:
        raise OrderError(
            f"Order {locked.number} has none of your lines left to ship.",
            code=OrderErrorCode.NOTHING_TO_SHIP,
        )
    tracking_number = " ".join(tracking_number.split())
    known = [n.strip() for n in locked.tracking_number.split(",") if n.strip()]
    if tracking_number and tracking_number not in known:
        locked.tracking_number = ", ".join([*known, tracking_number])[:200]
        Order.objects.filter(pk=locked.pk).update(tracking_number=locked.tracking_number)
    if not OrderItem.objects.filter(order=locked, shipped_at__isnull=True).exists():
        order_transition(
            order=locked, to=OrderStatus.SHIPPED, actor=actor, note="All lines shipped"
        )
    return shipped


def order_lines_ship_many(
    *,
    orders: Iterable[Order],
    actor: User,
    item_ids: Collection[int] | None = None,
    tracking_number: str = "",
) -> tuple[int, list[OrderError]]:
    """``order_lines_ship`` for several orders, one transaction each (pk order). Returns
    (lines marked shipped, refusals)."""
    shipped, refused = 0, []
    for order in sorted(orders, key=lambda o: o.pk):
        try:
            shipped += order_lines_ship(
                order=order, actor=actor, item_ids=item_ids, tracking_number=tracking_number
            )
        except OrderError as error:
            refused.append(error)
    return shipped, refused
