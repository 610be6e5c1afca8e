"""Test doubles for the providers: failing email backends and a recording Twilio HTTP client."""

import json
import logging
import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from twilio.http import HttpClient
from twilio.http.response import Response


class FailingEmailBackend(LocmemEmailBackend):
    """Every send fails the way an SMTP server that refuses us does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyEmailBackend(LocmemEmailBackend):
    """Fails the first ``failures_left`` sends, then delivers to ``mail.outbox``."""

    failures_left = 1

    def send_messages(self, email_messages):
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Temporary failure")
        return super().send_messages(email_messages)


class RecordingTwilioHttpClient(HttpClient):
    """Stands in for twilio's HTTP layer: records each request, answers with a canned reply."""

    def __init__(self, *, status: int = 201, reply: dict | None = None) -> None:
        super().__init__(logger=logging.getLogger("tests.twilio"), is_async=False)
        self.status = status
        self.reply = reply
        self.requests: list[dict] = []

    def request(
        self,
        method,
        uri,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        self.requests.append(
            {
                "method": method,
                "url": uri,
                "data": dict(data or {}),
                "auth": auth,
                "headers": headers,
            }
        )
        reply = self.reply
        if reply is None:
            reply = {
                "sid": f"SM{len(self.requests):032d}",
                "status": "queued",
                "to": (data or {}).get("To"),
                "from": (data or {}).get("From"),
                "body": (data or {}).get("Body"),
            }
        return Response(self.status, json.dumps(reply))
