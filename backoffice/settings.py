"""Settings for the MARTAF backoffice.

Everything that differs between a laptop and production comes from the environment, read here
and only here (see README "Configuration"). With nothing set, the project runs on an embedded
SQLite file, an in-memory channel layer and django-q2's ORM broker: safe defaults for local use.
Production mode is ``DEBUG=0``; it requires ``SECRET_KEY`` and passes ``manage.py check --deploy``.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_str
from core.paths import cors_urls_regex

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------------------------

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
    # MARTAF
    "backoffice.apps.BackofficeConfig",
    "users",
    "catalog",
    "orders",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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

# --- Database ---------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _default_db = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
else:
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
    }
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    _default_db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000"
            ),
        }
    )
    # Tests use a file too (not Django's shared in-memory database): the live server, the
    # websocket tests' worker threads and the concurrency tests each get a real connection,
    # with the same locking and transactions as production.
    # One file per test process, so parallel runs never share (and corrupt) a database.
    _default_db.setdefault("TEST", {}).setdefault(
        "NAME",
        env_str("SQLITE_TEST_PATH")
        or str(Path(tempfile.gettempdir()) / f"martaf-test-{os.getpid()}.sqlite3"),
    )
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer, task broker (all optional) -----------------------------------

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# django-q2: `retry` must exceed `timeout`, or a slow task is handed out twice.
Q_CLUSTER = {
    "name": "martaf",
    "label": _("Background tasks"),
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 5,
    "ack_failures": True,
    "save_limit": 1000,
    "catch_up": False,
    "poll": 0.5,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Users and authentication -----------------------------------------------------------------

AUTH_USER_MODEL = "users.User"
# Email is unique by a case-insensitive functional constraint (users.User.Meta), which this
# check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth: email is the login, there is no username.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "APP": {
            "client_id": env_str("GOOGLE_CLIENT_ID"),
            "secret": env_str("GOOGLE_CLIENT_SECRET"),
        },
    }
}

# --- API --------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # The storefront never sends a CSRF token: the API authenticates by JWT only.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # How many proxies (load balancers) put their hop in X-Forwarded-For: throttles key on the
    # client address before them. 0 trusts no X-Forwarded-For (a client could forge it).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0 if DEBUG else 1),
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
}

# The HttpOnly cookie that carries the refresh token (see storefront-contract.md).
JWT_REFRESH_COOKIE = {
    "name": env_str("JWT_REFRESH_COOKIE_NAME", "refresh_token"),
    "secure": env_bool("JWT_REFRESH_COOKIE_SECURE", not DEBUG),
    "samesite": env_str("JWT_REFRESH_COOKIE_SAMESITE", "Lax" if DEBUG else "None"),
    "domain": env_str("JWT_REFRESH_COOKIE_DOMAIN") or None,
    "path": "/",
}

# --- Accounts API (users app) ------------------------------------------------------------------

# Without "remember me" the refresh token lives this long (rotation restarts the clock) and its
# cookie is a browser-session cookie; with it, SIMPLE_JWT's REFRESH_TOKEN_LIFETIME and Max-Age.
JWT_SESSION_REFRESH_LIFETIME = timedelta(hours=env_int("JWT_SESSION_REFRESH_HOURS", 24))
# Seed behaviour (False): reset-password answers 401 and forgot-email 404 for an unknown account.
# True: both answer 200 with the same message whether or not the account exists (README).
API_PREVENT_ACCOUNT_ENUMERATION = env_bool("PREVENT_ACCOUNT_ENUMERATION", False)
PASSWORD_RESET_TOKEN_MINUTES = env_int("PASSWORD_RESET_TOKEN_MINUTES", 5)
PASSWORD_RESET_URL = env_str(
    "PASSWORD_RESET_URL", f"{FRONTEND_URL}/reset-password-confirm/{{token}}/"
)
ONE_TIME_LOGIN_TOKEN_MINUTES = env_int("ONE_TIME_LOGIN_TOKEN_MINUTES", 24 * 60)
ONE_TIME_LOGIN_URL = env_str(
    "ONE_TIME_LOGIN_URL", f"{FRONTEND_URL}/one-time-login/?uid={{uid}}&token={{token}}"
)
# Where allauth sends the browser after Google sign-in; the storefront page there calls
# GET /accounts/google/login (with credentials) to turn the session into JWTs.
GOOGLE_LOGIN_REDIRECT_URL = env_str(
    "GOOGLE_LOGIN_REDIRECT_URL", f"{FRONTEND_URL}/google/callback"
)
ACCOUNT_ADAPTER = "users.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "users.adapters.SocialAccountAdapter"

SPECTACULAR_SETTINGS = {
    "TITLE": "MARTAF marketplace API",
    "DESCRIPTION": "Accounts, catalogue, reviews, orders, messages and notifications.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

CORS_ALLOWED_ORIGINS = env_list(
    "CORS_ALLOWED_ORIGINS", ["http://localhost:5173", "http://localhost:3000"]
)
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = cors_urls_regex()  # the API prefixes, as the JSON error pages use them

# --- Email and SMS ----------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MARTAF <no-reply@martaf.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 15
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")

# --- Notifications: SMS backend and the email/SMS outbox (notifications app) -------------------

# Twilio as soon as its account is configured, else SMS are only written to the log.
SMS_BACKEND = env_str("SMS_BACKEND") or (
    "notifications.sms.TwilioSMSBackend"
    if TWILIO_ACCOUNT_SID
    else "notifications.sms.LoggingSMSBackend"
)
TWILIO_TIMEOUT_SECONDS = env_int("TWILIO_TIMEOUT_SECONDS", 15)
# A failed email/SMS is retried after 1, 2, 4, 8 ... minutes (capped), then stays "failed".
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
# How long a worker may hold a message it is sending before the sweeper hands it out again;
# longer than any task may run (Q_CLUSTER["retry"] > ["timeout"]).
OUTBOX_SENDING_LEASE_SECONDS = Q_CLUSTER["retry"]

PHONENUMBER_DEFAULT_REGION = env_str("PHONENUMBER_DEFAULT_REGION") or None
PHONENUMBER_DB_FORMAT = "E164"

# --- Catalogue --------------------------------------------------------------------------------

# A variation at or below its threshold alerts its manufacturer once (seed name kept).
DEFAULT_LOW_STOCK_THRESHOLD = env_int("DEFAULT_LOW_STOCK_THRESHOLD", 5)
# Whether a manufacturer's edit of name, description, price or images sends an approved product
# back to pending approval.
CATALOG_REAPPROVE_ON_EDIT = env_bool("CATALOG_REAPPROVE_ON_EDIT", False)
CATALOG_IMAGE_MAX_BYTES = env_int("CATALOG_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
CATALOG_IMAGE_MAX_PIXELS = 40_000_000  # refuse decompression bombs before resizing
CATALOG_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
CATALOG_IMAGE_RENDITIONS = {"thumbnail": (240, 240), "medium": (900, 900)}
# Imports with more rows than this are checked and written by the worker, with progress.
CATALOG_IMPORT_BACKGROUND_ROWS = env_int("CATALOG_IMPORT_BACKGROUND_ROWS", 2000)
CATALOG_IMPORT_IMAGE_TIMEOUT = env_int("CATALOG_IMPORT_IMAGE_TIMEOUT", 10)
# How many of the latest published reviews each product carries in the API's ``reviews_data``
# (``review_count`` is always the full count; the review endpoints page through all of them).
CATALOG_API_PRODUCT_REVIEWS = env_int("CATALOG_API_PRODUCT_REVIEWS", 10)

# The review screen: a review is published at once unless it trips one of these checks; then
# it waits as "pending" in the staff moderation queue (catalog.services.reviews).
REVIEW_SCREEN_LINKS = env_bool("REVIEW_SCREEN_LINKS", True)
REVIEW_BLOCKED_WORDS = env_list("REVIEW_BLOCKED_WORDS", [])  # words or phrases, comma-separated
REVIEW_SCREEN_ALL_CAPS = env_bool("REVIEW_SCREEN_ALL_CAPS", True)
REVIEW_ALL_CAPS_MIN_LETTERS = env_int("REVIEW_ALL_CAPS_MIN_LETTERS", 12)  # "GOOD!" is fine

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "backoffice" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security (production mode) ---------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", True):
        # The load balancer terminates TLS and says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Admin (django-unfold) --------------------------------------------------------------------

UNFOLD = {
    "SITE_TITLE": "MARTAF backoffice",
    "SITE_HEADER": "MARTAF",
    "SITE_SUBHEADER": _("Marketplace backoffice"),
    "SITE_SYMBOL": "storefront",
    "SITE_URL": FRONTEND_URL,  # "Return to site" goes to the storefront
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_BACK_BUTTON": True,
    "ENVIRONMENT": "backoffice.admin_navigation.environment_badge",
    "DASHBOARD_CALLBACK": "backoffice.dashboard.dashboard_callback",
    "LOGIN": {
        "image": lambda request: static("backoffice/login.svg"),
    },
    "STYLES": [lambda request: static("backoffice/admin.css")],
    "BORDER_RADIUS": "8px",
    "COLORS": {
        # MARTAF amber: warm, legible on white and on the dark theme.
        "primary": {
            "50": "oklch(98.7% .022 95.277)",
            "100": "oklch(96.2% .059 95.617)",
            "200": "oklch(92.4% .12 95.746)",
            "300": "oklch(87.9% .169 91.605)",
            "400": "oklch(82.8% .189 84.429)",
            "500": "oklch(76.9% .188 70.08)",
            "600": "oklch(66.6% .179 58.318)",
            "700": "oklch(55.5% .163 48.998)",
            "800": "oklch(47.3% .137 46.201)",
            "900": "oklch(41.4% .112 45.904)",
            "950": "oklch(27.9% .077 45.635)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "backoffice.admin_navigation.sidebar_navigation",
    },
    "ACCOUNT": {
        "navigation": [
            {"title": _("API documentation"), "link": reverse_lazy("swagger-ui")},
        ]
    },
}
