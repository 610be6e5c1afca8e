"""The outbox tasks: idempotent sending, retries with backoff, the sweeper, giving up."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_q.models import Schedule

from notifications.models import NotificationEvent, OutboundMessage
from notifications.services import (
    LOST_WORKER_ERROR,
    email_queue,
    outbound_retry_due,
    outbound_send,
    outbox,
)
from notifications.services.outbox import _retry_delay
from notifications.tasks import outbound_retry_due_task, outbound_send_task

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status
SMTP_ERROR = "SMTPServerDisconnected: Connection unexpectedly closed"


def _queue(django_capture_on_commit_callbacks, user=None) -> OutboundMessage:
    with django_capture_on_commit_callbacks(execute=True):
        message = email_queue(
            to="buyer@martaf.test",
            subject="Order A-1",
            template="emails/notification",
            context={"user": user, "title": "Order A-1 placed", "body": "", "link": ""},
            user=user,
            event=NotificationEvent.ORDER_PLACED,
        )
    message.refresh_from_db()
    return message


def _make_due(message: OutboundMessage) -> None:
    """Time passes: the row's next attempt is now due."""
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_running_the_send_task_twice_sends_once(django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks)
    assert message.status == Status.SENT

    assert outbound_send_task(message.pk) == "skipped"
    assert outbound_send(outbound_id=message.pk) == "skipped"

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_a_row_claimed_by_another_worker_is_not_sent_again(db):
    message = OutboundMessage.objects.create(
        channel="email",
        recipient="a@martaf.test",
        subject="s",
        body="b",
        status=Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=3),
    )

    assert outbound_send_task(message.pk) == "skipped"
    assert outbound_retry_due() == 0
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 1)


def test_a_failed_send_is_recorded_and_retried_with_backoff_until_it_gives_up(
    failing_email, django_capture_on_commit_callbacks
):
    before = timezone.now()
    message = _queue(django_capture_on_commit_callbacks)

    assert (message.status, message.attempts, message.last_error) == (
        Status.PENDING,
        1,
        SMTP_ERROR,
    )
    assert message.sent_at is None
    assert (
        before + timedelta(seconds=60)
        <= message.next_attempt_at
        <= timezone.now() + timedelta(seconds=60)
    )

    # Not due yet: the sweeper leaves it alone.
    assert outbound_retry_due() == 0
    message.refresh_from_db()
    assert message.attempts == 1

    # Attempts 2..4 are retried by the sweeper, each waiting twice as long as the last.
    for attempt, delay in [(2, 120), (3, 240), (4, 480)]:
        _make_due(message)
        started = timezone.now()
        assert outbound_retry_due_task() == 1
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == (
            Status.PENDING,
            attempt,
            SMTP_ERROR,
        )
        assert started + timedelta(seconds=delay) <= message.next_attempt_at
        assert message.next_attempt_at <= timezone.now() + timedelta(seconds=delay)

    # The fifth attempt is the last one (OUTBOX_MAX_ATTEMPTS = 5).
    _make_due(message)
    assert outbound_retry_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.max_attempts) == (Status.FAILED, 5, 5)
    assert message.next_attempt_at is None
    assert message.last_error == SMTP_ERROR

    # Failed stays failed (and visible): neither the sweeper nor a stray task sends it.
    assert outbound_retry_due() == 0
    assert outbound_send_task(message.pk) == "skipped"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 5)
    assert mail.outbox == []


def test_a_temporary_failure_then_success(flaky_email, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks)
    assert (message.status, message.attempts) == (Status.PENDING, 1)

    _make_due(message)
    assert outbound_retry_due() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert message.next_attempt_at is None
    assert len(mail.outbox) == 1


def test_a_broker_that_is_down_at_commit_does_not_lose_the_message(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    working_broker = outbox.async_task
    monkeypatch.setattr(outbox, "async_task", broker_down)
    message = _queue(django_capture_on_commit_callbacks)  # the caller does not see the error

    assert (message.status, message.attempts) == (Status.PENDING, 0)
    assert mail.outbox == []
    # A new row belongs to the task queued at commit until its lease ends; then the sweeper
    # takes it.
    assert outbound_retry_due() == 0

    monkeypatch.setattr(outbox, "async_task", working_broker)
    _make_due(message)
    assert outbound_retry_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert len(mail.outbox) == 1


def test_a_worker_that_died_mid_send_is_recovered_after_its_lease(db):
    message = OutboundMessage.objects.create(
        channel="email",
        recipient="a@martaf.test",
        subject="s",
        body="b",
        status=Status.SENDING,
        attempts=2,
        next_attempt_at=timezone.now() - timedelta(seconds=1),  # the lease has run out
    )

    assert outbound_retry_due() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 3)
    assert len(mail.outbox) == 1


def test_a_worker_that_died_during_the_last_attempt_leaves_a_failed_row(db):
    message = OutboundMessage.objects.create(
        channel="email",
        recipient="a@martaf.test",
        subject="s",
        body="b",
        status=Status.SENDING,
        attempts=5,
        max_attempts=5,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )

    assert outbound_retry_due() == 0

    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (Status.FAILED, 5, None)
    assert message.last_error == LOST_WORKER_ERROR
    assert mail.outbox == []


def test_backoff_doubles_and_is_capped(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600

    assert [_retry_delay(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_the_sweeper_is_scheduled_every_minute_by_migration(db):
    schedule = Schedule.objects.get(func="notifications.tasks.outbound_retry_due_task")

    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        Schedule.MINUTES,
        1,
        -1,
    )


@pytest.mark.django_db
def test_a_sent_password_reset_email_keeps_no_usable_link(django_capture_on_commit_callbacks):
    from django.core import mail

    from notifications.models import OutboundMessage
    from notifications.services import email_queue

    with django_capture_on_commit_callbacks(execute=True):
        row = email_queue(
            to="someone@martaf.test",
            subject="Reset your password",
            template="emails/password_reset",
            context={"link_url": "https://shop.example/reset/SECRET-TOKEN/", "user": None,
                     "minutes": 5},
            event="password_reset",
        )

    stored = OutboundMessage.objects.get(pk=row.pk)
    assert stored.status == OutboundMessage.Status.SENT
    assert "SECRET-TOKEN" not in stored.body + stored.html_body
    assert "SECRET-TOKEN" in mail.outbox[0].body  # the recipient still got the link
