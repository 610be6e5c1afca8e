"""Catalogue policies (catalog app): low stock, re-approval after an edit, images, imports; and
the review screen (reviews app).
"""

from babel import Locale, UnknownLocaleError
from babel.numbers import is_currency
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str

from .base import FRONTEND_URL

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

from .database import Q_CLUSTER

# --- Catalogue --------------------------------------------------------------------------------

# A variation at or below its threshold alerts its manufacturer once (seed name kept).
DEFAULT_LOW_STOCK_THRESHOLD = env_int("DEFAULT_LOW_STOCK_THRESHOLD", 5)
# Whether a manufacturer's edit of name, description, price or images sends an approved product
# back to pending approval.
CATALOG_REAPPROVE_ON_EDIT = env_bool("CATALOG_REAPPROVE_ON_EDIT", False)
CATALOG_IMAGE_MAX_BYTES = env_int("CATALOG_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
# Checked from the file's header before decoding: a decoded RGBA image costs 4 bytes a pixel
# (24 MP: ~96 MB while its renditions are made; a 6300 x 6300 PNG under the old 40 MP cap raised
# the web process by ~480 MB). 24 MP holds a 6000 x 4000 camera photo.
CATALOG_IMAGE_MAX_PIXELS = env_int("CATALOG_IMAGE_MAX_PIXELS", 24_000_000)
CATALOG_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
CATALOG_IMAGE_RENDITIONS = {"thumbnail": (240, 240), "medium": (900, 900)}
# Imports with more rows than this are checked and written by the worker, with progress.
CATALOG_IMPORT_BACKGROUND_ROWS = env_int("CATALOG_IMPORT_BACKGROUND_ROWS", 2000)
CATALOG_IMPORT_IMAGE_TIMEOUT = env_int("CATALOG_IMPORT_IMAGE_TIMEOUT", 10)  # per image, in all
# The largest import accepted (the admin's upload form; every run reads at most the rows).
# 50,000 rows are checked and written well within the task timeout
# (docs/benchmarks.md#import-sizing).
CATALOG_IMPORT_MAX_BYTES = env_int("CATALOG_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
CATALOG_IMPORT_MAX_ROWS = env_int("CATALOG_IMPORT_MAX_ROWS", 50_000)
# An XLSX is a zip: what it may unpack to (a workbook of the largest upload unpacks to a few
# times its size; a decompression bomb to gigabytes).
CATALOG_IMPORT_XLSX_UNPACKED_MAX_BYTES = env_int(
    "CATALOG_IMPORT_XLSX_UNPACKED_MAX_BYTES", 10 * CATALOG_IMPORT_MAX_BYTES
)
# The import tasks' timeout, and the lease of an import's run (imports.runs): a
# run whose lease ran out is presumed dead. The lease outlives the task timeout (django-q2 kills
# a task then, +3 s) and ends before the ORM broker hands an unacknowledged task out again
# (Q_CLUSTER["retry"]), so the re-delivered task finds the import stalled and takes it over, at
# most CATALOG_IMPORT_MAX_ATTEMPTS runs in all (else it fails with the reason; a sweeper task
# fails stalled imports too). An import waiting for its task holds CATALOG_IMPORT_QUEUE_SECONDS.
CATALOG_IMPORT_TASK_TIMEOUT = Q_CLUSTER["timeout"]
CATALOG_IMPORT_LEASE_SECONDS = Q_CLUSTER["timeout"] + 15
CATALOG_IMPORT_QUEUE_SECONDS = env_int("CATALOG_IMPORT_QUEUE_SECONDS", 30 * 60)
CATALOG_IMPORT_MAX_ATTEMPTS = env_int("CATALOG_IMPORT_MAX_ATTEMPTS", 3)
# An image task works this long at most (each image is capped by CATALOG_IMPORT_IMAGE_TIMEOUT),
# then queues the products it did not reach as a follow-up task.
CATALOG_IMPORT_IMAGES_TASK_SECONDS = max(
    CATALOG_IMPORT_TASK_TIMEOUT - 3 * CATALOG_IMPORT_IMAGE_TIMEOUT, CATALOG_IMPORT_IMAGE_TIMEOUT
)
# django-import-export's own export escaping (a leading "=" dropped, XLSX-illegal characters
# replaced), for any export made through its admin mixins. The catalogue and report exports
# escape with core.spreadsheet, which keeps the text and covers + - @ too.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
# How many of the latest published reviews each product carries in the API's ``reviews_data``
# (``review_count`` is always the full count; the review endpoints page through all of them).
CATALOG_API_PRODUCT_REVIEWS = env_int("CATALOG_API_PRODUCT_REVIEWS", 10)
# Seconds a rendered catalogue page (list, and a product for anonymous readers) is kept in the
# cache, keyed by the catalogue's version (so any catalogue write retires it at once); 0: off.
CATALOG_API_CACHE_SECONDS = env_int("CATALOG_API_CACHE_SECONDS", 30)

# The review screen: a review is published at once unless it trips one of these checks; then
# it waits as "pending" in the staff moderation queue (reviews.screen).
REVIEW_SCREEN_LINKS = env_bool("REVIEW_SCREEN_LINKS", True)
REVIEW_BLOCKED_WORDS = env_list("REVIEW_BLOCKED_WORDS", [])  # words or phrases, comma-separated
REVIEW_SCREEN_ALL_CAPS = env_bool("REVIEW_SCREEN_ALL_CAPS", True)
REVIEW_ALL_CAPS_MIN_LETTERS = env_int("REVIEW_ALL_CAPS_MIN_LETTERS", 12)  # "GOOD!" is fine

# --- The storefront ---------------------------------------------------------------------------

# A product's page on the storefront ({slug} is filled in): the admin's "View on storefront".
STOREFRONT_PRODUCT_URL = env_str("STOREFRONT_PRODUCT_URL", f"{FRONTEND_URL}/product/{{slug}}")
