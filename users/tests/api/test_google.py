"""Google sign-in, end to end through django-allauth's real Google provider.

Google itself is replaced at the HTTP boundary only: ``requests`` (which allauth uses to trade
the authorization code for tokens) answers like Google's token endpoint, with an ID token for the
identity under test. Everything after that is allauth's code and ours.
"""

import json
import re
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework_simplejwt.tokens import AccessToken

from conftest import PASSWORD
from users.models import AccountToken, AccountTokenPurpose, CustomerProfile, User
from users.tests.conftest import decode_refresh, refresh_cookie

pytestmark = pytest.mark.django_db

CLIENT_ID = "test-client.apps.googleusercontent.com"
TOKEN_URL = "https://oauth2.googleapis.com/token"
LINK = re.compile(r"http://localhost:5173/one-time-login/\?uid=([\w-]+)&(?:amp;)?token=([\w-]+)")


@pytest.fixture(autouse=True)
def google_app(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {
            "SCOPE": ["profile", "email"],
            "AUTH_PARAMS": {"access_type": "online"},
            "APP": {"client_id": CLIENT_ID, "secret": "test-secret"},
        }
    }


@pytest.fixture
def google(monkeypatch):
    """Google's token endpoint: answers with an ID token for ``google.identity``."""

    class FakeGoogle:
        identity: dict = {}
        calls: list = []

    real_request = requests.Session.request

    def request(session, method, url, *args, **kwargs):
        if url != TOKEN_URL:
            return real_request(session, method, url, *args, **kwargs)
        FakeGoogle.calls.append({"method": method, "data": kwargs.get("data")})
        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 3600,
            **FakeGoogle.identity,
        }
        reply = requests.Response()
        reply.status_code = 200
        reply.headers["content-type"] = "application/json"
        reply._content = json.dumps(
            {
                "access_token": "google-access-token",
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": "openid email profile",
                # The code flow does not check the signature (TLS to Google vouches for it).
                "id_token": jwt.encode(claims, "k" * 32, algorithm="HS256"),
            }
        ).encode()
        return reply

    monkeypatch.setattr(requests.Session, "request", request)
    return FakeGoogle


def identity(email="kofi@gmail.com", *, verified=True, sub="109876543210", **extra) -> dict:
    return {
        "sub": sub,
        "email": email,
        "email_verified": verified,
        "given_name": "Kofi",
        "family_name": "Boateng",
        **extra,
    }


def sign_in_with_google(client: Client, google, capture, **claims):
    """The browser's trip: our login page -> Google -> allauth's callback."""
    google.identity = identity(**claims)
    start = client.post("/oauth/google/login/")
    assert start.status_code == 302
    assert start["Location"].startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    with capture(execute=True):
        return client.get("/oauth/google/login/callback/", {"code": "auth-code", "state": state})


# --- New and existing users ------------------------------------------------------------------


def test_a_new_google_user_is_created_mailed_a_one_time_link_and_handed_tokens(
    google, django_capture_on_commit_callbacks
):
    browser = Client()

    callback = sign_in_with_google(browser, google, django_capture_on_commit_callbacks)

    assert callback.status_code == 302
    assert callback["Location"] == "http://localhost:5173/google/callback"
    assert google.calls[0]["data"]["code"] == "auth-code"
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name) == ("kofi@gmail.com", "Kofi", "Boateng")
    assert (user.is_google_user, user.is_customer, user.is_manufacturer, user.is_staff) == (
        True,
        True,
        False,
        False,
    )
    assert user.has_usable_password()  # random, known to nobody
    assert CustomerProfile.objects.filter(user=user).exists()
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (user, "google", "109876543210")
    assert EmailAddress.objects.get(user=user).verified is True

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Welcome to MARTAF - One-Time Login Link"
    assert (email.to, email.from_email) == (["kofi@gmail.com"], "MARTAF <no-reply@martaf.com>")
    uid, token = LINK.search(email.body).groups()
    assert uid == urlsafe_base64_encode(force_bytes(user.pk))
    (html, mimetype), = email.alternatives
    assert mimetype == "text/html"
    assert LINK.search(html).groups() == (uid, token)

    handoff = browser.get("/accounts/google/login")

    assert handoff.status_code == 200
    assert list(handoff.json()) == ["access"]
    assert AccessToken(handoff.json()["access"])["user_id"] == str(user.pk)
    cookie = refresh_cookie(handoff)
    assert cookie["httponly"] is True
    assert decode_refresh(cookie.value)["user_id"] == str(user.pk)


def test_an_existing_account_is_linked_by_verified_email_without_a_new_user_or_email(
    customer, google, django_capture_on_commit_callbacks
):
    browser = Client()

    callback = sign_in_with_google(
        browser, google, django_capture_on_commit_callbacks, email="Buyer@Martaf.test"
    )

    assert callback.status_code == 302
    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == customer
    assert mail.outbox == []
    customer.refresh_from_db()
    assert customer.is_google_user is False
    # allauth's guard against pre-registered hijacks: the unverified local password goes.
    assert customer.has_usable_password() is False
    handoff = browser.get("/accounts/google/login/")
    assert handoff.status_code == 200
    assert AccessToken(handoff.json()["access"])["user_id"] == str(customer.pk)


def test_an_unverified_google_email_is_not_linked_to_the_existing_account(
    customer, google, django_capture_on_commit_callbacks
):
    browser = Client()

    callback = sign_in_with_google(
        browser, google, django_capture_on_commit_callbacks, email=customer.email, verified=False
    )

    assert callback.status_code == 302
    # Back to the storefront with the reason; no allauth sign-up form to pick another email.
    assert callback["Location"] == "http://localhost:5173/google/callback?error=google_email_unverified"
    assert SocialAccount.objects.count() == 0
    assert User.objects.count() == 1
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)
    assert browser.get("/accounts/google/login").status_code == 401


def test_a_returning_google_user_signs_in_without_another_email(
    google, django_capture_on_commit_callbacks
):
    sign_in_with_google(Client(), google, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    browser = Client()

    sign_in_with_google(browser, google, django_capture_on_commit_callbacks)

    assert User.objects.count() == 1
    assert mail.outbox == []
    assert browser.get("/accounts/google/login").status_code == 200


def test_handoff_remember_me_gives_the_long_cookie(google, django_capture_on_commit_callbacks):
    browser = Client()
    sign_in_with_google(browser, google, django_capture_on_commit_callbacks)

    short = browser.get("/accounts/google/login")
    long = browser.get("/accounts/google/login", {"remember_me": "true"})

    assert refresh_cookie(short)["max-age"] == ""
    assert refresh_cookie(long)["max-age"] == 30 * 24 * 3600


# --- Hand-off errors (the seed's bodies) ------------------------------------------------------


def test_handoff_without_a_session_is_401(api_client, db):
    response = api_client.get("/accounts/google/login")

    assert response.status_code == 401
    assert response.json() == {
        "error": "User not authenticated",
        "detail": "User not authenticated",
        "code": "google_not_authenticated",
    }


def test_handoff_ignores_a_bearer_token(api_client, jwt_client, customer):
    response = jwt_client(customer).get("/accounts/google/login")
    assert response.status_code == 401
    assert response.json()["error"] == "User not authenticated"


def test_handoff_for_a_session_without_a_google_account_is_404(customer):
    browser = Client()
    browser.force_login(customer)

    response = browser.get("/accounts/google/login")

    assert response.status_code == 404
    assert response.json()["error"] == "Social account not found"
    assert "refresh_token" not in response.cookies


def test_handoff_for_a_google_account_without_email_is_400(customer):
    SocialAccount.objects.create(user=customer, provider="google", uid="1", extra_data={})
    browser = Client()
    browser.force_login(customer)

    response = browser.get("/accounts/google/login")

    assert response.status_code == 400
    assert response.json()["error"] == "Email not found in social account"


# --- One-time login link ----------------------------------------------------------------------


@pytest.fixture
def one_time_link(google, django_capture_on_commit_callbacks):
    sign_in_with_google(Client(), google, django_capture_on_commit_callbacks)
    uid, token = LINK.search(mail.outbox[0].body).groups()
    return {"uid": uid, "token": token}


@pytest.mark.parametrize("path", ["/accounts/one-time-login", "/accounts/one-time-login/"])
def test_the_one_time_link_signs_in_once(api_client, one_time_link, path):
    user = User.objects.get()

    first = api_client.post(path, one_time_link, format="json")
    second = api_client.post(path, one_time_link, format="json")

    assert first.status_code == 200
    assert AccessToken(first.json()["access"])["user_id"] == str(user.pk)
    assert refresh_cookie(first)["httponly"] is True
    assert second.status_code == 400
    assert second.json() == {
        "detail": "Invalid or already used login link.",
        "code": "one_time_login_invalid",
    }
    assert AccountToken.objects.filter(purpose=AccountTokenPurpose.ONE_TIME_LOGIN).count() == 0


def test_the_one_time_link_expires(api_client, one_time_link, shift_time):
    shift_time(hours=24, seconds=1)

    response = api_client.post("/accounts/one-time-login", one_time_link, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "one_time_login_expired"
    assert "refresh_token" not in response.cookies


def test_the_one_time_token_stored_is_only_a_hash(one_time_link):
    stored = AccountToken.objects.get(purpose=AccountTokenPurpose.ONE_TIME_LOGIN)
    assert one_time_link["token"] not in stored.token_hash


def test_the_one_time_link_belongs_to_its_user_only(api_client, one_time_link, customer):
    other_uid = urlsafe_base64_encode(force_bytes(customer.pk))

    response = api_client.post(
        "/accounts/one-time-login", {**one_time_link, "uid": other_uid}, format="json"
    )

    assert response.status_code == 400
    assert AccountToken.objects.filter(purpose=AccountTokenPurpose.ONE_TIME_LOGIN).count() == 1


@pytest.mark.parametrize("uid", ["!!!", "", "bm90LWEtbnVtYmVy"])
def test_a_malformed_uid_is_400(api_client, one_time_link, uid):
    response = api_client.post(
        "/accounts/one-time-login", {**one_time_link, "uid": uid}, format="json"
    )
    assert response.status_code == 400


# --- Routes -----------------------------------------------------------------------------------


def test_our_route_names_do_not_collide_with_allauths():
    assert reverse("google_login") == "/oauth/google/login/"
    assert reverse("google_callback") == "/oauth/google/login/callback/"
    assert reverse("accounts-google-handoff") == "/accounts/google/login"
    assert reverse("accounts-login") == "/accounts/login"


# --- Only verified addresses link; allauth's account pages are gone ---------------------------


def test_an_unverified_address_claimed_by_another_account_does_not_draw_the_google_user_in(
    make_user, google, django_capture_on_commit_callbacks
):
    claimer = make_user("claimer@martaf.test", is_customer=True)
    EmailAddress.objects.create(user=claimer, email="kofi@gmail.com", verified=False, primary=True)
    browser = Client()

    callback = sign_in_with_google(browser, google, django_capture_on_commit_callbacks)

    assert callback.status_code == 302
    kofi = User.objects.get(email="kofi@gmail.com")
    assert kofi != claimer
    assert SocialAccount.objects.get().user == kofi
    assert SocialAccount.objects.filter(user=claimer).count() == 0
    claimer.refresh_from_db()
    assert claimer.check_password(PASSWORD)  # untouched
    assert AccessToken(browser.get("/accounts/google/login").json()["access"])["user_id"] == str(
        kofi.pk
    )


def test_a_verified_second_address_links_its_own_account(
    customer, google, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=customer, email="kofi@gmail.com", verified=True)
    browser = Client()

    sign_in_with_google(browser, google, django_capture_on_commit_callbacks)

    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == customer


def test_an_unverified_google_email_creates_no_account(google, django_capture_on_commit_callbacks):
    callback = sign_in_with_google(
        Client(), google, django_capture_on_commit_callbacks, verified=False
    )

    assert callback["Location"].endswith("?error=google_email_unverified")
    assert User.objects.count() == 0
    assert SocialAccount.objects.count() == 0


ALLAUTH_PAGES = [
    "/oauth/login/",
    "/oauth/signup/",
    "/oauth/logout/",
    "/oauth/email/",
    "/oauth/password/change/",
    "/oauth/password/set/",
    "/oauth/password/reset/",
    "/oauth/password/reset/done/",
    "/oauth/password/reset/key/1-set-password/",
    "/oauth/confirm-email/",
    "/oauth/reauthenticate/",
    "/oauth/login/code/",
    "/oauth/3rdparty/",
    "/oauth/2fa/",
]


@pytest.mark.parametrize("path", ALLAUTH_PAGES)
def test_allauths_account_pages_are_not_routed(client, customer, staff_user, path):
    for who in (None, customer, staff_user):
        if who is not None:
            client.force_login(who)
        assert client.get(path).status_code == 404
        posted = client.post(
            path,
            {
                "login": staff_user.email,
                "password": PASSWORD,
                "email": "taken@martaf.test",
                "action_add": "1",
                "action_primary": "1",
            },
        )
        assert posted.status_code == 404
    assert EmailAddress.objects.count() == 0
    assert mail.outbox == []
    staff_user.refresh_from_db()
    assert staff_user.email == "staff@martaf.test"


def test_the_google_flow_keeps_its_two_routes():
    assert reverse("google_login") == "/oauth/google/login/"
    assert reverse("google_callback") == "/oauth/google/login/callback/"
