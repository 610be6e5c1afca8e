"""Which browser origins may open the websocket.

The storefront runs on another origin (docs/api.md#websocket), so allowing only this site's
own hosts (channels' AllowedHostsOriginValidator) would refuse it. Allowed: this site's hosts
(ALLOWED_HOSTS) and the origins allowed to call the API (CORS_ALLOWED_ORIGINS). A connection
without an Origin header (not a browser) is refused, as before.
"""

from channels.security.websocket import OriginValidator
from django.conf import settings


def allowed_websocket_origins() -> list[str]:
    return [*settings.ALLOWED_HOSTS, *settings.CORS_ALLOWED_ORIGINS]


def websocket_origin_validator(application) -> OriginValidator:
    return OriginValidator(application, allowed_websocket_origins())
