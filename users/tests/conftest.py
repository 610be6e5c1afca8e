"""Fixtures of the accounts API tests: clients, cookies, SMS doubles and a clock to shift."""

from datetime import timedelta
from http.cookies import Morsel

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from conftest import PASSWORD
from notifications import sms
from notifications.tests.doubles import RecordingTwilioHttpClient

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "test-auth-token"
TWILIO_FROM = "+15005550006"


def refresh_cookie(response) -> Morsel:
    return response.cookies[settings.JWT_REFRESH_COOKIE["name"]]


def login(client: APIClient, email: str, *, remember_me=None, password: str = PASSWORD):
    data = {"email": email, "password": password}
    if remember_me is not None:
        data["remember_me"] = remember_me
    return client.post("/accounts/login", data, format="json")


def login_fully(client: APIClient, user, *, remember_me=None, path: str = "/accounts/login"):
    """Log ``user`` in through both steps when the account owes a second factor: the
    password, then the mfa_token with the authenticator app's current code."""
    from users.tests.mfa_helpers import totp_code

    data = {"email": user.email, "password": PASSWORD}
    if remember_me is not None:
        data["remember_me"] = remember_me
    response = client.post(path, data, format="json")
    if response.status_code == 401 and response.json().get("code") == "mfa_required":
        second = {"mfa_token": response.json()["mfa_token"], "otp": totp_code(user)}
        response = client.post(f"{path.rstrip('/')}/mfa", second, format="json")
    return response


def decode_refresh(raw: str) -> RefreshToken:
    return RefreshToken(raw, verify=False)


@pytest.fixture
def signed_in(api_client, customer):
    """An APIClient holding the customer's refresh cookie; returns (client, login response)."""
    response = login(api_client, customer.email, remember_me=True)
    assert response.status_code == 200
    return api_client, response


@pytest.fixture
def shift_time(monkeypatch):
    """``shift_time(minutes=6)`` moves Django's clock forward (timezone.now) from then on."""
    real_now = timezone.now

    def shift(**delta):
        offset = timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)

    return shift


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSMSBackend"
    sms.sms_outbox.clear()
    yield sms.sms_outbox
    sms.sms_outbox.clear()


@pytest.fixture
def twilio(settings, monkeypatch) -> RecordingTwilioHttpClient:
    """The real Twilio backend and twilio.rest.Client; only the HTTP layer is a recording double."""
    settings.SMS_BACKEND = "notifications.sms.TwilioSMSBackend"
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = TWILIO_FROM
    http = RecordingTwilioHttpClient()
    monkeypatch.setattr(sms, "twilio_http_client", lambda: http)
    return http


@pytest.fixture
def twilio_unconfigured(settings):
    settings.SMS_BACKEND = "notifications.sms.TwilioSMSBackend"
    settings.TWILIO_ACCOUNT_SID = ""
    settings.TWILIO_AUTH_TOKEN = ""
    settings.TWILIO_FROM_NUMBER = ""
