"""Fixtures of the notifications tests: SMS and email doubles, the Twilio HTTP boundary."""

import pytest

from notifications import sms
from notifications.tests.doubles import FlakyEmailBackend, RecordingTwilioHttpClient

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "test-auth-token"
TWILIO_FROM = "+15005550006"


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    """SMS go to ``sms.sms_outbox`` unless a test picks another backend."""
    settings.SMS_BACKEND = "notifications.sms.LocmemSMSBackend"
    sms.sms_outbox.clear()
    yield sms.sms_outbox
    sms.sms_outbox.clear()


@pytest.fixture
def sms_outbox():
    return sms.sms_outbox


@pytest.fixture
def failing_email(settings):
    settings.EMAIL_BACKEND = "notifications.tests.doubles.FailingEmailBackend"


@pytest.fixture
def flaky_email(settings):
    settings.EMAIL_BACKEND = "notifications.tests.doubles.FlakyEmailBackend"
    FlakyEmailBackend.failures_left = 1
    yield FlakyEmailBackend
    FlakyEmailBackend.failures_left = 1


@pytest.fixture
def twilio(settings, monkeypatch) -> RecordingTwilioHttpClient:
    """The real Twilio backend and twilio.rest.Client, with only the HTTP layer replaced."""
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
