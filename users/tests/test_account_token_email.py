"""A password-reset email that could only arrive after its link expired is not sent or retried
(the outbox's ``send_before``, set from the link's lifetime)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import NotificationEvent, OutboundMessage
from notifications.services import outbound_retry_due
from notifications.services.outbox import EXPIRED_ERROR, REDACTED_BODY
from users.models import AccountToken

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


def _reset_email(api_client, customer, django_capture_on_commit_callbacks) -> OutboundMessage:
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/reset-password/", {"email": customer.email}, format="json")
    assert response.status_code == 200
    return OutboundMessage.objects.get(event=NotificationEvent.PASSWORD_RESET)


def _make_due(message: OutboundMessage) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_the_reset_email_must_be_sent_before_its_link_expires(
    api_client, customer, django_capture_on_commit_callbacks
):
    message = _reset_email(api_client, customer, django_capture_on_commit_callbacks)

    token = AccountToken.objects.get(user=customer)
    assert abs(message.send_before - token.expires_at) < timedelta(seconds=2)
    assert message.status == Status.SENT


def test_a_failed_reset_email_is_not_retried_once_a_retry_would_be_too_late(
    api_client, customer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "notifications.tests.doubles.FailingEmailBackend"
    settings.PASSWORD_RESET_TOKEN_MINUTES = 5
    settings.OUTBOX_RETRY_BASE_SECONDS = 60  # retries after 1, 2, 4 ... minutes

    message = _reset_email(api_client, customer, django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)  # a retry in 1 minute

    # Attempts 2 and 3 fail too and are retried 2 and 4 minutes later: still inside the link's
    # 5 minutes (the clock does not move in this test).
    for attempt in (2, 3):
        _make_due(message)
        assert outbound_retry_due() == 1
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.PENDING, attempt)

    # The fourth fails; the next retry would be 8 minutes later, after the link expired.
    _make_due(message)
    assert outbound_retry_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.max_attempts) == (Status.FAILED, 4, 5)
    assert message.next_attempt_at is None
    assert EXPIRED_ERROR in message.last_error
    assert message.body == REDACTED_BODY
    assert outbound_retry_due() == 0
    assert mail.outbox == []


def test_a_reset_email_whose_link_has_expired_is_never_sent(
    api_client, customer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "notifications.tests.doubles.FailingEmailBackend"
    message = _reset_email(api_client, customer, django_capture_on_commit_callbacks)
    # The mail server comes back, but only after the link has expired.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundMessage.objects.filter(pk=message.pk).update(
        send_before=timezone.now() - timedelta(seconds=1)
    )
    _make_due(message)

    assert outbound_retry_due() == 1

    message.refresh_from_db()
    assert (message.status, message.last_error) == (Status.FAILED, EXPIRED_ERROR)
    assert message.body == REDACTED_BODY
    assert mail.outbox == []


def test_emails_without_a_deadline_keep_their_retries(
    api_client, customer, settings, django_capture_on_commit_callbacks
):
    from notifications.services import email_queue

    settings.EMAIL_BACKEND = "notifications.tests.doubles.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = email_queue(
            to=customer.email,
            subject="Hello",
            template="emails/notification",
            context={"user": customer, "title": "Hi", "body": "", "link": ""},
        )
    for _ in range(3):
        _make_due(message)
        outbound_retry_due()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.send_before) == (Status.PENDING, 4, None)
