"""Changelist rows named after themselves (templates/admin/change_list_results.html,
backoffice/templatetags/martaf_lists.py): each checkbox says which row it selects, on the site's
lists and the product lists' own row template; orders come 25 a page; no query per row."""

import re

import pytest
from django.urls import reverse

from catalog.tests.sellable import public_product
from orders.models import Order
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db

ORDERS = reverse("admin:orders_order_changelist")
LINES = reverse("admin:orders_orderitem_changelist")
PRODUCTS = reverse("admin:catalog_product_changelist")


def _checkbox_names(html: str) -> list[str]:
    return re.findall(
        r'name="_selected_action" value="[^"]+" class="[^"]*" aria-label="([^"]*)"', html
    )


def _cell_labels(html: str) -> list[str]:
    return re.findall(r'<td class="action-checkbox [^"]*" data-label="([^"]*)"', html)


def test_order_rows_are_named_by_their_number_25_a_page(
    client, staff_user, customer, manufacturer_a, django_assert_num_queries
):
    phone = public_product(manufacturer_a, approver=staff_user, stock=500)
    client.force_login(staff_user)
    place(customer, line(phone))
    with django_assert_num_queries(5):  # as with one order: the names cost nothing per row
        one = client.get(ORDERS).content.decode()
    for _ in range(29):
        place(customer, line(phone))
    with django_assert_num_queries(5):  # as orders/tests/admin/test_orders.py pins it
        page = client.get(ORDERS).content.decode()

    newest = list(Order.objects.order_by("-created_at", "-id").values_list("number", flat=True))
    assert _checkbox_names(one) == [f"Select {newest[-1]}"]
    assert _checkbox_names(page) == [f"Select {number}" for number in newest[:25]]
    assert _cell_labels(page) == newest[:25]
    assert "Select record" not in page
    assert client.get(ORDERS + "?p=2").content.decode().count('name="_selected_action"') == 5


def test_product_rows_are_named_by_the_product(client, manufacturer_a, staff_user):
    public_product(manufacturer_a, approver=staff_user, name='Standing fan 16"')
    client.force_login(manufacturer_a)
    html = client.get(PRODUCTS).content.decode()

    assert _checkbox_names(html) == ["Select Standing fan 16&quot;"]
    assert _cell_labels(html) == ["Standing fan 16&quot;"]
    assert "Select record" not in html
