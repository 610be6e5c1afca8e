"""An order's page reads as people write: status history rows and lines without internals."""

import pytest
from django.urls import reverse

from core.money import money_format
from orders.services import order_status_change
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db


def test_status_history_and_lines_read_as_people_write_them(
    client, staff_user, customer, phone, shirt, shirt_m
):
    order = place(customer, line(phone, 2), line(shirt, 1, shirt_m))
    order_status_change(order=order, to="processing", actor=staff_user)
    order_status_change(order=order, to="shipped", actor=staff_user)
    client.force_login(staff_user)

    html = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    assert "Processing → Shipped" in html and "Pending → Processing" in html
    assert staff_user.display_name in html
    # No "12: processing → shipped" heading over each history row, no "2 × Phone" over a line.
    assert f"{order.pk}: processing" not in html and f"{order.pk}: pending" not in html
    assert "2 × Phone" not in html and "1 × Shirt / M" not in html


def test_an_orders_amounts_carry_the_currency(client, staff_user, customer, phone):
    order = place(customer, line(phone, 2))
    client.force_login(staff_user)

    html = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    assert money_format(order.total) in html and money_format(order.subtotal) in html
    assert money_format(order.total).startswith("₦")
