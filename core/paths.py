"""The JSON API's path prefixes: the error pages answer JSON there, and CORS applies there.

Kept free of DRF imports: the settings read it (importing DRF while settings load would freeze
DRF's defaults before ``REST_FRAMEWORK`` is set).

A prefix covers itself and everything below it (``/cart``, ``/cart/add``), not a longer word
(``/cartography``): so ``/reset-password`` does not cover ``/reset-password-confirm/<token>/``,
which needs its own entry (without it the confirmation's preflight went unanswered and the
browser refused the call). Every route of the apps' ``api`` URL modules must sit under one of
these; ``core/tests/test_cors_routes.py`` walks the URL conf and fails on one that does not.
"""

import re

API_PREFIXES = (
    "/accounts",
    "/products",
    "/api",
    "/reset-password",
    "/reset-password-confirm",
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
