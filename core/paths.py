"""The JSON API's path prefixes: the error pages answer JSON there, and CORS applies there.

Kept free of DRF imports: the settings read it (importing DRF while settings load would freeze
DRF's defaults before ``REST_FRAMEWORK`` is set).
"""

API_PREFIXES = (
    "/accounts",
    "/products",
    "/api",
    "/reset-password",
    "/forgot-email",
)


def path_is_api(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def cors_urls_regex() -> str:
    """``CORS_URLS_REGEX`` for django-cors-headers: the same prefixes as the error pages."""
    return r"^/(" + "|".join(prefix.lstrip("/") for prefix in API_PREFIXES) + r")"
