"""The JSON API's path prefixes: the error pages answer JSON there, and CORS applies there.

Kept free of DRF imports: the settings read it (importing DRF while settings load would freeze
DRF's defaults before ``REST_FRAMEWORK`` is set).

A prefix covers itself and everything below it (``/cart``, ``/cart/add``), not a longer word
(``/cartography``).
"""

import re

API_PREFIXES = (
    "/accounts",
    "/products",
    "/api",
    "/reset-password",
    "/forgot-email",
    # The storefront's shopping, checkout and order calls (docs/api.md#wishlist onwards)
    "/wishlist",
    "/cart",
    "/checkout",
    "/select",
    "/paystack",
    "/orders",
    "/shipping",
)

_API_PATH = re.compile(
    r"^/(" + "|".join(re.escape(prefix.lstrip("/")) for prefix in API_PREFIXES) + r")(/|$)"
)


def path_is_api(path: str) -> bool:
    return _API_PATH.match(path) is not None


def cors_urls_regex() -> str:
    """``CORS_URLS_REGEX`` for django-cors-headers: the same prefixes as the error pages."""
    return _API_PATH.pattern
