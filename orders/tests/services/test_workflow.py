"""An order's workflow: cancellation by the buyer or staff, status changes along
``ORDER_MOVES``."""

import pytest

from catalog.models import StockMovement, StockReason, Variation
from notifications.models import Notification
from orders.errors import OrderError, OrderErrorCode
from orders.models import Order, OrderStatus, OrderStatusChange
from orders.services import (
    ORDER_MOVES,
    order_cancel,
    order_lines_ship,
    order_status_change,
    order_status_change_many,
)
from orders.tests.helpers import assert_ledger_agrees, line, place, stock_of

pytestmark = pytest.mark.django_db


# --- Cancellation ----------------------------------------------------------------------------


def test_buyer_cancels_a_pending_order_and_the_stock_comes_back(
    customer, manufacturer_b, phone, shirt, shirt_m
):
    order = place(customer, line(phone, 4), line(shirt, 5, shirt_m))

    order_cancel(order=order, actor=customer)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (10, 5)
    returns = StockMovement.objects.filter(reason=StockReason.RETURN).order_by("variation_id")
    assert [(m.variation_id, m.delta, m.actor, m.note) for m in returns] == [
        (phone.variations.get().pk, 4, customer, f"Order {order.number} cancelled"),
        (shirt_m.pk, 5, customer, f"Order {order.number} cancelled"),
    ]
    change = OrderStatusChange.objects.get(order=order)
    assert (change.from_status, change.to_status, change.actor, change.note) == (
        "pending",
        "cancelled",
        customer,
        "Cancelled by the buyer",
    )
    assert_ledger_agrees(phone, shirt)
    told = Notification.objects.filter(event="order_status_changed").order_by("user__email")
    assert [(n.user, n.title) for n in told] == [
        (customer, f"Order {order.number} is now cancelled"),
        (phone.manufacturer, f"Order {order.number} was cancelled"),
        (manufacturer_b, f"Order {order.number} was cancelled"),
    ]


def test_cancelling_twice_changes_nothing_the_second_time(customer, phone):
    order = place(customer, line(phone, 2))
    order_cancel(order=order, actor=customer)

    order_cancel(order=order, actor=customer)

    assert stock_of(phone.variations.get()) == 10
    assert StockMovement.objects.filter(reason=StockReason.RETURN).count() == 1
    assert OrderStatusChange.objects.count() == 1


def test_buyer_cancels_a_processing_order_and_the_stock_comes_back(customer, staff_user, phone):
    order = place(customer, line(phone, 2))
    order_status_change(order=order, to="processing", actor=staff_user)

    order_cancel(order=order, actor=customer)

    order.refresh_from_db()
    assert (order.status, order.refund_due, order.refund_due_at) == ("cancelled", 0, None)
    assert stock_of(phone.variations.get()) == 10
    assert_ledger_agrees(phone)
    assert OrderStatusChange.objects.filter(order=order).first().from_status == "processing"


def _snapshot(order: Order) -> tuple:
    return (
        Order.objects.filter(pk=order.pk).values_list("status", "refund_due", "updated_at").get(),
        OrderStatusChange.objects.count(),
        StockMovement.objects.filter(reason=StockReason.RETURN).count(),
        Notification.objects.filter(event="order_status_changed").count(),
    )


def test_buyer_cannot_cancel_once_shipped_or_delivered(customer, staff_user, phone):
    order = place(customer, line(phone, 2))
    order_status_change(order=order, to="processing", actor=staff_user)
    for status in ("shipped", "delivered"):
        order_status_change(order=order, to=status, actor=staff_user)
        before = _snapshot(order)

        with pytest.raises(OrderError) as caught:
            order_cancel(order=order, actor=customer)

        assert caught.value.code == OrderErrorCode.NOT_CANCELLABLE
        assert _snapshot(order) == before
        assert stock_of(phone.variations.get()) == 8


def test_buyer_cannot_cancel_a_processing_order_with_a_line_shipped(
    customer, staff_user, manufacturer_a, phone, shirt, shirt_m
):
    order = place(customer, line(phone, 2), line(shirt, 1, shirt_m))
    order_status_change(order=order, to="processing", actor=staff_user)
    order_lines_ship(order=order, actor=manufacturer_a)  # the phone left; the shirt did not
    before = _snapshot(order)

    with pytest.raises(OrderError) as caught:
        order_cancel(order=order, actor=customer)

    assert caught.value.code == OrderErrorCode.LINES_SHIPPED
    assert _snapshot(order) == before
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (8, 4)


def test_another_user_cannot_cancel(customer, other_customer, phone):
    order = place(customer, line(phone, 2))

    with pytest.raises(OrderError) as caught:
        order_cancel(order=order, actor=other_customer)

    assert caught.value.code == OrderErrorCode.NOT_BUYER
    assert Order.objects.get(pk=order.pk).status == "pending"
    assert stock_of(phone.variations.get()) == 8


def test_staff_cancel_a_processing_order(customer, staff_user, phone):
    order = place(customer, line(phone, 2))
    order_status_change(order=order, to="processing", actor=staff_user)

    order_cancel(order=order, actor=staff_user, note="Payment failed")

    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert stock_of(phone.variations.get()) == 10
    assert OrderStatusChange.objects.filter(order=order).first().note == "Payment failed"


def test_cancelling_returns_nothing_for_a_deleted_variation(customer, staff_user, shirt, shirt_m):
    order = place(customer, line(shirt, 1, shirt_m))
    Variation.objects.filter(pk=shirt_m.pk).delete()

    order_cancel(order=order, actor=customer)

    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert not StockMovement.objects.filter(reason=StockReason.RETURN).exists()
    assert order.items.get().variation is None


def test_cancel_is_refused_once_a_line_shipped(customer, staff_user, manufacturer_a, phone, shirt,
                                                 shirt_m):
    order = place(customer, line(phone), line(shirt, 1, shirt_m))
    order_status_change(order=order, to="processing", actor=staff_user)
    order_lines_ship(order=order, actor=manufacturer_a)

    with pytest.raises(OrderError) as caught:
        order_status_change(order=order, to="cancelled", actor=staff_user)

    assert caught.value.code == OrderErrorCode.LINES_SHIPPED
    assert Order.objects.get(pk=order.pk).status == "processing"
    assert stock_of(phone.variations.get()) == 9


# --- Status ----------------------------------------------------------------------------------


ALL_STATUSES = list(OrderStatus)
PATH_TO = {
    OrderStatus.PENDING: [],
    OrderStatus.PROCESSING: [OrderStatus.PROCESSING],
    OrderStatus.SHIPPED: [OrderStatus.PROCESSING, OrderStatus.SHIPPED],
    OrderStatus.DELIVERED: [OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED],
    OrderStatus.CANCELLED: [OrderStatus.CANCELLED],
}

# The moves as they are today, written out: ORDER_MOVES must stay exactly these.
MOVES_TODAY = {
    ("pending", "processing"),
    ("pending", "cancelled"),
    ("processing", "shipped"),
    ("processing", "cancelled"),
    ("shipped", "delivered"),
}


def test_the_order_moves_are_exactly_todays():
    allowed = {(s, t) for s in ALL_STATUSES for t in ALL_STATUSES if ORDER_MOVES.allows(s, t)}
    assert allowed == MOVES_TODAY
    assert {s: ORDER_MOVES.targets(s) for s in ALL_STATUSES} == {
        s: {t for f, t in MOVES_TODAY if f == s} for s in ALL_STATUSES
    }


@pytest.mark.parametrize("start", ALL_STATUSES)
@pytest.mark.parametrize("to", ALL_STATUSES)
def test_status_moves_only_along_the_workflow(customer, staff_user, phone, start, to):
    order = place(customer, line(phone))
    for step in PATH_TO[start]:
        order_status_change(order=order, to=step, actor=staff_user)
    changes_before = OrderStatusChange.objects.count()

    if to == start:
        order_status_change(order=order, to=to, actor=staff_user)
        assert OrderStatusChange.objects.count() == changes_before
    elif (start, to) in MOVES_TODAY:
        order_status_change(order=order, to=to, actor=staff_user, note="ok")
        last = OrderStatusChange.objects.filter(order=order).first()
        assert (last.from_status, last.to_status, last.actor, last.note) == (
            start,
            to,
            staff_user,
            "ok",
        )
    else:
        with pytest.raises(OrderError) as caught:
            order_status_change(order=order, to=to, actor=staff_user)
        assert caught.value.code == OrderErrorCode.INVALID_TRANSITION
        assert caught.value.message == (
            f"Order {order.number} is {start.label.lower()} and cannot become "
            f"{to.label.lower()}."
        )
        assert OrderStatusChange.objects.count() == changes_before
    expected = to if (to == start or (start, to) in MOVES_TODAY) else start
    assert Order.objects.get(pk=order.pk).status == expected


def test_only_staff_change_the_status(customer, manufacturer_a, phone):
    order = place(customer, line(phone))

    for actor in (customer, manufacturer_a):
        with pytest.raises(OrderError) as caught:
            order_status_change(order=order, to="processing", actor=actor)
        assert caught.value.code == OrderErrorCode.STAFF_ONLY
    assert Order.objects.get(pk=order.pk).status == "pending"
    assert not OrderStatusChange.objects.exists()


def test_the_buyer_is_told_of_each_status_change(customer, staff_user, phone):
    order = place(customer, line(phone))

    order_status_change(order=order, to="processing", actor=staff_user)
    order_status_change(order=order, to="shipped", actor=staff_user)

    told = Notification.objects.filter(event="order_status_changed", user=customer)
    assert sorted(n.title for n in told) == [
        f"Order {order.number} is now processing",
        f"Order {order.number} is now shipped",
    ]


def test_staff_shipping_the_order_marks_every_line_shipped(customer, staff_user, phone, shirt,
                                                          shirt_m):
    order = place(customer, line(phone), line(shirt, 1, shirt_m))
    order_status_change(order=order, to="processing", actor=staff_user)

    order_status_change(order=order, to="shipped", actor=staff_user)

    assert list(order.items.values_list("shipped_by", flat=True)) == [staff_user.pk] * 2
    assert not order.items.filter(shipped_at__isnull=True).exists()


def test_bulk_status_change_reports_refusals_and_keeps_the_rest(customer, staff_user, phone):
    pending = place(customer, line(phone))
    cancelled = place(customer, line(phone))
    order_cancel(order=cancelled, actor=customer)

    changed, refusals = order_status_change_many(
        orders=Order.objects.all(), to="processing", actor=staff_user
    )

    assert changed == 1
    assert [r.code for r in refusals] == [OrderErrorCode.INVALID_TRANSITION]
    assert Order.objects.get(pk=pending.pk).status == "processing"
    assert Order.objects.get(pk=cancelled.pk).status == "cancelled"
