from datetime import timedelta

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import aware_utcnow

from users.models import RefreshTokenFamily
from users.tests.conftest import decode_refresh, login, refresh_cookie

pytestmark = pytest.mark.django_db

COOKIE = settings.JWT_REFRESH_COOKIE["name"]
INVALID_REFRESH = {"detail": "Invalid refresh token", "code": "refresh_token_invalid"}
LOGGED_OUT = {"message": "Successfully logged out."}


def _client_with_cookie(raw: str) -> APIClient:
    client = APIClient()
    client.cookies[COOKIE] = raw
    return client


# --- Refresh ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/accounts/refresh", "/accounts/refresh/", "/api/auth/token/refresh/"]
)
def test_refresh_rotates_the_cookie_and_returns_a_new_access_token(signed_in, customer, path):
    client, login_response = signed_in
    old_raw = refresh_cookie(login_response).value

    response = client.post(path)

    assert response.status_code == 200
    assert list(response.json()) == ["access"]
    assert AccessToken(response.json()["access"])["user_id"] == str(customer.pk)
    new_raw = refresh_cookie(response).value
    assert new_raw != old_raw
    assert refresh_cookie(response)["httponly"] is True
    assert response["X-CSRFToken"]
    old_jti = decode_refresh(old_raw)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()
    assert OutstandingToken.objects.filter(jti=decode_refresh(new_raw)["jti"]).exists()


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(signed_in, customer):
    client, login_response = signed_in
    old_raw = refresh_cookie(login_response).value
    rotated = client.post("/accounts/refresh")
    assert rotated.status_code == 200
    newest_jti = decode_refresh(refresh_cookie(rotated).value)["jti"]
    other_session = APIClient()
    login(other_session, customer.email)  # another sign-in: another family, untouched

    reuse = _client_with_cookie(old_raw).post("/accounts/refresh")

    assert reuse.status_code == 401
    assert reuse.json() == {
        "detail": (
            "Invalid refresh token: it was already used, so this session has been signed out. "
            "Please log in again."
        ),
        "code": "refresh_token_reused",
    }
    assert COOKIE not in reuse.cookies
    assert BlacklistedToken.objects.filter(token__jti=newest_jti).exists()
    # The newer token of the family is dead too; the other sign-in still works.
    newest = client.post("/accounts/refresh")
    assert (newest.status_code, newest.json()) == (401, INVALID_REFRESH)
    assert other_session.post("/accounts/refresh").status_code == 200


def test_every_rotation_stays_in_the_family_of_its_sign_in(signed_in):
    client, login_response = signed_in
    family = decode_refresh(refresh_cookie(login_response).value)["family"]

    first = refresh_cookie(client.post("/accounts/refresh")).value
    second = refresh_cookie(client.post("/accounts/refresh")).value

    assert decode_refresh(first)["family"] == decode_refresh(second)["family"] == family
    assert RefreshTokenFamily.objects.filter(family=family).count() == 3


def test_a_forged_token_claiming_a_family_revokes_nothing(signed_in):
    client, login_response = signed_in
    family = decode_refresh(refresh_cookie(login_response).value)["family"]
    forged = RefreshToken()
    forged["family"] = family
    raw = str(forged)[:-4] + "AAAA"  # signature broken
    blacklisted = BlacklistedToken.objects.count()

    response = _client_with_cookie(raw).post("/accounts/refresh")

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
    assert BlacklistedToken.objects.count() == blacklisted
    assert client.post("/accounts/refresh").status_code == 200


def test_rotation_keeps_the_remember_me_choice(api_client, customer):
    login(api_client, customer.email, remember_me=False)

    response = api_client.post("/accounts/refresh")

    cookie = refresh_cookie(response)
    assert cookie["max-age"] == ""
    token = decode_refresh(cookie.value)
    assert (token["remember"], token["exp"] - token["iat"]) == (False, 24 * 3600)


def test_rotation_keeps_a_long_session_long(signed_in):
    client, _ = signed_in
    response = client.post("/accounts/refresh/", {}, format="json")
    cookie = refresh_cookie(response)
    assert cookie["max-age"] == 30 * 24 * 3600
    assert decode_refresh(cookie.value)["remember"] is True


def test_remember_me_in_the_refresh_body_overrides_the_choice(api_client, customer):
    login(api_client, customer.email)

    response = api_client.post("/accounts/refresh", {"remember_me": "true"}, format="json")

    assert refresh_cookie(response)["max-age"] == 30 * 24 * 3600


def test_refresh_without_cookie_is_400(api_client, db):
    response = api_client.post("/accounts/refresh")
    assert response.status_code == 400
    assert response.json() == {"detail": "Refresh token missing", "code": "refresh_token_missing"}


def test_refresh_ignores_a_refresh_token_in_the_body(api_client, customer):
    raw = str(RefreshToken.for_user(customer))
    response = api_client.post("/accounts/refresh", {"refresh": raw}, format="json")
    assert response.status_code == 400


def test_tampered_refresh_token_is_401(signed_in):
    _, login_response = signed_in
    raw = refresh_cookie(login_response).value
    header, payload, signature = raw.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"

    response = _client_with_cookie(tampered).post("/accounts/refresh")

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_garbage_refresh_cookie_is_401(db):
    response = _client_with_cookie("not-a-jwt").post("/accounts/refresh")
    assert (response.status_code, response.json()) == (401, INVALID_REFRESH)


def test_expired_refresh_token_is_401(customer):
    token = RefreshToken.for_user(customer)
    token.set_exp(from_time=aware_utcnow() - timedelta(days=2), lifetime=timedelta(days=1))

    response = _client_with_cookie(str(token)).post("/accounts/refresh")

    assert (response.status_code, response.json()) == (401, INVALID_REFRESH)


def test_an_access_token_in_the_refresh_cookie_is_401(customer):
    access = RefreshToken.for_user(customer).access_token
    response = _client_with_cookie(str(access)).post("/accounts/refresh")
    assert (response.status_code, response.json()) == (401, INVALID_REFRESH)


def test_refresh_for_a_deactivated_user_is_401(signed_in, customer):
    client, _ = signed_in
    customer.is_active = False
    customer.save(update_fields=["is_active"])

    response = client.post("/accounts/refresh")

    assert (response.status_code, response.json()) == (401, INVALID_REFRESH)


def test_refresh_needs_no_csrf_token_even_with_cookies(customer):
    client = APIClient(enforce_csrf_checks=True)
    login(client, customer.email, remember_me=True)
    client.cookies["sessionid"] = "whatever"

    assert client.post("/accounts/refresh").status_code == 200
    assert client.post("/accounts/logout").status_code == 200


# --- Logout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/logout", "/accounts/logout/", "/api/auth/logout/"])
def test_logout_blacklists_the_refresh_token_and_clears_the_cookies(signed_in, path):
    client, login_response = signed_in
    raw = refresh_cookie(login_response).value

    response = client.post(path)

    assert response.status_code == 200
    assert response.json() == {"message": "Successfully logged out."}
    assert BlacklistedToken.objects.filter(token__jti=decode_refresh(raw)["jti"]).exists()
    for name in (COOKIE, "access_token", settings.CSRF_COOKIE_NAME, "X-CSRFToken"):
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0


def test_after_logout_the_old_refresh_cookie_no_longer_works(signed_in):
    client, login_response = signed_in
    raw = refresh_cookie(login_response).value
    client.post("/accounts/logout")

    response = _client_with_cookie(raw).post("/accounts/refresh")

    assert (response.status_code, response.json()) == (401, INVALID_REFRESH)


def test_logout_clears_the_session_cart(signed_in):
    client, _ = signed_in
    session = client.session
    session["cart_id"] = "cart-42"
    session["other"] = "kept"
    session.save()

    client.post("/accounts/logout")

    session = client.session
    assert "cart_id" not in session
    assert session["other"] == "kept"


def _assert_logged_out(response) -> None:
    """200, the one message, and every auth cookie cleared."""
    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    for name in (COOKIE, "access_token", settings.CSRF_COOKIE_NAME, "X-CSRFToken"):
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0


def test_logout_without_a_cookie_is_200(api_client, db):
    response = api_client.post("/accounts/logout")

    _assert_logged_out(response)
    assert BlacklistedToken.objects.count() == 0


def test_logout_with_a_revoked_cookie_is_200(signed_in):
    client, login_response = signed_in
    raw = refresh_cookie(login_response).value
    _assert_logged_out(client.post("/accounts/logout"))
    blacklisted = BlacklistedToken.objects.count()

    again = _client_with_cookie(raw).post("/accounts/logout")

    _assert_logged_out(again)
    assert BlacklistedToken.objects.count() == blacklisted


def test_logout_after_reuse_detection_revoked_the_session_is_200(signed_in, customer):
    """The buyer's session was revoked because a copy of a rotated token was replayed: the
    cookie their browser still holds is dead, and signing out must not be an error."""
    client, login_response = signed_in
    old_raw = refresh_cookie(login_response).value
    assert client.post("/accounts/refresh").status_code == 200
    replay = _client_with_cookie(old_raw).post("/accounts/refresh")
    assert replay.json()["code"] == "refresh_token_reused"
    blacklisted = BlacklistedToken.objects.count()

    response = client.post("/accounts/logout")  # the newest cookie, revoked with its family

    _assert_logged_out(response)
    assert BlacklistedToken.objects.count() == blacklisted


@pytest.mark.parametrize(
    "raw", ["not-a-jwt", "a.b.c", "", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"], ids=repr
)
def test_logout_with_a_garbage_cookie_is_200(db, raw):
    response = _client_with_cookie(raw).post("/accounts/logout")

    _assert_logged_out(response)
    assert BlacklistedToken.objects.count() == 0


def test_logout_with_a_tampered_token_is_200_and_revokes_nothing(signed_in):
    client, login_response = signed_in
    header, payload, signature = refresh_cookie(login_response).value.split(".")

    response = _client_with_cookie(f"{header}.{payload}.{signature[:-4]}AAAA").post(
        "/accounts/logout"
    )

    _assert_logged_out(response)
    assert BlacklistedToken.objects.count() == 0
    assert client.post("/accounts/refresh").status_code == 200  # the real session lives on


def test_logout_with_an_expired_token_is_200(customer):
    token = RefreshToken.for_user(customer)
    token.set_exp(from_time=aware_utcnow() - timedelta(days=2), lifetime=timedelta(days=1))
    response = _client_with_cookie(str(token)).post("/accounts/logout")
    _assert_logged_out(response)
    assert BlacklistedToken.objects.count() == 0


def test_logout_with_an_access_token_in_the_cookie_is_200_and_revokes_nothing(signed_in):
    client, login_response = signed_in
    access = login_response.json()["access"]

    _assert_logged_out(_client_with_cookie(access).post("/accounts/logout"))

    assert BlacklistedToken.objects.count() == 0
    assert client.post("/accounts/refresh").status_code == 200


def test_logout_with_a_valid_cookie_revokes_it(signed_in):
    client, login_response = signed_in
    raw = refresh_cookie(login_response).value

    _assert_logged_out(client.post("/accounts/logout"))

    assert BlacklistedToken.objects.filter(token__jti=decode_refresh(raw)["jti"]).exists()
    refused = _client_with_cookie(raw).post("/accounts/refresh")
    assert (refused.status_code, refused.json()) == (401, INVALID_REFRESH)


def test_logout_ends_only_its_own_sign_in(signed_in, customer):
    client, _ = signed_in
    other = APIClient()
    login(other, customer.email)

    _assert_logged_out(client.post("/accounts/logout"))

    assert other.post("/accounts/refresh").status_code == 200


def test_logout_with_a_spent_token_also_revokes_the_newer_token_of_its_sign_in(signed_in):
    """A token that was rotated elsewhere (a copy in another browser) ends its whole sign-in:
    the newer token rotated from it stops working too."""
    client, login_response = signed_in
    old_raw = refresh_cookie(login_response).value
    newer = refresh_cookie(client.post("/accounts/refresh")).value

    _assert_logged_out(_client_with_cookie(old_raw).post("/accounts/logout"))

    assert BlacklistedToken.objects.filter(token__jti=decode_refresh(newer)["jti"]).exists()
    refused = _client_with_cookie(newer).post("/accounts/refresh")
    assert refused.status_code == 401


def test_logout_of_a_token_from_before_sign_in_families_revokes_it(customer):
    token = RefreshToken.for_user(customer)  # no family claim

    _assert_logged_out(_client_with_cookie(str(token)).post("/accounts/logout"))

    assert BlacklistedToken.objects.filter(token__jti=token["jti"]).exists()


def test_logout_ignores_a_stale_bearer_header(signed_in):
    client, _ = signed_in
    client.credentials(HTTP_AUTHORIZATION="Bearer stale")
    assert client.post("/accounts/logout").status_code == 200


def test_logout_also_ends_a_django_session_from_a_google_sign_in(signed_in, customer):
    client, _ = signed_in
    client.force_login(customer)
    assert "_auth_user_id" in client.session

    client.post("/accounts/logout")

    assert "_auth_user_id" not in client.session
