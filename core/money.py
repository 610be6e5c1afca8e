"""Money as people read it: the marketplace's currency, its symbol, two decimals, thousands
separators (one format everywhere: admin, reports, emails).

The currency is ``settings.CURRENCY`` (ISO 4217, default NGN: the storefront shows the naira),
written the way ``settings.CURRENCY_LOCALE`` writes it (default ``en_NG``: "₦19,042.50").
Amounts are stored without a currency: the marketplace trades in one.
"""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency
from django.conf import settings

CENT = Decimal("0.01")


def quantize_money(amount: Decimal) -> Decimal:
    """Round to the cent, halves up (the rounding of every price the project computes)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money_format(amount: Decimal | int | float | None) -> str:
    """``19042.505`` -> ``"₦19,042.51"`` (rounded like every price); None -> ``"-"``."""
    if amount is None:
        return "-"
    return format_currency(
        quantize_money(Decimal(amount)),
        settings.CURRENCY,
        locale=settings.CURRENCY_LOCALE,
        # Our cents, not the currency's ISO minor units (some have none, e.g. JPY).
        currency_digits=False,
        format="¤#,##0.00",
    )


def money_header(label: str) -> str:
    """A CSV column header that names the currency: ``"revenue (NGN)"``. CSV cells stay plain
    numbers so spreadsheets can add them up."""
    return f"{label} ({settings.CURRENCY})"
