"""Sales → Orders, "Export selected as CSV": scoped like every export, formula-safe, money as
numbers with the currency in the header."""

import csv
import io

import pytest
from django.urls import reverse

from orders.models import Order
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db

ORDERS = reverse("admin:orders_order_changelist")


@pytest.fixture
def mixed_order(customer, phone, shirt, shirt_m):
    """One order with a line of manufacturer A (phone) and one of manufacturer B (shirt M)."""
    return place(customer, line(phone, 2), line(shirt, 1, shirt_m))


def export(client, *orders, select_across=False) -> tuple[int, list[dict]]:
    data = {"action": "export_csv", "_selected_action": [o.pk for o in orders]}
    if select_across:
        data["select_across"] = "1"
    response = client.post(ORDERS, data)
    if response.status_code != 200 or response["Content-Type"] != "text/csv; charset=utf-8":
        return response.status_code, []
    text = response.content.decode("utf-8-sig")
    return 200, list(csv.DictReader(io.StringIO(text)))


def test_staff_export_whole_orders(client, staff_user, mixed_order):
    client.force_login(staff_user)

    status, rows = export(client, mixed_order)

    assert status == 200 and len(rows) == 1
    [row] = rows
    assert row["number"] == mixed_order.number
    assert row["buyer email"] == mixed_order.buyer.email
    assert row["total (NGN)"] == str(mixed_order.total)
    assert row["lines"] == "2"


def test_a_manufacturer_exports_their_lines_figures_only(client, manufacturer_a, mixed_order):
    client.force_login(manufacturer_a)

    status, [row] = export(client, mixed_order)

    assert status == 200
    assert row["your total (NGN)"] == "200.00"  # 2 phones x 100.00; B's shirt is not theirs
    assert row["lines"] == "1"
    assert "buyer email" not in row and "total (NGN)" not in row


def test_a_manufacturer_cannot_export_anothers_order(client, manufacturer_b, customer, phone):
    theirs = place(customer, line(phone))  # manufacturer A's only
    client.force_login(manufacturer_b)

    status, rows = export(client, theirs)
    _status, everything = export(client, theirs, select_across=True)

    assert rows == [] and everything == []  # not in B's list: nothing selected, nothing exported


def test_select_all_exports_the_filtered_list(client, staff_user, customer, phone):
    orders = [place(customer, line(phone)) for _ in range(3)]
    client.force_login(staff_user)

    _status, rows = export(client, orders[0], select_across=True)

    assert sorted(r["number"] for r in rows) == sorted(o.number for o in orders)


def test_cells_are_safe_to_open_in_a_spreadsheet(client, staff_user, mixed_order):
    Order.objects.filter(pk=mixed_order.pk).update(shipping_name='=HYPERLINK("http://x","y")')
    client.force_login(staff_user)

    _status, [row] = export(client, mixed_order)

    assert row["name"] == '\'=HYPERLINK("http://x","y")'
