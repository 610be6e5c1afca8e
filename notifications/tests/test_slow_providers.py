"""A slow mail server or SMS provider degrades the outbox, never the rest: each attempt gives up
after a short timeout and is retried by the outbox's rules, and email and SMS run in a cluster
of their own, so an import never waits behind them. Real sockets: a server that accepts and
never answers."""

import importlib
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf

from notifications import sms
from notifications.models import OutboundMessage
from notifications.services import email_queue, outbound_retry_due, sms_queue
from notifications.tests.silent_server import SilentServer

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


@pytest.fixture
def silent_mail_server(settings):
    with SilentServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 1
        yield server


def _queue_email(capture):
    with capture(execute=True):
        return email_queue(
            to="buyer@martaf.test", subject="Hello", template="emails/notification",
            context={"title": "Hi", "body": "Body", "link": ""},
        )


def test_a_mail_server_that_never_answers_fails_the_attempt_within_the_timeout(
    silent_mail_server, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    started = time.monotonic()
    message = _queue_email(django_capture_on_commit_callbacks)
    elapsed = time.monotonic() - started

    assert elapsed < settings.EMAIL_TIMEOUT + 5  # the silent server would hold it for ever
    row = OutboundMessage.objects.get(pk=message.pk)
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "timed out" in row.last_error
    # Retried by the outbox's rule: after OUTBOX_RETRY_BASE_SECONDS for the first failure.
    wait = (row.next_attempt_at - timezone.now()).total_seconds()
    assert settings.OUTBOX_RETRY_BASE_SECONDS - 10 < wait <= settings.OUTBOX_RETRY_BASE_SECONDS

    # Once due, the sweeper tries again; the server still says nothing; that was the last try.
    OutboundMessage.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert outbound_retry_due() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (Status.FAILED, 2, None)
    assert "timed out" in row.last_error
    assert len(silent_mail_server.connections) == 2


def test_an_sms_provider_that_never_answers_fails_the_attempt_within_the_timeout(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "notifications.sms.TwilioSMSBackend"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
    settings.TWILIO_AUTH_TOKEN = "token"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TWILIO_TIMEOUT_SECONDS = 1
    with SilentServer() as server:
        http = sms.twilio_http_client()  # the real client, with the configured timeout
        real_request = http.request

        def to_the_silent_server(method, uri, *args, **kwargs):
            uri = uri.replace("https://api.twilio.com", f"http://127.0.0.1:{server.port}")
            return real_request(method, uri, *args, **kwargs)

        monkeypatch.setattr(http, "request", to_the_silent_server)
        monkeypatch.setattr(sms, "twilio_http_client", lambda: http)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            message = sms_queue(to="+233201234567", body="Your order shipped")
        elapsed = time.monotonic() - started
        assert len(server.connections) == 1

    assert elapsed < settings.TWILIO_TIMEOUT_SECONDS + 5  # the rest: database writes, under load
    row = OutboundMessage.objects.get(pk=message.pk)
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "timed out" in row.last_error.lower()
    assert row.next_attempt_at > timezone.now()


def test_the_send_timeouts_are_short_by_default(monkeypatch):
    from backoffice.settings import messaging

    monkeypatch.setenv("EMAIL_HOST", "smtp.example.com")
    monkeypatch.delenv("EMAIL_TIMEOUT", raising=False)
    monkeypatch.delenv("TWILIO_TIMEOUT_SECONDS", raising=False)
    try:
        importlib.reload(messaging)
        assert messaging.EMAIL_TIMEOUT == 10
        assert messaging.TWILIO_TIMEOUT_SECONDS == 10
    finally:
        monkeypatch.undo()
        importlib.reload(messaging)


def test_email_and_sms_go_to_the_outbox_cluster_and_imports_to_the_main_one(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    from django_q.tasks import async_task

    from notifications.services.outbox import outbound_enqueue_many

    monkeypatch.setattr(Conf, "SYNC", False)  # really queue, to see where
    outbox, main = get_broker(settings.OUTBOX_TASK_CLUSTER), get_broker()
    assert settings.OUTBOX_TASK_CLUSTER == "outbox" and Conf.CLUSTER_NAME == "martaf"
    assert outbox.list_key != main.list_key  # two queues ("django_q:outbox:q" on Redis)
    outbox.purge_queue()
    main.purge_queue()
    try:
        _queue_email(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            sms_queue(to="+233201234567", body="Shipped")
        # what the imports queue (imports.lifecycle: no cluster named, so the main one)
        async_task("imports.tasks.product_imports_recover_task")
        assert (outbox.queue_size(), main.queue_size()) == (2, 1)
        # the rows of one commit, handed over as one task (checkout's notices), go there too
        outbound_enqueue_many([1, 2, 3])
        assert (outbox.queue_size(), main.queue_size()) == (3, 1)
    finally:
        outbox.purge_queue()
        main.purge_queue()
