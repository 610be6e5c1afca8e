"""The JSON API: DRF, JWT (simplejwt) and its refresh cookie, the OpenAPI schema, CORS.

No DRF import here: the API prefixes come from ``core.paths`` (the JSON error pages use them too).
"""

from datetime import timedelta

from corsheaders.defaults import default_headers as cors_default_headers

from core.env import env_bool, env_int, env_list, env_str
from core.paths import cors_urls_regex

from .base import DEBUG, SECRET_KEY

# --- API --------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # The storefront never sends a CSRF token: the API authenticates by JWT only.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's JSON, byte for byte, written by orjson; the browsable API as before.
    "DEFAULT_RENDERER_CLASSES": [
        "core.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["core.api.FilterBackend"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # DRF's parsers within the request limits of base.py (body size, JSON nesting): 400s.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "core.parsers.MultiPartParser",
    ],
    # DRF itself never reads X-Forwarded-For (a client could forge it): the throttles key on
    # core.client_ip, which believes the header only from TRUSTED_PROXIES (settings/security.py).
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "login": env_str("THROTTLE_LOGIN", "10/min"),
        "password_reset": env_str("THROTTLE_PASSWORD_RESET", "5/min"),
        "register": env_str("THROTTLE_REGISTER", "30/hour"),
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env_str("JWT_SIGNING_KEY", SECRET_KEY),
    # Tokens carry a hash of the password they were issued under: after a password change an
    # access token still within its minutes is refused (401 "password_changed").
    "CHECK_REVOKE_TOKEN": True,
}

# The HttpOnly cookie that carries the refresh token (docs/api.md#authentication).
JWT_REFRESH_COOKIE = {
    "name": env_str("JWT_REFRESH_COOKIE_NAME", "refresh_token"),
    "secure": env_bool("JWT_REFRESH_COOKIE_SECURE", not DEBUG),
    "samesite": env_str("JWT_REFRESH_COOKIE_SAMESITE", "Lax" if DEBUG else "None"),
    "domain": env_str("JWT_REFRESH_COOKIE_DOMAIN") or None,
    "path": "/",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MARTAF marketplace API",
    "DESCRIPTION": "Accounts, catalogue, reviews, orders, messages and notifications.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's JS/CSS come from drf-spectacular-sidecar through our static files, so
    # /api/docs/ works without internet (the default is a CDN at @latest).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the errors it can answer (400/401/403/404/415, one shape).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema_add_error_responses",
    ],
}

CORS_ALLOWED_ORIGINS = env_list(
    "CORS_ALLOWED_ORIGINS", ["http://localhost:5173", "http://localhost:3000"]
)
CORS_ALLOW_CREDENTIALS = True
# The defaults, and the checkout's Idempotency-Key (a retried checkout answers the first).
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = ["Idempotent-Replayed"]
CORS_URLS_REGEX = cors_urls_regex()  # the API prefixes, as the JSON error pages use them
