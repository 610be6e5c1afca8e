"""The refresh-token cookie (``settings.JWT_REFRESH_COOKIE``) and the seed's CSRF header.

"Remember me" gives the cookie a Max-Age equal to the refresh token's lifetime; without it the
cookie is a browser-session cookie (and the token itself is short-lived).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from users.jwt_sessions import IssuedSession

# The seed's logout also clears these; this API never sets an access cookie, older clients did.
ACCESS_COOKIE_NAME = "access_token"
CSRF_HEADER_COOKIE_NAME = "X-CSRFToken"


def refresh_cookie_read(request: HttpRequest) -> str | None:
    return request.COOKIES.get(settings.JWT_REFRESH_COOKIE["name"]) or None


def refresh_cookie_set(response: HttpResponse, *, session: IssuedSession) -> None:
    config = settings.JWT_REFRESH_COOKIE
    max_age = int(session.refresh_lifetime.total_seconds()) if session.remember else None
    response.set_cookie(
        config["name"],
        session.refresh,
        max_age=max_age,
        httponly=True,
        secure=config["secure"],
        samesite=config["samesite"],
        domain=config["domain"],
        path=config["path"],
    )


def auth_cookies_clear(response: HttpResponse) -> None:
    config = settings.JWT_REFRESH_COOKIE
    response.delete_cookie(
        config["name"], path=config["path"], domain=config["domain"], samesite=config["samesite"]
    )
    response.delete_cookie(ACCESS_COOKIE_NAME, path=config["path"], domain=config["domain"])
    response.delete_cookie(
        settings.CSRF_COOKIE_NAME,
        path=settings.CSRF_COOKIE_PATH,
        domain=settings.CSRF_COOKIE_DOMAIN,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    response.delete_cookie(CSRF_HEADER_COOKIE_NAME)


def csrf_header_add(request: HttpRequest, response: HttpResponse) -> None:
    """The seed's ``X-CSRFToken`` response header (for clients that use Django's CSRF; the API
    itself never asks for it)."""
    response["X-CSRFToken"] = get_token(request)
