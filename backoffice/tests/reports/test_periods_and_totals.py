"""The reports' date presets, the sales report's totals row (money with its currency), and what
an empty report says."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from backoffice.reports.forms import Period, period_range
from backoffice.tests.reports.pages import rows_of, url
from backoffice.tests.reports_data import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(staff_user, manufacturer_a, manufacturer_b, customer):
    return build(staff=staff_user, maker_a=manufacturer_a, maker_b=manufacturer_b, buyer=customer)


def test_sales_report_has_a_totals_row_counting_each_order_once(client, data, staff_user):
    client.force_login(staff_user)

    table = client.get(url("sales")).context["table"]

    # Three products in three orders (the fourth was cancelled); one order holds two products,
    # so the rows' orders add up to more than the total.
    assert table.totals == {"quantity": 7, "orders": 3, "revenue": Decimal("430.00")}
    assert sum(row["orders"] for row in table.data) > table.totals["orders"]
    html = client.get(url("sales")).content.decode()
    assert "<tfoot" in html and "₦430.00" in html


def test_an_empty_sales_report_has_no_totals_row(client, data, staff_user):
    client.force_login(staff_user)
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()

    html = client.get(url("sales", date_from=tomorrow)).content.decode()

    assert "<tfoot" not in html


def test_period_presets_stand_for_whole_days():
    today = date(2026, 11, 30)
    assert period_range(Period.TODAY, today=today) == (today, today)
    assert period_range(Period.LAST_7, today=today) == (date(2026, 11, 24), today)
    assert period_range(Period.LAST_30, today=today) == (date(2026, 11, 1), today)
    assert period_range(Period.THIS_MONTH, today=today) == (date(2026, 11, 1), today)
    assert period_range(Period.CUSTOM, today=today) == (None, None)


def test_a_preset_filters_and_shows_its_dates(client, data, staff_user):
    client.force_login(staff_user)
    today = timezone.localdate().isoformat()

    response = client.get(url("sales", period="today", date_from="2000-01-01"))
    export = rows_of(client.get(url("sales", period="today", _export="csv")))

    form = response.context["form"]
    assert form["date_from"].value() == today and form["date_to"].value() == today
    assert len(export) == 4  # the preset wins over a stale typed date: today's sales


def test_typed_dates_show_as_a_custom_range(client, data, staff_user):
    client.force_login(staff_user)

    form = client.get(url("sales", date_from="2020-01-01")).context["form"]

    assert form["period"].value() == Period.CUSTOM


def test_an_empty_report_names_the_filters_in_force(client, data, staff_user):
    client.force_login(staff_user)

    html = client.get(url("sales", date_from="2020-01-01", date_to="2020-01-02")).content.decode()

    assert "Nothing matches these filters (From: 2020-01-01; To: 2020-01-02)" in html


def test_an_empty_report_without_filters_says_what_fills_it(client, staff_user):
    client.force_login(staff_user)

    html = client.get(url("imports")).content.decode()

    assert "No imports yet: upload a CSV" in html


# --- Typed dates -------------------------------------------------------------------------------


def test_a_typed_date_is_read_day_first_in_the_shops_locale(client, data, staff_user, settings):
    settings.CURRENCY_LOCALE = "en_NG"
    client.force_login(staff_user)

    form = client.get(url("sales", date_from="01/11/2026", date_to="30.11.2026")).context["form"]

    assert form.cleaned_data["date_from"] == date(2026, 11, 1)  # the 1st of November
    assert form.cleaned_data["date_to"] == date(2026, 11, 30)


def test_a_typed_date_shows_in_the_date_picker_as_it_was_read(client, data, staff_user, settings):
    settings.CURRENCY_LOCALE = "en_NG"
    client.force_login(staff_user)

    html = client.get(url("sales", date_from="01/11/2026", date_to="30.11.2026")).content.decode()

    # <input type=date> shows only a YYYY-MM-DD value: the typed text would leave it blank.
    assert 'name="date_from" value="2026-11-01"' in html
    assert 'name="date_to" value="2026-11-30"' in html
    assert "01/11/2026" not in html


def test_a_typed_date_follows_a_month_first_locale(client, data, staff_user, settings):
    settings.CURRENCY_LOCALE = "en_US"
    client.force_login(staff_user)

    form = client.get(url("sales", date_from="01/11/2026")).context["form"]

    assert form.cleaned_data["date_from"] == date(2026, 1, 11)


@pytest.mark.parametrize("typed", ["13/13/2026", "31/02/2026", "yesterday", "01/11/26"])
def test_an_unreadable_date_is_an_error_and_shows_no_figures(client, data, staff_user, typed):
    client.force_login(staff_user)

    response = client.get(url("sales", date_from=typed))

    assert response.status_code == 400
    assert response.context["table"] is None
    html = response.content.decode()
    assert "is not a date" in html and "DD/MM/YYYY" in html
    assert "₦430.00" not in html  # no all-time totals passed off as the answer
    # Nor a CSV of unfiltered rows.
    export = client.get(url("sales", date_from=typed, _export="csv"))
    assert export.status_code == 400 and export["Content-Type"].startswith("text/html")


def test_the_date_fields_are_the_browsers_date_pickers(client, data, staff_user):
    client.force_login(staff_user)

    html = client.get(url("sales", period="7d")).content.decode()

    assert html.count('type="date"') == 2
