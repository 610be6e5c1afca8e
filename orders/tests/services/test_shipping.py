"""Shipping lines: each manufacturer their own; the last line ships the order."""

import pytest

from orders.errors import OrderError, OrderErrorCode
from orders.models import Order, OrderStatusChange
from orders.services import (
    order_lines_ship,
    order_status_change,
)
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db


# --- Shipping lines --------------------------------------------------------------------------


def test_each_manufacturer_ships_their_lines_and_the_last_one_ships_the_order(
    customer, staff_user, manufacturer_a, manufacturer_b, phone, shirt, shirt_m
):
    order = place(customer, line(phone), line(shirt, 2, shirt_m))
    order_status_change(order=order, to="processing", actor=staff_user)

    assert order_lines_ship(order=order, actor=manufacturer_a) == 1

    assert Order.objects.get(pk=order.pk).status == "processing"
    assert list(order.items.order_by("pk").values_list("shipped_by", flat=True)) == [
        manufacturer_a.pk,
        None,
    ]

    assert order_lines_ship(order=order, actor=manufacturer_b) == 1

    assert Order.objects.get(pk=order.pk).status == "shipped"
    last = OrderStatusChange.objects.filter(order=order).first()
    assert (last.from_status, last.to_status, last.actor, last.note) == (
        "processing",
        "shipped",
        manufacturer_b,
        "All lines shipped",
    )


def test_a_manufacturer_cannot_ship_twice_or_others_lines(
    customer, staff_user, manufacturer_a, manufacturer_b, phone
):
    order = place(customer, line(phone))
    order_status_change(order=order, to="processing", actor=staff_user)

    with pytest.raises(OrderError) as caught:
        order_lines_ship(order=order, actor=manufacturer_b)

    assert caught.value.code == OrderErrorCode.NOTHING_TO_SHIP
    assert order.items.get().shipped_at is None
    assert Order.objects.get(pk=order.pk).status == "processing"


def test_lines_of_a_pending_order_cannot_be_shipped(customer, manufacturer_a, phone):
    order = place(customer, line(phone))

    with pytest.raises(OrderError) as caught:
        order_lines_ship(order=order, actor=manufacturer_a)

    assert caught.value.code == OrderErrorCode.NOT_SHIPPABLE
    assert order.items.get().shipped_at is None
