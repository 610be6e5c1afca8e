"""The order admin: staff run the workflow, manufacturers ship their lines; query counts."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import StockMovement, StockReason
from orders.models import Order, OrderItem, OrderStatusChange
from orders.services import order_lines_ship, order_status_change
from orders.tests.helpers import line, place, public_product, stock_of

pytestmark = pytest.mark.django_db

ORDERS = reverse("admin:orders_order_changelist")
LINES = reverse("admin:orders_orderitem_changelist")


def change_url(order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def mixed_order(customer, phone, shirt, shirt_m):
    """One order with a line of manufacturer A (phone) and one of manufacturer B (shirt M)."""
    return place(customer, line(phone, 2), line(shirt, 1, shirt_m))


@pytest.fixture
def processing_order(mixed_order, staff_user):
    return order_status_change(order=mixed_order, to="processing", actor=staff_user)


# --- Staff -----------------------------------------------------------------------------------


def test_staff_see_every_order_with_buyer_and_total(client, staff_user, customer, mixed_order):
    client.force_login(staff_user)

    response = client.get(ORDERS)

    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert [(o.number, o.line_count, o.lines_total) for o in rows] == [
        (mixed_order.number, 2, mixed_order.total)
    ]
    html = response.content.decode()
    assert customer.email in html and "230.00" in html


def test_staff_search_by_number_and_buyer_email(client, staff_user, customer, other_customer,
                                               phone):
    first = place(customer, line(phone))
    second = place(other_customer, line(phone))
    client.force_login(staff_user)

    def found(term):
        return [o.pk for o in client.get(ORDERS, {"q": term}).context["cl"].result_list]

    assert found(first.number) == [first.pk]
    assert found("other.buyer@") == [second.pk]


def test_search_by_buyer_name_product_and_city(client, staff_user, customer, other_customer,
                                               phone):
    customer.first_name, customer.last_name = "Adaeze", "Okafor"
    customer.save()
    first = place(customer, line(phone))
    second = place(other_customer, line(phone))
    Order.objects.filter(pk=second.pk).update(shipping_city="Kano")
    client.force_login(staff_user)

    def found(term):
        return sorted(o.pk for o in client.get(ORDERS, {"q": term}).context["cl"].result_list)

    assert found("okafor") == [first.pk]
    assert found("kano") == [second.pk]
    assert found(phone.name.lower()) == sorted([first.pk, second.pk])
    assert found("nothing like it") == []


def test_a_manufacturer_searches_only_their_own_orders_and_lines(
    client, manufacturer_a, manufacturer_b, staff_user, customer, phone
):
    theirs = public_product(manufacturer_b, approver=staff_user, name="Drum")
    mine = place(customer, line(phone))
    other = place(customer, line(theirs))
    client.force_login(manufacturer_a)

    def found(term):
        return [o.pk for o in client.get(ORDERS, {"q": term}).context["cl"].result_list]

    assert found("drum") == []  # B's product, B's order: not A's to find
    assert found(other.number) == []
    assert found(customer.email) == []  # buyers' emails are staff's to search
    assert found(phone.name) == [mine.pk]


def test_staff_filter_by_status(client, staff_user, customer, phone):
    pending = place(customer, line(phone))
    moved = place(customer, line(phone))
    order_status_change(order=moved, to="processing", actor=staff_user)
    client.force_login(staff_user)

    rows = client.get(ORDERS, {"status__exact": "pending"}).context["cl"].result_list

    assert [o.pk for o in rows] == [pending.pk]


def test_staff_change_the_status_through_the_dialog(client, staff_user, customer, mixed_order):
    client.force_login(staff_user)
    url = reverse("admin:orders_order_change_status", args=[mixed_order.pk])

    dialog = client.get(url)
    assert [c[0] for c in dialog.context["form"].fields["status"].choices] == [
        "processing",
        "cancelled",
    ]
    response = client.post(url, {"status": "processing", "note": "Paid", "_form_submitted": "on"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == change_url(mixed_order)
    assert Order.objects.get(pk=mixed_order.pk).status == "processing"
    change = OrderStatusChange.objects.get(order=mixed_order)
    assert (change.to_status, change.actor, change.note) == ("processing", staff_user, "Paid")


def test_staff_ship_through_the_dialog_with_carrier_and_tracking(client, staff_user,
                                                                 processing_order):
    client.force_login(staff_user)
    url = reverse("admin:orders_order_change_status", args=[processing_order.pk])

    client.post(url, {"status": "shipped", "carrier": "GIG Logistics", "tracking_number": "G 9",
                      "note": "Out today", "_form_submitted": "on"})

    order = Order.objects.get(pk=processing_order.pk)
    assert (order.status, order.carrier, order.tracking_number) == (
        "shipped", "GIG Logistics", "G 9"
    )
    assert OrderStatusChange.objects.filter(order=order, to_status="shipped",
                                            note="Out today").exists()
    assert not order.items.filter(shipped_at__isnull=True).exists()


def test_the_dialog_offers_only_allowed_statuses(client, staff_user, mixed_order):
    client.force_login(staff_user)
    url = reverse("admin:orders_order_change_status", args=[mixed_order.pk])

    response = client.post(url, {"status": "delivered", "_form_submitted": "on"})

    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert Order.objects.get(pk=mixed_order.pk).status == "pending"
    assert not OrderStatusChange.objects.exists()


def test_staff_cancel_in_the_dialog_puts_the_stock_back(client, staff_user, mixed_order, phone,
                                                       shirt_m):
    client.force_login(staff_user)

    client.post(
        reverse("admin:orders_order_change_status", args=[mixed_order.pk]),
        {"status": "cancelled", "note": "Out of reach", "_form_submitted": "on"},
    )

    assert Order.objects.get(pk=mixed_order.pk).status == "cancelled"
    assert (stock_of(phone.variations.get()), stock_of(shirt_m)) == (10, 5)
    assert StockMovement.objects.filter(reason=StockReason.RETURN).count() == 2


def test_no_status_dialog_for_a_finished_order(client, staff_user, customer, phone):
    order = place(customer, line(phone))
    order_status_change(order=order, to="cancelled", actor=staff_user)
    client.force_login(staff_user)

    page = client.get(change_url(order)).content.decode()
    response = client.get(reverse("admin:orders_order_change_status", args=[order.pk]))

    assert "change-status" not in page
    assert response.status_code == 403


def test_staff_bulk_mark_processing_reports_what_was_refused(client, staff_user, customer, phone):
    pending = place(customer, line(phone))
    cancelled = place(customer, line(phone))
    order_status_change(order=cancelled, to="cancelled", actor=staff_user)
    client.force_login(staff_user)

    response = client.post(
        ORDERS,
        {"action": "mark_processing", "_selected_action": [pending.pk, cancelled.pk]},
        follow=True,
    )

    assert Order.objects.get(pk=pending.pk).status == "processing"
    assert Order.objects.get(pk=cancelled.pk).status == "cancelled"
    assert messages_of(response) == [
        "1 order is now processing.",
        f"Order {cancelled.number} is cancelled and cannot become processing.",
    ]


def test_staff_bulk_mark_shipped_then_delivered(client, staff_user, processing_order):
    client.force_login(staff_user)

    for action in ("mark_shipped", "mark_delivered"):
        client.post(
            ORDERS, {"action": action, "_selected_action": [processing_order.pk], "carrier": ""}
        )

    assert Order.objects.get(pk=processing_order.pk).status == "delivered"
    assert list(
        OrderStatusChange.objects.filter(order=processing_order)
        .order_by("pk")
        .values_list("to_status", flat=True)
    ) == ["processing", "shipped", "delivered"]
    assert not processing_order.items.filter(shipped_at__isnull=True).exists()


def test_orders_are_not_added_edited_or_deleted_in_the_admin(client, staff_user, mixed_order):
    client.force_login(staff_user)

    assert client.get(reverse("admin:orders_order_add")).status_code == 403
    client.post(change_url(mixed_order), {"status": "delivered", "total": "1.00"})
    client.post(reverse("admin:orders_order_delete", args=[mixed_order.pk]), {"post": "yes"})

    order = Order.objects.get(pk=mixed_order.pk)
    assert (order.status, order.total) == ("pending", mixed_order.total)


# --- Manufacturers ---------------------------------------------------------------------------


def test_a_manufacturer_sees_their_figures_not_the_whole_order(
    client, manufacturer_b, mixed_order
):
    client.force_login(manufacturer_b)

    response = client.get(ORDERS)

    assert [(o.number, o.line_count, o.lines_total) for o in response.context["cl"].result_list
            ] == [(mixed_order.number, 1, mixed_order.items.get(product_name="Shirt").line_total)]
    page = client.get(change_url(mixed_order))
    assert page.status_code == 200
    lines = page.context["order_page"]["lines"]
    assert [row.item.product_name for row in lines] == ["Shirt"]  # only their line
    html = page.content.decode()
    assert "200.00" not in html  # manufacturer A's line total
    assert "230.00" not in html  # the order's total
    assert mixed_order.buyer.email not in html


def test_a_manufacturer_ships_their_lines_from_the_order_page(
    client, manufacturer_a, manufacturer_b, processing_order
):
    client.force_login(manufacturer_a)
    url = reverse("admin:orders_order_ship_lines", args=[processing_order.pk])

    response = client.post(url, {"_form_submitted": "on"})

    assert response["HX-Redirect"] == change_url(processing_order)
    shipped = dict(processing_order.items.values_list("product_name", "shipped_by"))
    assert shipped == {"Phone": manufacturer_a.pk, "Shirt": None}
    assert Order.objects.get(pk=processing_order.pk).status == "processing"

    client.force_login(manufacturer_b)
    client.post(url, {"_form_submitted": "on"})

    assert Order.objects.get(pk=processing_order.pk).status == "shipped"


def test_no_shipping_before_processing(client, manufacturer_a, mixed_order):
    client.force_login(manufacturer_a)

    response = client.post(
        reverse("admin:orders_order_ship_lines", args=[mixed_order.pk]), {"_form_submitted": "on"}
    )

    assert response.status_code == 403
    assert not mixed_order.items.filter(shipped_at__isnull=False).exists()


def test_a_manufacturer_ships_selected_lines_from_the_lines_list(
    client, manufacturer_a, processing_order
):
    client.force_login(manufacturer_a)
    own = processing_order.items.get(product_name="Phone")
    other = processing_order.items.get(product_name="Shirt")

    response = client.post(
        LINES, {"action": "mark_shipped", "_selected_action": [own.pk, other.pk]}, follow=True
    )

    assert messages_of(response) == ["1 line marked shipped."]
    assert OrderItem.objects.get(pk=own.pk).shipped_by == manufacturer_a
    assert OrderItem.objects.get(pk=other.pk).shipped_at is None


def test_bulk_ship_my_lines_on_the_orders_list(client, manufacturer_b, processing_order,
                                               customer, staff_user, shirt, shirt_m):
    pending = place(customer, line(shirt, 1, shirt_m))
    client.force_login(manufacturer_b)

    response = client.post(
        ORDERS,
        {
            "action": "ship_my_lines",
            "_selected_action": [processing_order.pk, pending.pk],
            "carrier": "GIG Logistics",
            f"tracking_{processing_order.pk}": "GIG-77",
        },
        follow=True,
    )

    assert messages_of(response) == [
        "1 line marked shipped.",
        f"Order {pending.number} is pending: lines are shipped once it is processing.",
    ]
    assert processing_order.items.get(product_name="Shirt").shipped_by == manufacturer_b
    assert pending.items.get().shipped_at is None
    processing_order.refresh_from_db()
    assert (processing_order.carrier, processing_order.tracking_number) == ("GIG Logistics", "GIG-77")


def test_bulk_ship_asks_for_the_carrier_and_each_orders_tracking_number_first(
    client, staff_user, customer, phone
):
    orders = [place(customer, line(phone)) for _ in range(2)]
    for order in orders:
        order_status_change(order=order, to="processing", actor=staff_user)
    client.force_login(staff_user)
    selection = {"action": "mark_shipped", "_selected_action": [o.pk for o in orders]}

    page = client.post(ORDERS, selection)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="carrier"' in html
    for order in orders:
        assert f'name="tracking_{order.pk}"' in html and order.number in html
    assert set(Order.objects.values_list("status", flat=True)) == {"processing"}  # not yet

    client.post(
        ORDERS,
        {**selection, "carrier": "DHL", f"tracking_{orders[0].pk}": "DHL 1",
         f"tracking_{orders[1].pk}": ""},
    )

    first, second = (Order.objects.get(pk=o.pk) for o in orders)
    assert (first.status, first.carrier, first.tracking_number) == ("shipped", "DHL", "DHL 1")
    assert (second.status, second.carrier, second.tracking_number) == ("shipped", "DHL", "")
    assert not OrderItem.objects.filter(order__in=orders, shipped_at__isnull=True).exists()


def test_a_parcel_of_each_seller_lists_each_carrier_and_number(
    client, staff_user, manufacturer_a, manufacturer_b, processing_order
):
    order_lines_ship(order=processing_order, actor=manufacturer_a, carrier="GIG",
                     tracking_number="G-1")
    order_lines_ship(order=processing_order, actor=manufacturer_b, carrier="DHL",
                     tracking_number="D-2")

    processing_order.refresh_from_db()
    assert processing_order.carrier == "GIG, DHL"
    assert processing_order.tracking_number == "G-1, D-2"
    assert processing_order.status == "shipped"


def test_manufacturers_cannot_run_staff_actions(client, manufacturer_a, mixed_order):
    client.force_login(manufacturer_a)

    client.post(ORDERS, {"action": "mark_processing", "_selected_action": [mixed_order.pk]})
    response = client.post(
        reverse("admin:orders_order_change_status", args=[mixed_order.pk]),
        {"status": "processing", "_form_submitted": "on"},
    )

    assert response.status_code == 403
    assert Order.objects.get(pk=mixed_order.pk).status == "pending"
    assert not OrderStatusChange.objects.exists()


# --- Query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "who, url, pinned",
    [
        # session, user, (a manufacturer: their user and group permissions,) count, the page
        # of rows with its figures, the notification bell: nothing per row.
        ("staff_user", ORDERS, 5),
        ("manufacturer_a", ORDERS, 7),
        ("staff_user", LINES, 5),
        ("manufacturer_a", LINES, 7),
        # A search adds one: the orders of the lines whose product matches, looked up as ids.
        ("staff_user", ORDERS + "?q=widget", 6),
        ("manufacturer_a", ORDERS + "?q=widget", 8),
    ],
)
def test_changelist_query_counts_do_not_grow(
    client, request, staff_user, customer, manufacturer_a, manufacturer_b, who, url, pinned
):
    phone = public_product(manufacturer_a, approver=staff_user, stock=500)
    shirt = public_product(
        manufacturer_b, approver=staff_user, variations=[{"size": "M", "stock": 500}]
    )
    size_m = shirt.variations.get()
    client.force_login(request.getfixturevalue(who))

    place(customer, line(phone), line(shirt, 1, size_m))
    few = _queries(client, url)
    for index in range(15):
        order = place(customer, line(phone, 2), line(shirt, 1, size_m))
        if index % 3 == 0:
            order_status_change(order=order, to="processing", actor=staff_user)
    many = _queries(client, url)

    assert few == many == pinned
