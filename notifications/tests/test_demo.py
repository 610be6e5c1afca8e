"""The demo's outbox (``notifications.demo.outbox_send_counted``): the rows ``seed_demo`` wrote
are sent through counting backends when the configured ones deliver only to the console or
memory, left to the worker when a real provider is configured; rows from before are left alone.
"""

import logging

import pytest

from notifications.demo import DemoOutbox, outbox_send_counted
from notifications.models import OutboundMessage
from notifications.selectors import outbound_last_id
from notifications.services.outbox import outbound_email_build, outbound_sms_build

pytestmark = pytest.mark.django_db


def _email(to: str) -> OutboundMessage:
    row = outbound_email_build(
        to=to, subject="Hello", template="emails/notification", context={}, user=None, event=""
    )
    row.save()  # written, never queued: as seed_demo leaves them before a worker runs
    return row


def _sms(to: str) -> OutboundMessage:
    row = outbound_sms_build(to=to, body="MARTAF: hello", user=None, event="")
    row.save()
    return row


@pytest.fixture
def console_backends(settings):
    settings.EMAIL_BACKEND = "core.mail.OneLineConsoleBackend"
    settings.SMS_BACKEND = "notifications.sms.LoggingSMSBackend"


def test_the_demo_rows_are_sent_and_counted_not_printed(console_backends, capsys, caplog):
    older = _email("before@example.com")
    mark = outbound_last_id()
    emails = [_email("ama@example.com"), _email("kofi@example.com")]
    text = _sms("+233201000003")

    with caplog.at_level(logging.DEBUG):
        outbox = outbox_send_counted(after_id=mark)

    assert outbox == DemoOutbox(emails=2, sms=1)
    assert outbox.summary() == (
        "Demo data: 2 emails and 1 SMS sent to the development outbox, not printed one by "
        "one: read them in the admin under Communication → Email & SMS outbox."
    )
    for row in [*emails, text]:
        row.refresh_from_db()
        assert (row.status, row.attempts, row.next_attempt_at) == ("sent", 1, None)
        assert row.sent_at is not None
    assert all(row.provider_id.startswith("<") for row in emails)  # the email's Message-ID
    older.refresh_from_db()
    assert (older.status, older.attempts) == ("pending", 0)
    assert capsys.readouterr().out == ""
    assert not [r for r in caplog.records if "SMS to" in r.getMessage()]


def test_with_a_real_provider_the_demo_rows_are_left_to_the_worker(settings, capsys):
    settings.EMAIL_BACKEND = "core.mail.OneLineConsoleBackend"
    settings.SMS_BACKEND = "notifications.sms.TwilioSMSBackend"
    mark = outbound_last_id()
    email = _email("ama@example.com")
    text = _sms("+233201000003")

    outbox = outbox_send_counted(after_id=mark)

    assert outbox == DemoOutbox(emails=1, queued_sms=1)
    assert outbox.summary().splitlines() == [
        "Demo data: 1 email and 0 SMS sent to the development outbox, not printed one by one: "
        "read them in the admin under Communication → Email & SMS outbox.",
        "Demo data: 0 emails and 1 SMS queued for the worker (a real mail server or SMS "
        "provider is configured).",
    ]
    email.refresh_from_db()
    text.refresh_from_db()
    assert email.status == "sent"
    assert (text.status, text.attempts) == ("pending", 0)
    assert capsys.readouterr().out == ""


def test_nothing_new_says_nothing(console_backends):
    _email("before@example.com")
    assert outbox_send_counted(after_id=outbound_last_id()).summary() == ""
