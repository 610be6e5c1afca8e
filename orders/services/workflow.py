"""An order's workflow: staff move it along ``ORDER_MOVES``, the buyer cancels it
until it is shipped (pending or processing, no line shipped) and confirms its delivery once it
is shipped.

Each move locks the order row, is a conditional update, and writes an ``OrderStatusChange`` row
in the same transaction. Cancelling puts the stock back through the ledger (reason "return")
and, when the order's checkout was paid online, records its total as a refund due
(``refunds_due_record``, which the money app hears through ``orders.signals``); shipping the
order marks the lines not shipped yet.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from catalog.models import StockReason
from catalog.services import StockLine, stock_return_many
from core.transitions import StatusMoves
from orders.errors import OrderError, OrderErrorCode
from orders.models import CheckoutPaymentStatus, Order, OrderStatus, OrderStatusChange
from orders.services.notices import notify_status
from orders.signals import order_status_changed, refunds_due
from users.models import User

#: An order's moves. Staff move it along them; the buyer cancels a pending or processing order
#: (none of its lines shipped) and confirms a shipped one delivered. Delivered and cancelled are
#: final.
ORDER_MOVES = StatusMoves(
    "status",
    {
        OrderStatus.PENDING: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
        OrderStatus.PROCESSING: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
        OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    },
)


#: What the buyer may cancel (a processing order only while none of its lines is shipped).
BUYER_CANCELLABLE = (OrderStatus.PENDING, OrderStatus.PROCESSING)
#: A checkout's payment statuses that mean the buyer's money was taken.
PAID_ONLINE = (CheckoutPaymentStatus.PAID, CheckoutPaymentStatus.REFUND_DUE)


def refunds_due_record(*, orders: QuerySet[Order], now: datetime | None = None) -> int:
    """Of ``orders``, the cancelled ones whose checkout was paid online and with no refund
    recorded yet: record their total as due back to the buyer, from ``now``. Returns how many.
    Called when an order is cancelled, and when a payment lands on a checkout whose orders were
    cancelled meanwhile (cancelled while awaiting payment, or expired)."""
    due = list(
        orders.filter(
            status=OrderStatus.CANCELLED,
            refund_due_at__isnull=True,
            checkout__payment_status__in=PAID_ONLINE,
        ).values_list("pk", flat=True)
    )
    if not due:
        return 0
    recorded = Order.objects.filter(pk__in=due, refund_due_at__isnull=True).update(
        refund_due=F("total"), refund_due_at=now or timezone.now()
    )
    refunds_due.send(sender=Order, order_ids=due)
    return recorded


def order_lock(order: Order) -> Order:
    """The order re-read with its row locked until commit, so two status writes on one order
    queue instead of interleaving (PostgreSQL; under SQLite's IMMEDIATE transactions the
    writer already holds the database lock)."""
    no_key = connection.features.has_select_for_no_key_update
    return Order.objects.select_for_update(no_key=no_key).get(pk=order.pk)


def order_transition(*, order: Order, to: OrderStatus, actor: User | None, note: str) -> Order:
    """Move a locked ``order`` to ``to`` if allowed; record it; cancelling returns the stock,
    shipping marks the lines not shipped yet. Moving to the current status changes nothing."""
    current = OrderStatus(order.status)
    if to == current:
        return order
    if not ORDER_MOVES.allows(current, to):
        raise OrderError(
            f"Order {order.number} is {current.label.lower()} and cannot become "
            f"{to.label.lower()}.",
            code=OrderErrorCode.INVALID_TRANSITION,
        )
    if to == OrderStatus.CANCELLED and order.items.filter(shipped_at__isnull=False).exists():
        raise OrderError(
            f"Order {order.number} has lines shipped already and cannot be cancelled.",
            code=OrderErrorCode.LINES_SHIPPED,
        )
    now = timezone.now()
    if ORDER_MOVES.move(Order, pk=order.pk, to=to, updated_at=now) is not None:
        # A backstop: the row is locked, its status cannot have moved.
        raise OrderError(
            f"Order {order.number} changed meanwhile; reload it.",
            code=OrderErrorCode.INVALID_TRANSITION,
        )
    OrderStatusChange.objects.create(
        order=order, from_status=current, to_status=to, actor=actor, note=note[:255]
    )
    order.status, order.updated_at = to, now
    if to == OrderStatus.SHIPPED:
        order.items.filter(shipped_at__isnull=True).update(shipped_at=now, shipped_by=actor)
    elif to == OrderStatus.CANCELLED:
        lines = order.items.filter(variation__isnull=False).values_list("variation_id", "quantity")
        stock_return_many(
            lines=[StockLine(variation_id, quantity) for variation_id, quantity in lines],
            reason=StockReason.RETURN,
            actor=actor,
            note=f"Order {order.number} cancelled",
        )
        if refunds_due_record(orders=Order.objects.filter(pk=order.pk), now=now):
            order.refund_due, order.refund_due_at = order.total, now
    notify_status(order=order, to=to)
    order_status_changed.send(
        sender=Order, order=order, from_status=current, to_status=to, actor=actor
    )
    return order


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise OrderError("Only staff can change an order's status.", code=OrderErrorCode.STAFF_ONLY)


@transaction.atomic
def order_status_change(
    *, order: Order, to: OrderStatus | str, actor: User, note: str = ""
) -> Order:
    """Staff move an order along its workflow (see ``ORDER_MOVES``)."""
    _require_staff(actor)
    return order_transition(order=order_lock(order), to=OrderStatus(to), actor=actor, note=note)


@transaction.atomic
def order_cancel(*, order: Order, actor: User, note: str = "") -> Order:
    """The buyer (or staff) cancels an order until it is shipped: pending, or processing with
    none of its lines shipped (else ``LINES_SHIPPED``). The stock goes back through the ledger;
    a checkout paid online records the order's total as a refund due. Cancelling a cancelled
    order changes nothing."""
    locked = order_lock(order)
    if not actor.is_staff:
        if locked.buyer_id != actor.pk:
            raise OrderError("Only the buyer can cancel this order.", code=OrderErrorCode.NOT_BUYER)
        if locked.status not in (*BUYER_CANCELLABLE, OrderStatus.CANCELLED):
            raise OrderError(
                f"Order {locked.number} is {locked.get_status_display().lower()}: an order "
                "can be cancelled until it is shipped. Contact us to return it.",
                code=OrderErrorCode.NOT_CANCELLABLE,
            )
    return order_transition(
        order=locked,
        to=OrderStatus.CANCELLED,
        actor=actor,
        note=note or ("" if actor.is_staff else "Cancelled by the buyer"),
    )


@transaction.atomic
def order_mark_delivered(*, order: Order, actor: User) -> Order:
    """The buyer confirms a shipped order arrived (staff may too). Confirming a delivered order
    again changes nothing; any other status is refused."""
    locked = order_lock(order)
    if not actor.is_staff and locked.buyer_id != actor.pk:
        raise OrderError("Only the buyer can confirm this delivery.", code=OrderErrorCode.NOT_BUYER)
    if locked.status != OrderStatus.DELIVERED and not ORDER_MOVES.allows(
        locked.status, OrderStatus.DELIVERED
    ):
        raise OrderError(
            f"Order {locked.number} is {locked.get_status_display().lower()}: only a shipped "
            "order can be marked delivered.",
            code=OrderErrorCode.NOT_DELIVERABLE,
        )
    note = "" if actor.is_staff else "Delivery confirmed by the buyer"
    return order_transition(order=locked, to=OrderStatus.DELIVERED, actor=actor, note=note)


def order_status_change_many(
    *, orders: Iterable[Order], to: OrderStatus | str, actor: User
) -> tuple[int, list[OrderError]]:
    """Bulk status change, one transaction per order (pk order) so one refusal does not undo
    the others. Returns (orders changed, refusals); orders already there count as neither."""
    _require_staff(actor)
    changed, refused = 0, []
    for order in sorted(orders, key=lambda o: o.pk):
        before = order.status
        try:
            after = order_status_change(order=order, to=to, actor=actor).status
        except OrderError as error:
            refused.append(error)
        else:
            changed += before != after
    return changed, refused
