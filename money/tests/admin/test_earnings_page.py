"""The Earnings page (the ledger in the admin), its CSV and statement, cash collected from the
order admin, and the commission shown on orders and their lines."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from money.models import EntryKind, LedgerEntry
from money.services import ledger_entry_add
from money.tests.earnings import D, deliver, move
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db

EARNINGS = reverse("admin:money_ledgerentry_changelist")
EXPORT = reverse("admin:money_ledgerentry_export_csv")
STATEMENT = reverse("admin:money_ledgerentry_statement")


def cards(response) -> dict:
    return {str(c["title"]): c["value"] for c in response.context["earnings"]["cards"]}


@pytest.fixture
def delivered(paid_orders, staff_user):
    """Both paid orders delivered: Maker A pending 185.00, Maker B pending 32.00."""
    return {name: deliver(order, actor=staff_user) for name, order in paid_orders.items()}


def test_a_manufacturer_sees_their_balance_and_only_their_entries(
    client, delivered, manufacturer_a
):
    client.force_login(manufacturer_a)
    response = client.get(EARNINGS)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert {entry.manufacturer_id for entry in rows} == {manufacturer_a.pk}
    assert sorted(entry.amount for entry in rows) == [D("-20.00"), D("205.00")]
    assert cards(response) == {
        "Available": "₦0.00", "Pending": "₦185.00", "Owed": "₦0.00",
        "Paid out": "₦0.00",
    }
    page = response.content.decode()
    assert delivered["Phone"].number in page and delivered["Shirt"].number not in page
    assert "Pending until" in page
    # Naming another manufacturer in the address changes nothing: still only theirs.
    other = client.get(EARNINGS, {"manufacturer": delivered["Shirt"].items.get().manufacturer_id})
    assert {e.manufacturer_id for e in other.context["cl"].result_list} <= {manufacturer_a.pk}
    assert cards(other)["Pending"] == "₦185.00"


def test_staff_pick_a_manufacturer_or_read_the_totals(client, delivered, staff_user,
                                                      manufacturer_b):
    client.force_login(staff_user)
    totals = client.get(EARNINGS)
    assert cards(totals)["Pending"] == "₦217.00"
    assert totals.context["earnings"]["scope"] == "All manufacturers"
    picked = client.get(EARNINGS, {"manufacturer": manufacturer_b.pk})
    assert cards(picked)["Pending"] == "₦32.00"
    assert {e.manufacturer_id for e in picked.context["cl"].result_list} == {manufacturer_b.pk}
    pending = client.get(EARNINGS, {"state": "pending", "kind__exact": "commission"})
    assert sorted(e.amount for e in pending.context["cl"].result_list) == [
        D("-20.00"), D("-3.00")
    ]


def test_customers_cannot_open_the_page(client, customer):
    client.force_login(customer)
    assert client.get(EARNINGS).status_code in (302, 403)
    assert client.get(EXPORT).status_code in (302, 403)


def test_the_page_costs_the_same_queries_at_any_length(client, cash_orders, manufacturer_a):
    client.force_login(manufacturer_a)
    order = cash_orders["Phone"]

    def add(count, start):
        for index in range(start, start + count):
            ledger_entry_add(manufacturer=manufacturer_a, kind=EntryKind.EARNING,
                             amount=D("2.00"), key=f"t:{index}", order=order, note="x")

    add(1, 0)
    client.get(EARNINGS)  # warm the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(EARNINGS).status_code == 200
    add(40, 1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(EARNINGS)
    assert len(response.context["cl"].result_list) == 41
    # session, user, balance, releases, permissions (2), count, page, the bell's unread count
    assert len(many) == len(one) == 9


def test_the_csv_holds_what_the_filters_show_and_is_safe_to_open(
    client, cash_orders, manufacturer_a, manufacturer_b
):
    order = cash_orders["Phone"]
    ledger_entry_add(manufacturer=manufacturer_a, kind=EntryKind.EARNING, amount=D("5.00"),
                     key="t:a", order=order, note="=HYPERLINK(\"http://x\")")
    ledger_entry_add(manufacturer=manufacturer_b, kind=EntryKind.EARNING, amount=D("7.00"),
                     key="t:b", order=cash_orders["Shirt"])
    client.force_login(manufacturer_a)

    response = client.get(EXPORT)

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "kind", "order", "amount (NGN)", "available_on", "note"]
    assert [r[1:5] for r in rows[1:]] == [["Sale", order.number, "5.00", ""]]
    assert rows[1][5] == "'=HYPERLINK(\"http://x\")"


def test_the_statement_pdf_for_a_manufacturer_and_for_staff(
    client, delivered, manufacturer_a, staff_user
):
    month = timezone.localdate().strftime("%Y-%m")
    client.force_login(manufacturer_a)
    form = client.get(STATEMENT)
    assert form.status_code == 200 and "manufacturer" not in form.context["form"].fields
    pdf = client.get(STATEMENT, {"month": month})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert f"statement-{manufacturer_a.pk}-{month}.pdf" in pdf["Content-Disposition"]

    client.force_login(staff_user)
    assert client.get(STATEMENT, {"month": month}).context["form"].errors["manufacturer"]
    staff_pdf = client.get(STATEMENT, {"month": month, "manufacturer": manufacturer_a.pk})
    assert staff_pdf.content.startswith(b"%PDF-")


# --- Orders: commission shown, cash collected -------------------------------------------------


def test_the_order_page_shows_the_commission_of_the_lines(client, delivered, manufacturer_a):
    client.force_login(manufacturer_a)
    page = client.get(reverse("admin:orders_order_change", args=[delivered["Phone"].pk]))
    html = page.content.decode()
    assert "₦20.00 (10 %)" in html  # the line's commission and its terms
    assert "₦180.00" in html  # what they keep of their lines


def cash_url(order) -> str:
    return reverse("admin:orders_order_cash_collected", args=[order.pk])


def test_the_seller_records_cash_collected_from_the_order_page(
    client, cash_orders, manufacturer_a, staff_user
):
    phone = move(cash_orders["Phone"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)
    client.force_login(manufacturer_a)
    page = client.get(reverse("admin:orders_order_change", args=[phone.pk])).content.decode()
    assert "cash-collected" in page

    response = client.post(cash_url(phone), {"_form_submitted": "on"})

    assert response.status_code == 200 and response["HX-Redirect"]
    phone.refresh_from_db()
    assert (phone.status, phone.cash_collected_by) == (OrderStatus.DELIVERED, manufacturer_a)
    assert LedgerEntry.objects.get().amount == D("-20.00")
    # Recorded: the action is gone from the page.
    page = client.get(reverse("admin:orders_order_change", args=[phone.pk])).content.decode()
    assert "cash-collected" not in page


def test_another_seller_cannot_record_cash(client, cash_orders, manufacturer_b, staff_user):
    phone = move(cash_orders["Phone"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)
    client.force_login(manufacturer_b)
    response = client.post(cash_url(phone), {"_form_submitted": "on"})
    assert response.status_code == 403
    assert Order.objects.get(pk=phone.pk).cash_collected_at is None
    assert not LedgerEntry.objects.exists()


def test_staff_record_cash_for_selected_orders(client, cash_orders, staff_user):
    for order in cash_orders.values():
        move(order, OrderStatus.PROCESSING, OrderStatus.SHIPPED, actor=staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "cash_collected_selected",
         "_selected_action": [o.pk for o in cash_orders.values()]},
        follow=True,
    )
    assert "Cash collected recorded for 2 orders." in response.content.decode()
    assert sorted(LedgerEntry.objects.values_list("amount", flat=True)) == [
        D("-20.00"), D("-3.00")
    ]


def test_statement_months_are_offered_back_two_years(client, manufacturer_a):
    client.force_login(manufacturer_a)
    choices = client.get(STATEMENT).context["form"].fields["month"].choices
    today = timezone.localdate()
    assert choices[0][0] == today.strftime("%Y-%m") and len(choices) == 24
    assert date.fromisoformat(choices[-1][0] + "-01") < today
