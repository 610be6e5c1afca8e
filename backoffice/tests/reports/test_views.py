"""The report pages: access, scoping (pages and CSV), filters, sorting, CSV content, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backoffice.admin_navigation import sidebar_navigation
from backoffice.reports.views import REPORTS
from backoffice.tests.reports.pages import rows_of, url
from backoffice.tests.reports_data import build, build_more
from catalog.models import Category

pytestmark = pytest.mark.django_db

SLUGS = [report.slug for report in REPORTS]
# The reports a manufacturer opens too (scoped to their own data); the others are staff's.
SHARED_SLUGS = [report.slug for report in REPORTS if not report.staff_only]
# Per report page: session, user, the user's permissions (2), the page's count and rows,
# form choices, sidebar; the same at any length.
REPORT_MAX_QUERIES = 12


@pytest.fixture
def data(staff_user, manufacturer_a, manufacturer_b, customer):
    return build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)


@pytest.mark.parametrize("slug", SHARED_SLUGS)
def test_manufacturer_a_never_sees_b_on_page_or_in_csv(client, data, manufacturer_a, slug):
    client.force_login(manufacturer_a)

    page = client.get(url(slug))
    export = client.get(url(slug, _export="csv"))

    assert page.status_code == 200 and export.status_code == 200
    for content in (page.content.decode(), export.content.decode()):
        assert "Beta" not in content and "beta.csv" not in content and "Maker B" not in content
    assert "Manufacturer" not in rows_of(export)[0]  # staff-only column dropped


@pytest.mark.parametrize("slug", SHARED_SLUGS)
def test_staff_sees_every_manufacturer(client, data, staff_user, slug):
    client.force_login(staff_user)

    export = client.get(url(slug, _export="csv"))

    text = export.content.decode()
    assert ("Maker A" in text and "Maker B" in text) or slug == "sales"
    assert export["Content-Disposition"].startswith(f'attachment; filename="{slug}-')


def test_customer_is_sent_to_the_login_page(client, data, customer):
    client.force_login(customer)

    response = client.get(url("sales"))

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("slug", SLUGS)
def test_staff_without_the_permission_is_forbidden(client, make_user, slug):
    clerk = make_user("clerk@martaf.test", is_staff=True)
    client.force_login(clerk)

    assert client.get(url(slug)).status_code == 403
    assert client.get(url(slug, _export="csv")).status_code == 403


def test_sales_csv_by_product_for_a_manufacturer(client, data, manufacturer_a):
    client.force_login(manufacturer_a)

    rows = rows_of(client.get(url("sales", _export="csv")))

    assert rows == [
        ["product", "units", "orders", "revenue (NGN)"],
        ["Alpha phone", "3", "2", "300.00"],
        ["Alpha case", "1", "1", "10.00"],
    ]


def test_sales_by_manufacturer_and_by_category_subtree(client, data, staff_user):
    client.force_login(staff_user)

    by_maker = rows_of(client.get(url("sales", group_by="manufacturer", _export="csv")))
    electronics = Category.objects.get_first_root_node()
    by_category = rows_of(
        client.get(url("sales", group_by="category", category=electronics.pk, _export="csv"))
    )

    assert by_maker[1:] == [["Maker A", "4", "2", "310.00"], ["Maker B", "3", "2", "120.00"]]
    assert by_category == [
        ["category", "units", "orders", "revenue (NGN)"],
        ["Electronics > Phones", "4", "2", "310.00"],
    ]


def test_manufacturer_cannot_group_sales_by_manufacturer(client, data, manufacturer_a):
    client.force_login(manufacturer_a)

    response = client.get(url("sales", group_by="manufacturer"))

    # Refused: the reason shows, and no table (not even the manufacturer's own by product).
    assert response.status_code == 400
    assert response.context["form"].errors["group_by"]
    assert response.context["table"] is None


def test_sales_date_range_leaves_out_other_days(client, data, staff_user):
    client.force_login(staff_user)
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()

    later = rows_of(client.get(url("sales", date_from=tomorrow, _export="csv")))
    now = rows_of(client.get(url("sales", date_from=today, date_to=today, _export="csv")))

    assert later == [["product", "units", "orders", "revenue (NGN)"]]
    assert len(now) == 4


def test_sales_are_sortable(client, data, staff_user):
    client.force_login(staff_user)

    rows = rows_of(client.get(url("sales", sort="name", _export="csv")))

    assert [row[0] for row in rows[1:]] == ["Alpha case", "Alpha phone", "Beta shoe"]


def test_low_stock_filter_by_state(client, data, manufacturer_a):
    client.force_login(manufacturer_a)

    out = rows_of(client.get(url("low-stock", state="out", _export="csv")))
    every = rows_of(client.get(url("low-stock", _export="csv")))

    assert out == [
        ["product", "variation", "SKU", "stock", "threshold", "state"],
        ["Alpha phone", "L", "ALPHA-PHONE-L", "0", "5", "out"],
    ]
    assert [(row[0], row[3]) for row in every[1:]] == [
        ("Alpha phone", "0"), ("Alpha draft", "1"), ("Alpha phone", "2")
    ]


def test_stock_ledger_filters_by_product_and_reason(client, data, manufacturer_a):
    client.force_login(manufacturer_a)
    case = data["alpha_case"]

    rows = rows_of(client.get(url("stock-ledger", product=case.pk, reason="order", _export="csv")))

    assert [(row[1], row[2], row[3], row[4]) for row in rows[1:]] == [
        ("Alpha case", "Order", "-5", "44"),
        ("Alpha case", "Order", "-1", "49"),
    ]


def test_stock_ledger_refuses_another_manufacturers_product(client, data, manufacturer_a):
    client.force_login(manufacturer_a)

    response = client.get(url("stock-ledger", product=data["beta_shoe"].pk))

    assert "product" in response.context["form"].errors
    assert "Beta shoe" not in response.content.decode()


def test_review_report_counts_stars_per_product(client, data, staff_user):
    client.force_login(staff_user)

    rows = rows_of(client.get(url("reviews", _export="csv")))

    assert rows[0] == [
        "product", "manufacturer", "average", "published",
        "5★", "4★", "3★", "2★", "1★", "awaiting moderation",
    ]
    assert rows[1:] == [
        ["Beta shoe", "Maker B", "2.00", "1", "0", "0", "0", "1", "0", "1"],
        ["Alpha case", "Maker A", "3.00", "1", "0", "0", "1", "0", "0", "1"],
        ["Alpha phone", "Maker A", "5.00", "1", "1", "0", "0", "0", "0", "0"],
    ]


def test_import_history_filter_by_status(client, data, staff_user):
    client.force_login(staff_user)

    rows = rows_of(client.get(url("imports", status="failed", _export="csv")))

    assert len(rows) == 2
    assert rows[1][1:5] == ["beta.csv", "Maker B", "Failed", "4"]


def test_reports_page_and_sort_links(client, data, manufacturer_a):
    client.force_login(manufacturer_a)

    html = client.get(url("sales", date_from="2020-01-01")).content.decode()

    assert "Export CSV" in html and "_export=csv" in html and "date_from=2020-01-01" in html
    assert "sort=quantity" in html  # the column headers sort
    assert "2 rows" in html


@pytest.mark.parametrize("slug", SLUGS)
def test_report_query_count_does_not_grow(
    client, slug, staff_user, manufacturer_a, manufacturer_b, customer,
    django_assert_max_num_queries,
):
    build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)
    client.force_login(staff_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(slug)).status_code == 200
        return len(queries)

    few = count()
    build_more(staff_user, manufacturer_a, manufacturer_b, customer)
    many = count()

    assert few == many
    with django_assert_max_num_queries(REPORT_MAX_QUERIES):
        client.get(url(slug, _export="csv"))


def test_reports_group_in_the_sidebar(rf, staff_user, manufacturer_a, make_user):
    def reports(user) -> list[str]:
        request = rf.get("/admin/")
        request.user = user
        groups = {g["title"]: g["items"] for g in sidebar_navigation(request)}
        return [item["link"] for item in groups.get("Reports", [])]

    expected = [reverse(f"admin:{report.url_name}") for report in REPORTS]
    assert reports(staff_user) == expected
    assert reports(manufacturer_a) == [
        reverse(f"admin:{report.url_name}") for report in REPORTS if not report.staff_only
    ]
    assert reports(make_user("clerk@martaf.test", is_staff=True)) == []
