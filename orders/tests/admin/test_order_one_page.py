"""An order's page in one view: summary, next step and its button, lines, totals and address,
for staff and for a manufacturer (their lines only); its query count pinned."""

import pytest
from django.urls import reverse

from core.money import money_format
from orders.models import (
    Checkout,
    CheckoutPayment,
    CheckoutPaymentStatus,
    Order,
    OrderItem,
    OrderStatusChange,
)
from orders.services import order_lines_ship, order_ship, order_status_change
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db


def page_url(order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def paid_online(order: Order) -> Order:
    """Attach ``order`` to a checkout paid through Paystack (an order of several sellers is
    placed through the order API; the page reads the payment from the checkout)."""
    checkout = Checkout.objects.create(
        buyer=order.buyer,
        payment_method=CheckoutPayment.PAYSTACK,
        payment_status=CheckoutPaymentStatus.PAID,
        paystack_reference=f"ref-{order.pk}",
        total_amount=order.total,
    )
    Order.objects.filter(pk=order.pk).update(checkout=checkout)
    order.refresh_from_db()
    return order


@pytest.fixture
def three_lines(customer, phone, shirt_m, shirt_l):
    """Three lines of two sellers: A's phones, B's shirts in M and L; paid online."""
    order = place(
        customer,
        line(phone, 2),
        line(shirt_m.product, 1, shirt_m),
        line(shirt_l.product, 1, shirt_l),
    )
    Order.objects.filter(pk=order.pk).update(
        shipping_name="Ama Mensah",
        shipping_address="12 Oxford Street",
        shipping_city="Accra",
        shipping_country="GH",
    )
    return paid_online(order)


def test_staff_see_the_whole_order_on_one_page(client, staff_user, customer, three_lines):
    client.force_login(staff_user)

    response = client.get(page_url(three_lines))

    assert response.status_code == 200
    page = response.context["order_page"]
    assert sorted(row.item.product_name for row in page["lines"]) == ["Phone", "Shirt", "Shirt"]
    html = response.content.decode()
    for text in (
        three_lines.number,
        "Pending",
        customer.email,
        "Paystack",
        "Paid online (Paystack)",
        money_format(three_lines.total),
        money_format(three_lines.subtotal),
        "12 Oxford Street",
        "Accra",
        "maker.a@martaf.test",
        "maker.b@martaf.test",
    ):
        assert text in html, text
    assert page["step"].actor == "staff"
    assert page["button"]["path"] == reverse(
        "admin:orders_order_change_status", args=[three_lines.pk]
    )
    assert "Confirm the order" in html


def test_a_manufacturer_sees_their_lines_and_figures_only(
    client, manufacturer_b, staff_user, three_lines
):
    order_status_change(order=three_lines, to="processing", actor=staff_user)
    client.force_login(manufacturer_b)

    response = client.get(page_url(three_lines))

    page = response.context["order_page"]
    assert [row.item.variation_label for row in page["lines"]] == ["M", "L"]
    html = response.content.decode()
    mine = sum(
        OrderItem.objects.filter(order=three_lines, manufacturer=manufacturer_b).values_list(
            "line_total", flat=True
        )
    )
    assert money_format(mine) in html
    # Not the other seller's line, nor the whole order's amounts, nor the buyer's account.
    for text in (
        "Phone",
        "maker.a@martaf.test",
        money_format(three_lines.total),
        money_format(three_lines.subtotal),
        "buyer@martaf.test",
    ):
        assert text not in html, text
    assert "Ama Mensah" in html and "Paid online (Paystack)" in html
    assert (page["step"].actor, page["actor_label"]) == ("manufacturer", "You")
    assert page["button"]["path"] == reverse("admin:orders_order_ship_lines", args=[three_lines.pk])


def test_a_manufacturer_whose_lines_are_shipped_waits_for_the_other_seller(
    client, manufacturer_b, staff_user, three_lines
):
    order_status_change(order=three_lines, to="processing", actor=staff_user)
    order_lines_ship(order=three_lines, actor=manufacturer_b, carrier="GIG", tracking_number="T1")
    client.force_login(manufacturer_b)

    page = client.get(page_url(three_lines)).context["order_page"]

    assert (page["button"], page["actor_label"]) == (None, "The other sellers")
    assert "other sellers" in str(page["step"].text)


def test_a_manufacturer_sees_who_acts_on_a_pending_order_and_has_no_button(
    client, manufacturer_a, three_lines
):
    client.force_login(manufacturer_a)

    response = client.get(page_url(three_lines))

    page = response.context["order_page"]
    assert page["step"].actor == "staff" and page["button"] is None
    assert "Waiting for the marketplace to confirm the order" in response.content.decode()


def test_a_shipped_order_shows_its_carrier_and_tracking(client, staff_user, three_lines):
    order_status_change(order=three_lines, to="processing", actor=staff_user)
    order_ship(order=three_lines, actor=staff_user, carrier="DHL", tracking_number="DHL-42")
    client.force_login(staff_user)

    response = client.get(page_url(three_lines))

    html = response.content.decode()
    assert "DHL" in html and "DHL-42" in html
    page = response.context["order_page"]
    assert page["step"].actor == "courier" and "Mark delivered" in html


def test_another_manufacturers_order_by_url_shows_nothing_and_changes_nothing(
    client, manufacturer_b, phone, customer
):
    only_a = paid_online(place(customer, line(phone, 1)))
    client.force_login(manufacturer_b)
    before = (Order.objects.get(pk=only_a.pk).status, OrderStatusChange.objects.count())

    response = client.get(page_url(only_a))
    posted = client.post(
        reverse("admin:orders_order_ship_lines", args=[only_a.pk]),
        {"carrier": "X", "tracking_number": "Y", "_form_submitted": "on"},
    )

    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert posted.status_code == 403
    assert (Order.objects.get(pk=only_a.pk).status, OrderStatusChange.objects.count()) == before
    assert only_a.number not in client.get(reverse("admin:index")).content.decode()


# Session, user, (a manufacturer: their user and group permissions,) the order in scope, the
# status behind the dialogs' permissions, whether cash is there to collect, (staff: whether it
# was paid, for "Refund",) the order with its checkout and line figures, its status history,
# its lines, the notification bell. None per line or per seller.
@pytest.mark.parametrize("who, pinned", [("staff_user", 10), ("manufacturer_a", 11)])
def test_the_page_query_count_is_pinned(
    client, request, staff_user, three_lines, django_assert_num_queries, who, pinned
):
    order_status_change(order=three_lines, to="processing", actor=staff_user)
    client.force_login(request.getfixturevalue(who))
    client.get(page_url(three_lines))  # warm: the session, content types

    with django_assert_num_queries(pinned):
        assert client.get(page_url(three_lines)).status_code == 200
