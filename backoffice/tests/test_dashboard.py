"""The dashboard's figures on known data, per role; scoping between manufacturers; query count;
every amount with its currency."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task

from backoffice.reports import selectors
from backoffice.reports.tables import SalesTable
from backoffice.tests.reports_data import build, build_more
from core.money import money_format
from notifications.models import OutboundMessage
from users.services import user_register

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
# The whole admin index: session, user, sidebar permissions, notification bell, and the
# dashboard's own reads (one per block; staff's manufacturers and payouts awaiting approval are
# two more; a manufacturer's setup checklist is one, backoffice.checklist). The same with 3 rows
# or 40.
DASHBOARD_MAX_QUERIES = {"staff_user": 14, "manufacturer_a": 13}
# An amount as the admin writes it: thousands separators and two decimals.
AMOUNT = re.compile(r"(.)(\d{1,3}(?:,\d{3})*\.\d\d)(?!\d)(\s*★)?")


@pytest.fixture
def data(staff_user, manufacturer_a, manufacturer_b, customer):
    return build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)


def _cards(response, key="attention_cards") -> dict:
    return {str(card["title"]): card for card in response.context[key]}


def _failures(n: int) -> None:
    now = timezone.now()
    for i in range(n):
        Task.objects.create(
            id=f"task{i}", name=f"task {i}", func="x.y", started=now, stopped=now, success=False
        )


def test_manufacturer_sees_their_own_figures(client, data, manufacturer_a):
    client.force_login(manufacturer_a)

    response = client.get(INDEX)

    cards = _cards(response)
    # Phone M 2 x 100 + phone L 0 + case 49 x 10 + draft 1 x 5.
    assert cards["Inventory value"]["value"] == "₦695.00"
    assert cards["Running low"]["value"] == 2  # phone M (2 of 5) and the draft (1 of 5)
    assert cards["Running low"]["href"] == "/admin/catalog/product/?stock=low"
    assert cards["Out of stock"]["value"] == 1  # phone L
    assert cards["Out of stock"]["href"] == "/admin/catalog/product/?stock=out"
    assert cards["Average rating"]["value"] == "4.00 ★"  # 5 and 3; the pending 1 left out
    sales = _cards(response, "sales_cards")
    assert sales["Orders, last 7 days"]["value"] == 2  # the cancelled one is no sale
    assert sales["Revenue, last 30 days"]["value"] == "₦310.00"  # 210 + 100, never B's 80
    approval = {row["key"]: row["count"] for row in response.context["approval_rows"]}
    assert approval == {"draft": 0, "pending": 1, "approved": 2, "rejected": 0}
    html = response.content.decode()
    assert "Alpha case" in html and "alpha.csv" in html
    assert "Beta shoe" not in html and "beta.csv" not in html and "Maker B" not in html


def test_manufacturer_b_never_counts_a(client, data, manufacturer_b):
    client.force_login(manufacturer_b)

    response = client.get(INDEX)

    cards = _cards(response)
    assert cards["Inventory value"]["value"] == "₦80.00"  # 2 shoes x 40
    assert cards["Running low"]["value"] == 1
    assert cards["Out of stock"]["value"] == 0
    assert _cards(response, "sales_cards")["Revenue, last 30 days"]["value"] == "₦120.00"
    assert response.context["rating_trend"].pending == 1
    html = response.content.decode()
    assert "Alpha" not in html and "alpha.csv" not in html


def test_sales_chart_holds_thirty_days_of_own_lines(manufacturer_a, data):
    sales = selectors.daily_sales(user=manufacturer_a, days=30)

    assert len(sales.days) == 30 and sales.days[-1] == timezone.localdate()
    assert sales.orders[-1] == 2
    assert sales.revenue[-1] == Decimal("310")
    assert sum(sales.orders[:-1]) == 0


def test_staff_sees_what_needs_attention(client, data, staff_user, manufacturer_a, manufacturer_b):
    OutboundMessage.objects.create(
        channel="email", recipient="x@martaf.test", body="b", status="failed"
    )
    OutboundMessage.objects.create(channel="email", recipient="y@martaf.test", body="b")
    _failures(2)
    applicant = user_register(email="new.maker@martaf.test", password="A-long-pass-phrase-1",
                              is_manufacturer=True)
    client.force_login(staff_user)

    response = client.get(INDEX)

    cards = _cards(response)
    assert cards["Manufacturers awaiting approval"]["value"] == 1
    # One application: the card opens its review page (backoffice.approval).
    assert cards["Manufacturers awaiting approval"]["href"] == (
        f"/admin/onboarding/review/{applicant.pk}/"
    )
    assert cards["Products awaiting approval"]["value"] == 1
    assert cards["Products awaiting approval"]["href"] == "/admin/catalog/pendingproduct/"
    assert cards["Reviews awaiting moderation"]["value"] == 2
    assert cards["Failed outbox messages"]["value"] == 1
    assert cards["Failed background tasks"]["value"] == 2
    statuses = {row["key"]: row["count"] for row in response.context["order_status_rows"]}
    assert statuses == {
        "pending": 3, "processing": 0, "shipped": 0, "delivered": 0, "cancelled": 1
    }
    assert response.context["new_users"] == 5
    top_manufacturers = response.context["top_manufacturers"]["rows"]
    # Each manufacturer's name links to their account's page, as each product's does to its own.
    assert [(row[0], row[3]) for row in top_manufacturers] == [
        (f'<a class="martaf-link" href="/admin/users/user/{maker.pk}/change/">{name}</a>', revenue)
        for maker, name, revenue in [
            (manufacturer_a, "Maker A", "₦310.00"), (manufacturer_b, "Maker B", "₦120.00")
        ]
    ]
    top_products = response.context["top_products"]["rows"]
    assert [row[3] for row in top_products] == ["₦300.00", "₦120.00", "₦10.00"]
    assert "Alpha phone" in top_products[0][0]
    assert _cards(response, "sales_cards")["Revenue, last 7 days"]["value"] == "₦430.00"


def test_new_users_per_week_has_eight_weeks(staff_user, manufacturer_a):
    weeks = selectors.new_users_per_week(weeks=8)

    assert len(weeks) == 8
    assert weeks[-1][1] == 2 and sum(count for _monday, count in weeks) == 2
    assert all(monday.weekday() == 0 for monday, _count in weeks)


def _count_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff_user", "manufacturer_a"])
def test_dashboard_query_count_does_not_grow_with_rows(
    client, request, role, staff_user, manufacturer_a, manufacturer_b, customer,
    django_assert_max_num_queries,
):
    user = request.getfixturevalue(role)
    build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)
    few = _count_queries(client, user)

    build_more(staff_user, manufacturer_a, manufacturer_b, customer)
    _failures(5)
    many = _count_queries(client, user)

    assert few == many
    client.force_login(user)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES[role]):
        client.get(INDEX)


def test_dashboard_and_reports_show_money_in_the_one_format():
    # core.money.money_format: the currency, thousands separators, two decimals, halves rounded up (the
    # dashboard and the sales report used to truncate a third decimal instead).
    row = {"key": None, "name": "x", "quantity": 1, "orders": 1, "revenue": Decimal("19042.505")}
    rendered = SalesTable([row], group_by="category").rows[0].get_cell("revenue")

    assert rendered == money_format(Decimal("19042.505")) == "₦19,042.51"


@pytest.mark.parametrize("role", ["staff_user", "manufacturer_a"])
def test_every_amount_on_the_dashboard_carries_the_currency(client, data, request, role):
    client.force_login(request.getfixturevalue(role))

    page = client.get(reverse("admin:index")).content.decode()
    html = page[page.index('class="martaf-dashboard"'):]  # the figures, not the theme's CSS

    amounts = [m for m in AMOUNT.finditer(html) if not m.group(3)]  # "4.67 ★" is a rating
    assert amounts, "the dashboard shows some amounts"
    assert [m.group(0) for m in amounts if m.group(1) != "₦"] == []
