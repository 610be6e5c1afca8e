"""The site's foundations: debug mode, secret key, hosts and URLs, apps, middleware, templates,
language, request limits, logging (static and media files: ``storage.py``).

Everything that differs between a laptop and production comes from the environment, read only
through ``core.env`` (docs/configuration.md).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str
from core.logs import formatter_config

# The project root (manage.py's folder): this file is backoffice/settings/base.py.
BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Local development only: a fixed key is fine where nothing is secret.
    SECRET_KEY = "django-insecure-martaf-local-development-key-not-for-production-use"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where the storefront runs: links in emails (password reset, one-time login) point here.
FRONTEND_URL = env_str("FRONTEND_URL", "http://localhost:5173").rstrip("/")
# Where this backoffice is reachable, for absolute links in emails sent by background tasks.
BACKOFFICE_URL = env_str("BACKOFFICE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # unfold must come before django.contrib.admin so its templates win.
    "unfold.apps.BasicAppConfig",  # keeps admin.site = our BackofficeAdminSite
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.inlines",
    "unfold.contrib.import_export",
    "backoffice.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    # Third party
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "django_q",
    "channels",
    "treebeard",
    "import_export",
    "django_tables2",
    "phonenumber_field",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.mfa",  # TOTP and recovery codes of the admin's second factor (users.mfa)
    # MARTAF
    "backoffice.apps.BackofficeConfig",
    "users",
    "catalog",
    "imports",
    "orders",
    "money",
    "reviews",
    "shopping",
    "notifications",
]

MIDDLEWARE = [
    # Outermost: the request's id (X-Request-ID, in and out, and on every log line) and one log
    # line per request with its status and duration (backoffice.request_log).
    "backoffice.request_log.RequestLogMiddleware",
    # /healthz and /readyz answer here, before host checks, redirects and sessions: a load
    # balancer polls them by address, over plain HTTP, every second (backoffice.health).
    "backoffice.health.HealthMiddleware",
    # First: reads a doubled leading slash as one before anything routes on the path, and
    # makes every error under the API prefixes JSON (core.transport).
    "core.transport.StorefrontTransportMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",  # on every answer, the error pages' too
    # The database unreachable: a 503 to retry, not a 500 (core.unavailable).
    "core.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # With DEBUG on, an admin 404 in the admin's look instead of Django's technical page.
    "backoffice.errors.DebugNotFoundInAdminLook",
]

ROOT_URLCONF = "backoffice.urls"
WSGI_APPLICATION = "backoffice.wsgi.application"
ASGI_APPLICATION = "backoffice.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media: settings/storage.py -------------------------------------------------

# --- Request limits (docs/api.md#limits) ------------------------------------------------------
# Set on purpose, not left to defaults: one request must not be able to take the site down.
# The largest legitimate non-file body is a product with 200 variations and a 10,000-character
# description (about 60 KB of JSON or form fields): 1 MB leaves room. The API's JSON and form
# parsers (core.api) enforce it too: DRF reads the stream itself, past Django's own check.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# The admin's product page posts ~10 fields per variation row: 200 variations + images + forms.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 3000
# A product takes at most 10 images (catalog.limits); one more request-wide for other forms.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Uploads larger than this are spooled to a temporary file instead of memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A whole multipart API request (the product API with its images) at most: 10 images at
# CATALOG_IMAGE_MAX_BYTES each, plus the fields.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 105 * 1024 * 1024)

# --- Logging ---------------------------------------------------------------------------------

# "plain" (the default): one readable line per record; "json": one JSON object per line (time,
# level, logger, message, request_id, and method/path/status/duration_ms on request lines), for
# a log collector. Every line carries the request's id (core.logs).
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}.")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"default": formatter_config(LOG_FORMAT)},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "filters": ["request_id"],
        }
    },
    "filters": {
        "request_id": {"()": "core.logs.RequestIdFilter"},
        "permission_denied_without_traceback": {
            "()": "backoffice.log_filters.PermissionDeniedWithoutTraceback"
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The PDF renderer logs each step of every document at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Django's own console handler on "django" printed every record a second time beside
        # the root's: drop it, the root prints each once.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["permission_denied_without_traceback"]},
        # uvicorn's own lines in the same format; its access log is off, since
        # backoffice.request_log writes one line per request with its id and duration.
        "uvicorn": {"handlers": ["console"], "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        # The worker logs each task it queues and runs at INFO; in development the emails'
        # one-line summaries say enough, so only its warnings (failures, retries) print.
        "django-q": {"level": env_str("TASK_LOG_LEVEL", "WARNING" if DEBUG else "INFO")},
    },
}
