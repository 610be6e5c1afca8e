"""Refunds in the admin: staff refund an order from its page (lines, shipping, preview, then
the refund, only as previewed), read every refund and record a manual one as paid back; a
manufacturer reads the refunds of their orders only and can make none (status and nothing
changed); the list costs the same queries at any length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from money.models import LedgerEntry, Refund, RefundStatus
from money.services.refunds import RefundLineRequest, refund_create
from money.tests.refund_helpers import paid_online_order
from orders.services import order_cancel
from orders.tests.paystack_server import PAYSTACK_KEY
from users.mfa import SESSION_KEY

pytestmark = pytest.mark.django_db

REFUNDS = reverse("admin:money_refund_changelist")


@pytest.fixture
def order(buyer, paystack, phone, case, settings):
    order = paid_online_order(buyer, paystack, [(phone, 3, None), (case, 2, None)])
    settings.PAYSTACK_SECRET_KEY = ""  # paid back by hand in these pages
    return order


def _new(order):
    return reverse("admin:money_refund_new", args=[order.pk])


def _lines(order):
    return {i.product_name: i for i in order.items.all()}


def _form(order, **units):
    lines = _lines(order)
    data = {f"line_{lines[name].pk}": n for name, n in units.items()}
    return {"reason": "Arrived broken", "bank_reference": "GTB-1", **data}


def test_staff_preview_then_refund_as_previewed(client, staff_user, order):
    client.force_login(staff_user)
    page = client.get(_new(order))
    assert page.status_code == 200 and order.number in page.content.decode()
    preview = client.post(_new(order), {**_form(order, Phone=1, Case=2), "preview": "1"})
    body = preview.content.decode()
    assert preview.status_code == 200 and 'id="refund-preview"' in body
    assert 'id="refund-total">₦145.00<' in body  # 100.00 + 2 x 22.50
    assert 'id="refund-commission">₦15.17<' in body  # 30.50 / 3 (10.17) + 5.00
    assert not Refund.objects.exists()
    previewed = preview.context["previewed"]
    # Values changed after the preview: previewed again, nothing made.
    changed = client.post(_new(order), {**_form(order, Phone=2, Case=2), "confirm": "1",
                                         "previewed": previewed})
    assert changed.status_code == 200 and not Refund.objects.exists()
    done = client.post(_new(order), {**_form(order, Phone=1, Case=2), "confirm": "1",
                                      "previewed": previewed})
    refund = Refund.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:money_refund_change", args=[refund.pk])
    assert (refund.amount, refund.status, refund.bank_reference) == (
        145, RefundStatus.PROCESSED, "GTB-1")
    detail = client.get(done["Location"]).content.decode()
    assert refund.reference in detail and "Case" in detail


def test_too_many_units_are_refused_on_the_page(client, staff_user, order):
    client.force_login(staff_user)
    response = client.post(_new(order), {**_form(order, Phone=4), "preview": "1"})
    assert response.status_code == 400
    assert not Refund.objects.exists()


def test_the_order_page_leads_staff_to_the_refund_page(client, staff_user, manufacturer_a,
                                                       order):
    client.force_login(staff_user)
    change = reverse("admin:orders_order_change", args=[order.pk])
    assert reverse("admin:orders_order_refund", args=[order.pk]) in client.get(
        change).content.decode()
    response = client.get(reverse("admin:orders_order_refund", args=[order.pk]))
    assert response.status_code == 302 and response["Location"] == _new(order)
    client.force_login(manufacturer_a)
    assert client.get(reverse("admin:orders_order_refund", args=[order.pk])).status_code == 403


def test_a_manufacturer_cannot_refund_and_sees_only_their_orders_refunds(
    client, staff_user, manufacturer_a, manufacturer_b, order, buyer, paystack, shirt, shirt_m,
    settings,
):
    mine = refund_create(order=order, actor=staff_user, reason="Mine",
                         lines=[RefundLineRequest(_lines(order)["Phone"].pk, 1)])
    settings.PAYSTACK_SECRET_KEY = PAYSTACK_KEY
    theirs_order = paid_online_order(buyer, paystack, [(shirt, 1, shirt_m)])
    settings.PAYSTACK_SECRET_KEY = ""
    theirs = refund_create(order=theirs_order, actor=staff_user, reason="Theirs")
    state = (list(Refund.objects.values_list("pk", "status")), LedgerEntry.objects.count())

    client.force_login(manufacturer_a)
    listing = client.get(REFUNDS).content.decode()
    assert mine.reference in listing and theirs.reference not in listing
    assert client.get(reverse("admin:money_refund_change", args=[mine.pk])).status_code == 200
    assert client.get(
        reverse("admin:money_refund_change", args=[theirs.pk])
    ).status_code in (302, 403, 404)
    assert client.get(_new(order)).status_code == 403
    assert client.post(_new(order), {**_form(order, Phone=1), "confirm": "1",
                                     "previewed": "x"}).status_code == 403
    assert client.post(reverse("admin:money_refund_add"), {}).status_code == 403
    assert (list(Refund.objects.values_list("pk", "status")),
            LedgerEntry.objects.count()) == state


def test_staff_record_an_automatic_refund_paid_back_by_hand(client, staff_user, order, buyer):
    order_cancel(order=order, actor=buyer)
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PENDING
    client.force_login(staff_user)
    url = reverse("admin:money_refund_record_manual", args=[refund.pk])
    response = client.post(url, {"bank_reference": "GTB-77", "_form_submitted": "on"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("admin:money_refund_change", args=[refund.pk])
    refund.refresh_from_db()
    assert (refund.status, refund.bank_reference) == (RefundStatus.PROCESSED, "GTB-77")
    order.refresh_from_db()
    assert order.refund_due == 0


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(REFUNDS).status_code == 200
    return len(captured)


def test_the_refunds_list_costs_the_same_queries_at_any_length(client, staff_user, order):
    refund_create(order=order, actor=staff_user, reason="One",
                  lines=[RefundLineRequest(_lines(order)["Phone"].pk, 1)])
    client.force_login(staff_user)
    one = _list_queries(client)
    for _ in range(2):
        refund_create(order=order, actor=staff_user, reason="More",
                      lines=[RefundLineRequest(_lines(order)["Phone"].pk, 1)])
    refund_create(order=order, actor=staff_user, reason="Cases",
                  lines=[RefundLineRequest(_lines(order)["Case"].pk, 2)])
    assert Refund.objects.count() == 4
    assert _list_queries(client) == one


def test_a_refund_needs_a_fresh_second_factor(client, staff_user, order):
    client.force_login(staff_user)
    preview = client.post(_new(order), {**_form(order, Phone=1), "preview": "1"})
    session = client.session
    session[SESSION_KEY] = {"user": staff_user.pk, "at": 1}  # passed, but long ago
    session.save()

    refused = client.post(_new(order), {**_form(order, Phone=1), "confirm": "1",
                                        "previewed": preview.context["previewed"]}, follow=True)

    assert "Confirm your second factor first" in refused.content.decode()
    assert not Refund.objects.exists()
