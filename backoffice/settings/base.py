"""The site's foundations: debug mode, secret key, hosts and URLs, apps, middleware, templates,
language, static and media files, logging.

Everything that differs between a laptop and production comes from the environment, read only
through ``core.env`` (docs/configuration.md).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str

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
    "axes",  # admin sign-in lockout (backoffice.admin_door)
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
    # First: reads a doubled leading slash as one before anything routes on the path, and
    # makes every error under the API prefixes JSON (core.transport).
    "core.transport.StorefrontTransportMiddleware",
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
    "axes.middleware.AxesMiddleware",  # turns a lockout into the login page's 429
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
# Files browsers ask for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "backoffice" / "public"

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "filters": {
        "permission_denied_without_traceback": {
            "()": "backoffice.log_filters.PermissionDeniedWithoutTraceback"
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The PDF renderer logs each step of every document at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Django's own console handler on "django" printed every record a second time beside
        # the root's: drop it, the root prints each once.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["permission_denied_without_traceback"]},
        # The worker logs each task it queues and runs at INFO; in development the emails'
        # one-line summaries say enough, so only its warnings (failures, retries) print.
        "django-q": {"level": env_str("TASK_LOG_LEVEL", "WARNING" if DEBUG else "INFO")},
    },
}
