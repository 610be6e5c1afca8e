"""Reports → Commission: the marketplace's commission by month, day or manufacturer, with
totals, date presets and a CSV; staff only."""

import csv
import io
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from money.models import EntryKind, LedgerEntry
from money.services import order_cash_collect
from money.tests.earnings import D, deliver, move
from orders.models import OrderStatus

pytestmark = pytest.mark.django_db

REPORT = reverse("admin:reports_commission")


@pytest.fixture
def earned(paid_orders, staff_user):
    """Maker A 20.00 and Maker B 3.00 of commission on sales delivered today."""
    return {name: deliver(order, actor=staff_user) for name, order in paid_orders.items()}


def rows(response) -> list[dict]:
    return [row.record for row in response.context["table"].rows]


def test_staff_read_commission_by_manufacturer_with_totals(
    client, earned, staff_user, manufacturer_a, manufacturer_b
):
    client.force_login(staff_user)
    response = client.get(REPORT, {"group_by": "manufacturer", "period": "month"})

    assert response.status_code == 200
    assert [(r["name"], r["orders"], r["online"], r["cash"], r["net"]) for r in rows(response)] == [
        ("Maker A", 1, D("20.00"), D("0.00"), D("20.00")),
        ("Maker B", 1, D("3.00"), D("0.00"), D("3.00")),
    ]
    page = response.content.decode()
    assert "₦23.00" in page  # the totals row
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in page  # the preset filled in its dates


def test_by_month_and_with_cash_collected(client, cash_orders, staff_user):
    phone = move(cash_orders["Phone"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)
    order_cash_collect(order=phone, actor=staff_user)
    old = LedgerEntry.objects.get()
    LedgerEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(datetime(2025, 3, 10, 12))
    )
    shirt = move(cash_orders["Shirt"], OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                 actor=staff_user)
    order_cash_collect(order=shirt, actor=staff_user)
    client.force_login(staff_user)

    response = client.get(REPORT)

    this_month = timezone.localdate().strftime("%Y-%m")
    assert [(r["orders"], r["cash"], r["net"]) for r in rows(response)] == [
        (1, D("3.00"), D("3.00")), (1, D("20.00"), D("20.00"))
    ]
    page = response.content.decode()
    assert this_month in page and "2025-03" in page

    export = client.get(REPORT, {"_export": "csv"})
    lines = list(csv.reader(io.StringIO(export.content.decode())))
    assert lines[0][0] == "month" and lines[0][-1] == "commission (NGN)"
    assert [line[0] for line in lines[1:]] == [this_month, "2025-03"]
    assert [line[-1] for line in lines[1:]] == ["3.00", "20.00"]

    narrowed = client.get(REPORT, {"date_from": "2025-03-01", "date_to": "2025-03-31"})
    assert [r["net"] for r in rows(narrowed)] == [D("20.00")]


def test_manufacturers_cannot_open_it(client, earned, manufacturer_a):
    client.force_login(manufacturer_a)
    assert client.get(REPORT).status_code == 403
    assert client.get(REPORT, {"_export": "csv"}).status_code == 403


def test_the_report_costs_the_same_queries_at_any_length(client, cash_orders, staff_user,
                                                         manufacturer_a):
    from money.services import ledger_entry_add

    client.force_login(staff_user)
    order = cash_orders["Phone"]
    ledger_entry_add(manufacturer=manufacturer_a, kind=EntryKind.COMMISSION, amount=D("-1"),
                     key="t:0", order=order)
    client.get(REPORT, {"group_by": "day"})
    with CaptureQueriesContext(connection) as one:
        client.get(REPORT, {"group_by": "day"})
    for day in range(1, 30):
        entry = ledger_entry_add(manufacturer=manufacturer_a, kind=EntryKind.COMMISSION,
                                 amount=D("-1"), key=f"t:{day}", order=order)
        LedgerEntry.objects.filter(pk=entry.pk).update(
            created_at=timezone.make_aware(datetime(2026, 1, day, 12))
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(REPORT, {"group_by": "day"})
    assert len(rows(response)) == 30
    assert len(response.context["table"].page.object_list) == 25  # a page
    assert len(many) == len(one)
