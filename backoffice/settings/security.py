"""Security headers and cookies; production mode (``DEBUG=0``) passes ``manage.py check --deploy``."""

from core.env import env_bool, env_int, env_list

from .base import DEBUG

# --- Proxies ----------------------------------------------------------------------------------

# The load balancers / reverse proxies in front of the app (addresses or networks, e.g.
# "10.0.0.0/8"). X-Forwarded-For is believed only when the connection comes from one of them;
# the API throttles, the admin lockout (core.client_ip) and uvicorn (runbackoffice) all follow
# this one list. Empty (the default): the header is ignored and the peer address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

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

# --- Requests at once (core.request_slots, in front of Django) ----------------------------------

# HTTP requests one web process runs in Django at once; the others wait in line (0: no limit).
# Two keeps one request's Python running while another waits on the database, without the
# lock contention of many threads; raise it where requests wait on a slow outside service.
WEB_THREADS = env_int("WEB_THREADS", 2)

# --- Request body caps (core.body_limit, in front of Django) -----------------------------------

from .base import DATA_UPLOAD_MAX_MEMORY_SIZE, UPLOAD_MAX_BYTES  # noqa: E402
from .catalogue import CATALOG_IMPORT_MAX_BYTES  # noqa: E402

# A body over its cap is a 413 before Django reads it (Django spools any body to a temporary
# file first). The default: the largest non-file body (DATA_UPLOAD_MAX_MEMORY_SIZE) and room
# for a multipart envelope; the parsers' own 400s still speak for bodies between the two.
REQUEST_BODY_MAX_BYTES = env_int(
    "REQUEST_BODY_MAX_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE + 256 * 1024
)
# The pages that take files get more: (path regex, bytes), first match wins.
_IMPORT_UPLOAD_BYTES = env_int(
    "REQUEST_BODY_IMPORT_MAX_BYTES", CATALOG_IMPORT_MAX_BYTES + REQUEST_BODY_MAX_BYTES
)
_IMAGE_UPLOAD_BYTES = env_int("REQUEST_BODY_IMAGES_MAX_BYTES", UPLOAD_MAX_BYTES)
REQUEST_BODY_LIMITS = [
    # the catalogue file (admin: Products -> Import, and the import list's Add)
    (
        r"^/admin/(catalog/product/import-products|imports/productimport/add)/?$",
        _IMPORT_UPLOAD_BYTES,
    ),
    # product images, profile pictures and logos: admin forms and the API
    (r"^/admin/catalog/(product|pendingproduct)/(add|[^/]+/change)/?$", _IMAGE_UPLOAD_BYTES),
    (r"^/admin/users/(user|customerprofile|manufacturerprofile)/(add|[^/]+/change)/?$",
     _IMAGE_UPLOAD_BYTES),
    (r"^/admin/onboarding/profile/?$", _IMAGE_UPLOAD_BYTES),
    (r"^/products/(add-product|update-product/[^/]+|put-product/[^/]+)/?$", _IMAGE_UPLOAD_BYTES),
    (r"^/api/products(/[^/]+)?/?$", _IMAGE_UPLOAD_BYTES),
    (r"^/(accounts/(UserDetails|customer)|api/auth/user)/?$", _IMAGE_UPLOAD_BYTES),
]

# --- Content-Security-Policy (core.csp) --------------------------------------------------------

# The API's answers are never pages: nothing to run, load or frame.
CSP_API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Pages (admin, API docs, error pages): only this site. unfold's templates carry inline styles
# and scripts, and Alpine.js evaluates expressions with new Function: hence the two 'unsafe-'.
CSP_PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",  # 'self' covers the notifications websocket (ws/wss, same host)
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
