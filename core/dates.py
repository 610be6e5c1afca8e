"""Dates as people type them: in their locale's order.

``01/11/2026`` is the 1st of November in Lagos and January the 11th in New York. The backoffice
reads typed dates in the order of ``settings.CURRENCY_LOCALE`` (default ``en_NG``: day first)
and always accepts the unambiguous ISO form (``2026-11-01``, what the date pickers send); a
two-digit year is refused rather than guessed.
"""

from functools import cache

from babel.dates import get_date_format
from django.conf import settings

_SEPARATORS = ("/", "-", ".")


@cache
def _order(locale: str) -> str:
    """"dmy", "mdy" or "ymd": the order of the locale's short date pattern."""
    pattern = get_date_format("short", locale=locale).pattern
    positions = {part: pattern.find(letter) for part, letter in (("d", "d"), ("m", "M"), ("y", "y"))}
    return "".join(sorted(positions, key=positions.get))


def date_input_formats(locale: str | None = None) -> list[str]:
    """``strptime`` formats for a typed date: ISO first, then the locale's order with a
    four-digit year and any of ``/``, ``-``, ``.`` between the parts."""
    order = _order(locale or settings.CURRENCY_LOCALE)
    codes = {"d": "%d", "m": "%m", "y": "%Y"}
    formats = ["%Y-%m-%d"]
    for separator in _SEPARATORS:
        typed = separator.join(codes[part] for part in order)
        if typed not in formats:
            formats.append(typed)
    return formats


def date_typing_hint(locale: str | None = None) -> str:
    """How to type a date here, e.g. "DD/MM/YYYY"."""
    order = _order(locale or settings.CURRENCY_LOCALE)
    return "/".join({"d": "DD", "m": "MM", "y": "YYYY"}[part] for part in order)
