"""Real Chromium on another origin, as the storefront is: a buyer who forgot their password asks
for a reset, sets a new password with the emailed token and signs in with it, every call a real
``fetch`` from a page the backoffice did not serve (so each is preflighted and checked against
the CORS answers, as in production).

The storefront's page is a tiny ``http.server`` on another port of localhost, the backoffice the
live server: another origin (the port differs) of the same site, as a storefront and its API on
two subdomains of one domain are. Only the page's origin is in ``CORS_ALLOWED_ORIGINS``. The
refresh cookie is set as in production (``SameSite=None; Secure``: Chromium takes Secure cookies
from localhost over http). Not another site (127.0.0.1 against localhost): Playwright's browser
contexts are private windows, which block third-party cookies, so the refresh cookie would
never come back.
"""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.signals import request_started

from backoffice.tests.chromium import BROWSER_TEST
from conftest import PASSWORD

pytestmark = BROWSER_TEST

NEW_PASSWORD = "Adinkra-Symbols-77"
TOKEN_IN_LINK = re.compile(r"/reset-password-confirm/([A-Za-z0-9_-]+)/")

STOREFRONT_PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>MARTAF storefront</title></head>
<body><h1>Storefront</h1></body></html>"""

# The storefront's own call: JSON in and out, the refresh cookie along (credentials).
FETCH_JSON = """async ({url, method, body, access}) => {
    const headers = {"Content-Type": "application/json"};
    if (access) headers["Authorization"] = `Bearer ${access}`;
    const response = await fetch(url, {
        method,
        headers,
        credentials: "include",
        body: body == null ? undefined : JSON.stringify(body),
    });
    return {status: response.status, body: await response.json()};
}"""


class _StorefrontPage(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(STOREFRONT_PAGE)))
        self.end_headers()
        self.wfile.write(STOREFRONT_PAGE)

    def log_message(self, format, *args):  # keep the test output quiet
        pass


@pytest.fixture
def storefront_origin():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StorefrontPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def api_requests():
    """What reached the backoffice: (method, path, Origin) of every request, preflights
    included (the browser does not show those to the page)."""
    seen: list[tuple[str, str, str]] = []

    def record(sender, environ, **kwargs):
        seen.append(
            (environ["REQUEST_METHOD"], environ["PATH_INFO"], environ.get("HTTP_ORIGIN", ""))
        )

    request_started.connect(record)
    yield seen
    request_started.disconnect(record)


@pytest.fixture
def cross_site(settings, storefront_origin):
    settings.CORS_ALLOWED_ORIGINS = [storefront_origin]
    settings.JWT_REFRESH_COOKIE = {
        **settings.JWT_REFRESH_COOKIE, "secure": True, "samesite": "None"
    }
    return storefront_origin


def test_a_buyer_resets_their_password_and_signs_in_from_the_storefronts_origin(
    page, live_server, customer, cross_site, api_requests
):
    page.goto(cross_site)
    assert page.evaluate("location.origin") == cross_site != live_server.url

    def call(method: str, path: str, body=None, access=None) -> dict:
        return page.evaluate(
            FETCH_JSON,
            {"url": live_server.url + path, "method": method, "body": body, "access": access},
        )

    asked = call("POST", "/reset-password/", {"email": customer.email})
    assert asked == {"status": 200, "body": {"message": "Password reset email sent"}}
    (token,) = set(TOKEN_IN_LINK.findall(mail.outbox[-1].body))

    confirm = f"/reset-password-confirm/{token}/"
    confirmed = call("POST", confirm, {"password": NEW_PASSWORD})
    assert confirmed == {"status": 200, "body": {"message": "Password reset successful"}}
    # The browser asked first (a JSON POST from another origin), then sent the POST.
    assert [r for r in api_requests if r[1] == confirm] == [
        ("OPTIONS", confirm, cross_site),
        ("POST", confirm, cross_site),
    ]

    refused = call("POST", "/accounts/login", {"email": customer.email, "password": PASSWORD})
    assert refused["status"] == 401  # an error answer the page can read: CORS on it too
    assert refused["body"]["detail"] == "Email or Password is incorrect"

    signed_in = call(
        "POST", "/accounts/login",
        {"email": customer.email, "password": NEW_PASSWORD, "remember_me": True},
    )
    assert signed_in["status"] == 200
    access = signed_in["body"]["access"]
    me = call("GET", "/accounts/UserDetails/", access=access)
    assert (me["status"], me["body"]["email"]) == (200, customer.email)

    # The HttpOnly refresh cookie came back with credentials and goes along with them.
    refreshed = call("POST", "/accounts/refresh")
    assert refreshed["status"] == 200 and refreshed["body"]["access"]
    logged_out = call("POST", "/accounts/logout")
    assert logged_out == {"status": 200, "body": {"message": "Successfully logged out."}}
