"""Money as people read it: two decimals with thousands separators (one format everywhere)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize_money(amount: Decimal) -> Decimal:
    """Round to the cent, halves up (the rounding of every price the project computes)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money_format(amount: Decimal | int | float | None) -> str:
    """``19042.5`` -> ``"19,042.50"``; None -> ``"-"``."""
    if amount is None:
        return "-"
    return f"{quantize_money(Decimal(amount)):,.2f}"
