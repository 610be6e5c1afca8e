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
