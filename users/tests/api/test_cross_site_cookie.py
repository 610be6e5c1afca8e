"""The cookie-reading views (refresh, log out) answer only this site and the allowed
storefront origins: another site's page cannot end or renew a buyer's session through their
cookie (the storefront sends no CSRF token, so the origin is the check). Refused: 403
``cross_site_refused`` and nothing changes."""

import pytest
from django.conf import settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from users.tests.conftest import refresh_cookie

pytestmark = pytest.mark.django_db

COOKIE = settings.JWT_REFRESH_COOKIE["name"]
EVIL = "https://evil.example"
VIEWS = ["/accounts/logout", "/api/auth/logout/", "/accounts/refresh", "/api/auth/token/refresh/"]


@pytest.mark.parametrize("path", VIEWS)
def test_another_sites_request_is_refused_and_the_session_lives_on(signed_in, path):
    client, login_response = signed_in
    raw = refresh_cookie(login_response).value
    revoked = BlacklistedToken.objects.count()

    response = client.post(path, HTTP_ORIGIN=EVIL)

    assert response.status_code == 403
    assert response.json()["code"] == "cross_site_refused"
    assert BlacklistedToken.objects.count() == revoked
    assert COOKIE not in response.cookies  # not cleared, not rotated
    # The buyer's session still works from the storefront.
    client.cookies[COOKIE] = raw
    assert client.post("/accounts/refresh", HTTP_ORIGIN=settings.CORS_ALLOWED_ORIGINS[0]
                       ).status_code == 200


@pytest.mark.parametrize(
    "origin", [None, "storefront", "http://testserver"], ids=["no origin", "storefront", "self"]
)
def test_the_storefront_this_site_and_originless_requests_log_out(signed_in, origin):
    client, _ = signed_in
    headers = {}
    if origin == "storefront":
        headers["HTTP_ORIGIN"] = settings.CORS_ALLOWED_ORIGINS[0]
    elif origin:
        headers["HTTP_ORIGIN"] = origin

    response = client.post("/accounts/logout", **headers)

    assert response.status_code == 200
    assert response.json() == {"message": "Successfully logged out."}

