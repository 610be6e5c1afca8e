"""Shipping lines: a manufacturer marks their own lines of a processing order shipped
(staff: any line), with the parcel's carrier and tracking number if they have them; when the
last line ships, the order is shipped. Staff may ship whole orders at once, one parcel each."""

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
    carrier: str = "",
) -> int:
    """Mark the actor's lines of a processing order shipped (all of them, or those of
    ``item_ids``); staff may ship any line. ``carrier`` and ``tracking_number`` are added to the
    order's (an order of several sellers may travel in several parcels: each is listed). When
    no line is left to ship, the order becomes shipped. Returns how many lines were marked."""
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
    parcel_record(order=locked, carrier=carrier, tracking_number=tracking_number)
    if not OrderItem.objects.filter(order=locked, shipped_at__isnull=True).exists():
        order_transition(
            order=locked, to=OrderStatus.SHIPPED, actor=actor, note="All lines shipped"
        )
    return shipped


def _listed(current: str, added: str) -> str:
    """``added`` (spaces squeezed) appended to the comma-separated ``current`` unless there."""
    added = " ".join(added.split())
    known = [n.strip() for n in current.split(",") if n.strip()]
    if not added or added in known:
        return current
    return ", ".join([*known, added])[:200]


def parcel_record(*, order: Order, carrier: str = "", tracking_number: str = "") -> None:
    """Add a parcel's carrier and tracking number to a locked order's (each listed once)."""
    carriers = _listed(order.carrier, carrier)
    numbers = _listed(order.tracking_number, tracking_number)
    if (carriers, numbers) != (order.carrier, order.tracking_number):
        order.carrier, order.tracking_number = carriers, numbers
        Order.objects.filter(pk=order.pk).update(carrier=carriers, tracking_number=numbers)


@transaction.atomic
def order_ship(
    *, order: Order, actor: User, carrier: str = "", tracking_number: str = "", note: str = ""
) -> Order:
    """Staff ship a processing order whole (every line not shipped yet) as one parcel."""
    if not actor.is_staff:
        raise OrderError("Only staff can ship a whole order.", code=OrderErrorCode.STAFF_ONLY)
    locked = order_lock(order)
    moved = order_transition(order=locked, to=OrderStatus.SHIPPED, actor=actor, note=note)
    parcel_record(order=moved, carrier=carrier, tracking_number=tracking_number)
    return moved


def orders_ship_many(
    *, shipments: Iterable[tuple[Order, str, str]], actor: User
) -> tuple[int, list[OrderError]]:
    """``order_ship`` for each (order, carrier, tracking number), one transaction each (pk
    order). Returns (orders shipped, refusals)."""
    shipped, refused = 0, []
    for order, carrier, tracking_number in sorted(shipments, key=lambda s: s[0].pk):
        try:
            before = order.status
            after = order_ship(
                order=order, actor=actor, carrier=carrier, tracking_number=tracking_number
            ).status
        except OrderError as error:
            refused.append(error)
        else:
            shipped += before != after
    return shipped, refused


def order_lines_ship_many(
    *,
    orders: Iterable[Order],
    actor: User,
    item_ids: Collection[int] | None = None,
    tracking_number: str = "",
    carrier: str = "",
    tracking_numbers: dict[int, str] | None = None,
) -> tuple[int, list[OrderError]]:
    """``order_lines_ship`` for several orders, one transaction each (pk order), each with its
    own tracking number from ``tracking_numbers`` (by order id) or the one ``tracking_number``.
    Returns (lines marked shipped, refusals)."""
    shipped, refused = 0, []
    for order in sorted(orders, key=lambda o: o.pk):
        number = (tracking_numbers or {}).get(order.pk, tracking_number)
        try:
            shipped += order_lines_ship(
                order=order, actor=actor, item_ids=item_ids, tracking_number=number,
                carrier=carrier
            )
        except OrderError as error:
            refused.append(error)
    return shipped, refused
