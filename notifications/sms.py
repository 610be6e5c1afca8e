"""SMS backends, chosen by ``settings.SMS_BACKEND`` (a dotted class path).

- ``LoggingSMSBackend``: the development default; writes the SMS to the log, one line each.
- ``LocmemSMSBackend``: keeps sent SMS in ``sms_outbox`` (like ``django.core.mail.outbox``).
- ``DummySMSBackend``: accepts and forgets (like Django's dummy email backend).
- ``TwilioSMSBackend``: the real thing, used when the ``TWILIO_*`` settings are present.

A backend's ``send`` returns the provider's message id and raises on failure; the outbox task
records the error and retries.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from notifications.errors import PermanentDeliveryError

logger = logging.getLogger(__name__)


class SMSNotConfigured(RuntimeError):
    """The SMS backend lacks the settings it needs to send."""


class SMSProviderError(RuntimeError):
    """The provider failed in a way that may pass (a 5xx, a 429, a timeout): retry."""


class SMSRejected(PermanentDeliveryError):
    """The provider refused this message (a 4xx such as an invalid number): do not retry."""


class BaseSMSBackend:
    def is_configured(self) -> bool:
        return True

    def send(self, *, to: str, body: str) -> str:
        raise NotImplementedError


#: Characters of an SMS the log line shows (one SMS segment); the whole body is in the outbox.
LOGGED_BODY_CHARS = 160


def sms_summary(*, to: str, body: str) -> str:
    """``SMS to +233201000003: "MARTAF: Order MT-... placed ..."``: one line, however long or
    many-lined the body is."""
    text = " ".join(body.split())
    if len(text) > LOGGED_BODY_CHARS:
        text = text[: LOGGED_BODY_CHARS - 1] + "…"
    return f'SMS to {to}: "{text}"'


class LoggingSMSBackend(BaseSMSBackend):
    def send(self, *, to: str, body: str) -> str:
        logger.info("%s", sms_summary(to=to, body=body))
        return ""


class DummySMSBackend(BaseSMSBackend):
    def send(self, *, to: str, body: str) -> str:
        return ""


@dataclass(frozen=True)
class SentSMS:
    to: str
    body: str


sms_outbox: list[SentSMS] = []


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, *, to: str, body: str) -> str:
        sms_outbox.append(SentSMS(to=to, body=body))
        return f"locmem-{len(sms_outbox)}"


def twilio_http_client() -> HttpClient:
    """The HTTP layer under twilio's Client. Tests replace this function to record requests."""
    # A bounded timeout: a hung provider must not hold a worker past the task timeout.
    return TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT_SECONDS)


class TwilioSMSBackend(BaseSMSBackend):
    def __init__(self) -> None:
        self.account_sid = settings.TWILIO_ACCOUNT_SID
        self.auth_token = settings.TWILIO_AUTH_TOKEN
        self.from_number = settings.TWILIO_FROM_NUMBER

    def is_configured(self) -> bool:
        return bool(self.account_sid and self.auth_token and self.from_number)

    def send(self, *, to: str, body: str) -> str:
        if not self.is_configured():
            raise SMSNotConfigured(
                "Twilio is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM_NUMBER."
            )
        client = Client(self.account_sid, self.auth_token, http_client=twilio_http_client())
        try:
            message = client.messages.create(to=to, from_=self.from_number, body=body)
        except TwilioRestException as exc:
            text = f"Twilio error {exc.code} (HTTP {exc.status}): {exc.msg}"
            if 400 <= exc.status < 500 and exc.status != 429:
                raise SMSRejected(text) from exc
            raise SMSProviderError(text) from exc
        return message.sid or ""


def get_sms_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()
