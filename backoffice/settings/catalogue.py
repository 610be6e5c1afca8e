"""Catalogue policies (catalog app): low stock, re-approval after an edit, images, imports, the
review screen.
"""

from babel import Locale, UnknownLocaleError
from babel.numbers import is_currency
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str

# --- Money ------------------------------------------------------------------------------------

# The marketplace's one currency (ISO 4217) and how amounts are written (core.money).
CURRENCY = env_str("CURRENCY", "NGN").upper()
CURRENCY_LOCALE = env_str("CURRENCY_LOCALE", "en_NG")
if not is_currency(CURRENCY):
    raise ImproperlyConfigured(f"CURRENCY={CURRENCY!r} is not an ISO 4217 currency code.")
try:
    Locale.parse(CURRENCY_LOCALE)
except (ValueError, UnknownLocaleError) as error:
    raise ImproperlyConfigured(f"CURRENCY_LOCALE={CURRENCY_LOCALE!r}: {error}") from None

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
# Seconds a rendered catalogue page (list, and a product for anonymous readers) is kept in the
# cache, keyed by the catalogue's version (so any catalogue write retires it at once); 0: off.
CATALOG_API_CACHE_SECONDS = env_int("CATALOG_API_CACHE_SECONDS", 30)

# The review screen: a review is published at once unless it trips one of these checks; then
# it waits as "pending" in the staff moderation queue (catalog.services.reviews).
REVIEW_SCREEN_LINKS = env_bool("REVIEW_SCREEN_LINKS", True)
REVIEW_BLOCKED_WORDS = env_list("REVIEW_BLOCKED_WORDS", [])  # words or phrases, comma-separated
REVIEW_SCREEN_ALL_CAPS = env_bool("REVIEW_SCREEN_ALL_CAPS", True)
REVIEW_ALL_CAPS_MIN_LETTERS = env_int("REVIEW_ALL_CAPS_MIN_LETTERS", 12)  # "GOOD!" is fine
