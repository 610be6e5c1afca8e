"""Who sees which orders and lines: the selectors, and every admin URL by direct id.

Manufacturer B reaching an order that holds only manufacturer A's lines (or A's line of a
shared order) gets no page and changes nothing.
"""

import pytest
from django.urls import reverse

from orders.models import Order, OrderItem, OrderStatusChange
from orders.selectors import order_items_visible_to, orders_visible_to
from orders.services import order_status_change
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


@pytest.fixture
def orders(customer, staff_user, phone, shirt, shirt_m):
    """A's order (phone only), B's order (shirt only), a shared one; all processing."""
    only_a = place(customer, line(phone))
    only_b = place(customer, line(shirt, 1, shirt_m))
    shared = place(customer, line(phone), line(shirt, 1, shirt_m))
    for order in (only_a, only_b, shared):
        order_status_change(order=order, to="processing", actor=staff_user)
    return {"only_a": only_a, "only_b": only_b, "shared": shared}


def _user(request, who):
    return None if who == "anonymous" else request.getfixturevalue(who)


# --- Selectors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected_orders, expected_lines",
    [
        ("staff_user", ["only_a", "only_b", "shared"], ["Phone", "Phone", "Shirt", "Shirt"]),
        ("manufacturer_a", ["only_a", "shared"], ["Phone", "Phone"]),
        ("manufacturer_b", ["only_b", "shared"], ["Shirt", "Shirt"]),
        ("customer", [], []),
    ],
)
def test_scoping_selectors(request, orders, who, expected_orders, expected_lines):
    user = request.getfixturevalue(who)
    names = {order.pk: name for name, order in orders.items()}

    assert sorted(names[o.pk] for o in orders_visible_to(user=user)) == expected_orders
    assert sorted(i.product_name for i in order_items_visible_to(user=user)) == expected_lines


def test_an_inactive_manufacturer_sees_nothing(orders, manufacturer_a):
    manufacturer_a.is_active = False
    manufacturer_a.save(update_fields=["is_active"])

    assert not orders_visible_to(user=manufacturer_a).exists()
    assert not order_items_visible_to(user=manufacturer_a).exists()


# --- Admin lists -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected_orders, expected_lines",
    [
        ("manufacturer_a", ["only_a", "shared"], ["Phone", "Phone"]),
        ("manufacturer_b", ["only_b", "shared"], ["Shirt", "Shirt"]),
        ("staff_user", ["only_a", "only_b", "shared"], ["Phone", "Phone", "Shirt", "Shirt"]),
    ],
)
def test_changelists_show_only_what_is_in_scope(
    client, request, orders, who, expected_orders, expected_lines
):
    client.force_login(request.getfixturevalue(who))
    names = {order.pk: name for name, order in orders.items()}

    order_rows = client.get(reverse("admin:orders_order_changelist")).context["cl"].result_list
    line_rows = client.get(reverse("admin:orders_orderitem_changelist")).context["cl"].result_list

    assert sorted(names[o.pk] for o in order_rows) == expected_orders
    assert sorted(i.product_name for i in line_rows) == expected_lines


def test_the_shared_order_page_shows_each_manufacturer_only_their_line(
    client, request, orders
):
    shared = orders["shared"]
    for who, expected in [("manufacturer_a", ["Phone"]), ("manufacturer_b", ["Shirt"]),
                          ("staff_user", ["Phone", "Shirt"])]:
        client.force_login(request.getfixturevalue(who))
        response = client.get(reverse("admin:orders_order_change", args=[shared.pk]))
        assert response.status_code == 200, who
        lines = response.context["order_page"]["lines"]
        assert sorted(row.item.product_name for row in lines) == expected, who


# --- Admin by direct id ----------------------------------------------------------------------


def _object_pages(order: Order, item: OrderItem) -> dict[str, str]:
    return {
        "order change": reverse("admin:orders_order_change", args=[order.pk]),
        "order history": reverse("admin:orders_order_history", args=[order.pk]),
        "order delete": reverse("admin:orders_order_delete", args=[order.pk]),
        "line change": reverse("admin:orders_orderitem_change", args=[item.pk]),
        "line history": reverse("admin:orders_orderitem_history", args=[item.pk]),
    }


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_outsiders_are_sent_to_the_login_page(client, request, orders, who):
    user = _user(request, who)
    if user is not None:
        client.force_login(user)
    order = orders["only_a"]
    urls = [
        reverse("admin:orders_order_changelist"),
        reverse("admin:orders_orderitem_changelist"),
        *_object_pages(order, order.items.get()).values(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


def test_the_owner_and_staff_open_the_pages(client, request, orders):
    order = orders["only_a"]
    pages = _object_pages(order, order.items.get())
    pages.pop("order delete")  # nobody deletes orders
    for who in ("manufacturer_a", "staff_user"):
        client.force_login(request.getfixturevalue(who))
        for name, url in pages.items():
            assert client.get(url).status_code == 200, (who, name)


def test_another_manufacturer_gets_no_page_of_the_order(client, manufacturer_b, orders):
    order = orders["only_a"]
    client.force_login(manufacturer_b)

    pages = _object_pages(order, order.items.get())
    # Nobody deletes orders: refused before the object is even looked at.
    response = client.post(pages.pop("order delete"), {"post": "yes"})
    assert response.status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()
    for name, url in pages.items():
        response = client.get(url)
        # Django's "object does not exist" answer: back to the dashboard, nothing shown.
        assert response.status_code == 302, name
        assert response["Location"] == reverse("admin:index"), name


def test_another_manufacturer_gets_no_page_of_the_other_line_of_a_shared_order(
    client, manufacturer_b, orders
):
    phone_line = orders["shared"].items.get(product_name="Phone")
    client.force_login(manufacturer_b)

    for name in ("change", "history"):
        response = client.get(reverse(f"admin:orders_orderitem_{name}", args=[phone_line.pk]))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("admin:index"), name


def test_another_manufacturer_cannot_ship_by_direct_url(client, manufacturer_b, orders):
    order = orders["only_a"]
    client.force_login(manufacturer_b)

    response = client.post(
        reverse("admin:orders_order_ship_lines", args=[order.pk]), {"_form_submitted": "on"}
    )

    assert response.status_code == 403
    assert order.items.get().shipped_at is None
    assert Order.objects.get(pk=order.pk).status == "processing"


def test_another_manufacturer_cannot_ship_through_bulk_actions(client, manufacturer_b, orders):
    order = orders["only_a"]
    shared_phone = orders["shared"].items.get(product_name="Phone")
    client.force_login(manufacturer_b)

    client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "ship_my_lines", "_selected_action": [order.pk], "carrier": "",
         f"tracking_{order.pk}": "X-1"},
    )
    client.post(
        reverse("admin:orders_orderitem_changelist"),
        {"action": "mark_shipped", "_selected_action": [order.items.get().pk, shared_phone.pk]},
    )

    assert not OrderItem.objects.filter(product_name="Phone", shipped_at__isnull=False).exists()
    assert Order.objects.get(pk=order.pk).status == "processing"
    assert Order.objects.get(pk=order.pk).tracking_number == ""


def test_another_manufacturer_cannot_change_the_status_by_direct_url(
    client, manufacturer_b, orders
):
    order = orders["only_a"]
    client.force_login(manufacturer_b)
    changes = OrderStatusChange.objects.count()

    response = client.post(
        reverse("admin:orders_order_change_status", args=[order.pk]),
        {"status": "cancelled", "_form_submitted": "on"},
    )

    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).status == "processing"
    assert OrderStatusChange.objects.count() == changes
