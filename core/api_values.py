"""Values rendered as DRF's fields render them, without a field call per value.

Pages that render from value rows (the catalogue list's cards, the latest reviews) produce a
hundred timestamps and a few dozen storage URLs each; these give the same text for less.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601
from rest_framework.settings import api_settings


def timestamps(drf: Callable) -> Callable:
    """A renderer of timestamps equal to ``drf`` (a ``DateTimeField``'s ``to_representation``:
    ISO 8601 in the current time zone, "Z" for UTC) that looks the zone up once, here, instead
    of once per value; for the rest of a request. Anything but an aware datetime, or another
    configured format, goes to ``drf``."""
    if api_settings.DATETIME_FORMAT.lower() != ISO_8601 or not settings.USE_TZ:
        return drf
    zone = timezone.get_current_timezone()

    def timestamp(value):
        if not isinstance(value, datetime) or value.utcoffset() is None:
            return drf(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return timestamp
