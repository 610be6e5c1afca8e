"""Money written with its currency (``core.money``): one format for every page and export."""

from decimal import Decimal

from core.money import money_format, money_header


def test_money_is_written_with_the_configured_currency(settings):
    assert money_format(Decimal("19042.505")) == "₦19,042.51"
    assert money_format(None) == "-"
    settings.CURRENCY, settings.CURRENCY_LOCALE = "USD", "en_US"
    assert money_format(Decimal("0.5")) == "$0.50"
    assert money_header("revenue") == "revenue (USD)"
