"""``GET /api/earnings/`` and ``POST /api/orders/<id>/cash-collected/`` over HTTP (JWT)."""

import pytest

from core.roles import ManufacturerStatus
from money.models import EntryKind, LedgerEntry
from money.services import ledger_entry_add
from money.tests.earnings import D, deliver, move
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db

EARNINGS = "/api/earnings/"


def cash_url(order) -> str:
    return f"/api/orders/{order.pk}/cash-collected/"


def test_a_manufacturer_reads_their_balance_and_entries(
    jwt_client, paid_orders, manufacturer_a, staff_user
):
    phone = deliver(paid_orders["Phone"], actor=staff_user)
    deliver(paid_orders["Shirt"], actor=staff_user)  # Maker B's: not shown to A

    response = jwt_client(manufacturer_a).get(EARNINGS)

    assert response.status_code == 200
    body = response.json()
    release = LedgerEntry.objects.filter(order=phone).first().available_on.isoformat()
    assert {k: body[k] for k in ("manufacturer", "currency", "available", "pending", "owed",
                                 "paid_out", "pending_releases", "count")} == {
        "manufacturer": manufacturer_a.pk,
        "currency": "NGN",
        "available": "0.00",
        "pending": "185.00",
        "owed": "0.00",
        "paid_out": "0.00",
        "pending_releases": [{"available_on": release, "amount": "185.00"}],
        "count": 2,
    }
    assert [(e["kind"], e["order"], e["order_number"], e["amount"], e["available_on"])
            for e in body["entries"]] == [
        ("commission", phone.pk, phone.number, "-20.00", release),
        ("earning", phone.pk, phone.number, "205.00", release),
    ]
    assert set(body["entries"][0]) >= {"created_at", "kind", "order", "amount", "available_on"}


def test_staff_name_the_manufacturer(jwt_client, paid_orders, manufacturer_b, staff_user):
    deliver(paid_orders["Shirt"], actor=staff_user)
    client = jwt_client(staff_user)

    body = client.get(EARNINGS, {"manufacturer": manufacturer_b.pk}).json()
    assert (body["manufacturer"], body["pending"], body["count"]) == (
        manufacturer_b.pk, "32.00", 2
    )

    missing = client.get(EARNINGS)
    assert missing.status_code == 400
    assert missing.json()["code"] == "manufacturer_required"
    unknown = client.get(EARNINGS, {"manufacturer": staff_user.pk})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "manufacturer_unknown")


def test_buyers_and_other_manufacturers_are_refused(
    jwt_client, customer, manufacturer_a, manufacturer_b
):
    buyer = jwt_client(customer).get(EARNINGS)
    assert buyer.status_code == 403
    assert buyer.json()["code"] == "backoffice_only" and buyer.json()["detail"]
    other = jwt_client(manufacturer_a).get(EARNINGS, {"manufacturer": manufacturer_b.pk})
    assert (other.status_code, other.json()["code"]) == (404, "manufacturer_unknown")
    own = jwt_client(manufacturer_a).get(EARNINGS, {"manufacturer": manufacturer_a.pk})
    assert own.status_code == 200
    manufacturer_a.manufacturer_status = ManufacturerStatus.PENDING
    manufacturer_a.save(update_fields=["manufacturer_status"])
    assert jwt_client(manufacturer_a).get(EARNINGS).status_code == 403
    assert api_anonymous_status() == 401


def api_anonymous_status() -> int:
    from rest_framework.test import APIClient

    return APIClient().get(EARNINGS).status_code


def _entries(manufacturer, order, count: int) -> None:
    for index in range(count):
        ledger_entry_add(
            manufacturer=manufacturer, kind=EntryKind.EARNING, amount=D("1.50"),
            key=f"test:{order.pk}:{index}", order=order,
        )


def test_the_earnings_read_costs_the_same_queries_at_any_length(
    jwt_client, cash_orders, manufacturer_a, django_assert_num_queries
):
    client = jwt_client(manufacturer_a)
    _entries(manufacturer_a, cash_orders["Phone"], 1)
    # the user, the balance, the releases, the count, the page
    with django_assert_num_queries(5):
        assert client.get(EARNINGS).json()["count"] == 1
    _entries(manufacturer_a, cash_orders["Shirt"], 30)
    with django_assert_num_queries(5):
        body = client.get(EARNINGS, {"page_size": 25}).json()
    assert (body["count"], len(body["entries"]), body["available"]) == (31, 25, "46.50")
    assert body["next"].endswith("page=2&page_size=25")


# --- POST /api/orders/<id>/cash-collected/ -----------------------------------------------------


def state(order) -> tuple:
    fresh = Order.objects.get(pk=order.pk)
    return (fresh.status, fresh.cash_collected_at, sorted(
        LedgerEntry.objects.values_list("key", "amount")
    ))


def test_the_seller_records_cash_collected_once(
    jwt_client, cash_orders, manufacturer_a, staff_user
):
    phone = move(cash_orders["Phone"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)
    client = jwt_client(manufacturer_a)

    response = client.post(cash_url(phone))

    assert response.status_code == 200
    body = response.json()
    assert (body["order"], body["status"], body["cash_collected_by"], body["commission_owed"]) == (
        phone.pk, "delivered", manufacturer_a.pk, "20.00"
    )
    before = state(phone)
    again = client.post(cash_url(phone).rstrip("/"))  # the slash is optional
    assert again.status_code == 200 and again.json() == body
    assert state(phone) == before
    assert client.get(EARNINGS).json()["owed"] == "20.00"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("customer", 403, "backoffice_only"), ("manufacturer_b", 404, "order_unknown")],
)
def test_others_are_refused_and_nothing_changes(
    request, who, status, code, jwt_client, cash_orders, staff_user
):
    phone = move(cash_orders["Phone"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)
    before = state(phone)
    response = jwt_client(request.getfixturevalue(who)).post(cash_url(phone))
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["detail"]
    assert state(phone) == before


def test_unknown_orders_and_wrong_states(jwt_client, cash_orders, staff_user):
    client = jwt_client(staff_user)
    missing = client.post("/api/orders/99999999999999999999999/cash-collected/")
    assert (missing.status_code, missing.json()["code"]) == (404, "order_unknown")
    pending = cash_orders["Shirt"]
    before = state(pending)
    early = client.post(cash_url(pending))
    assert (early.status_code, early.json()["code"]) == (409, "not_delivered")
    assert state(pending) == before


def test_an_order_paid_online_has_no_cash_to_collect(jwt_client, paid_orders, staff_user):
    phone = deliver(paid_orders["Phone"], actor=staff_user)
    before = state(phone)
    response = jwt_client(staff_user).post(cash_url(phone))
    assert (response.status_code, response.json()["code"]) == (409, "not_cash_on_delivery")
    assert state(phone) == before
