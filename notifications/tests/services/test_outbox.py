"""The outbox interface: email_queue, sms_queue, sms_is_configured."""

from datetime import timedelta

import pytest
from django.core import mail
from django.template import TemplateDoesNotExist
from django.utils import timezone

from notifications.models import NotificationEvent, OutboundMessage
from notifications.services import email_queue, sms_is_configured, sms_queue
from notifications.sms import SentSMS
from notifications.tests.conftest import TWILIO_FROM, TWILIO_SID

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


@pytest.fixture
def text_only_template(settings, tmp_path):
    """A template with a .txt and no .html part, in a template dir of this test only."""
    folder = tmp_path / "templates" / "emails"
    folder.mkdir(parents=True)
    (folder / "plain_only.txt").write_text("Hi {{ name }} & welcome <b>here</b>.")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "emails/plain_only"


def _queue_notification_email(user=None, **overrides):
    arguments = {
        "to": "buyer@martaf.test",
        "subject": "Your order",
        "template": "emails/notification",
        "context": {"user": user, "title": "Order A-1 placed", "body": "Fish & chips", "link": ""},
        "user": user,
        "event": NotificationEvent.ORDER_PLACED,
    }
    return email_queue(**{**arguments, **overrides})


# --- email_queue ------------------------------------------------------------------------------


def test_email_queue_writes_a_pending_row_and_sends_only_after_commit(
    customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _queue_notification_email(user=customer)
        row = OutboundMessage.objects.get(pk=message.pk)
        assert (row.status, row.attempts, row.channel) == (Status.PENDING, 0, "email")
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Your order"
    assert sent.to == ["buyer@martaf.test"]
    assert sent.from_email == "MARTAF <no-reply@martaf.com>"
    assert "Order A-1 placed" in sent.body
    assert "Fish & chips" in sent.body  # the text part is not HTML-escaped
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "Fish &amp; chips" in html
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert row.next_attempt_at is None
    assert row.last_error == ""
    assert row.provider_id == sent.extra_headers["Message-ID"]
    assert (row.user, row.event, row.template) == (customer, "order_placed", "emails/notification")
    assert row.body == sent.body
    assert row.html_body == html


def test_email_queue_without_html_template_sends_text_only(
    text_only_template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = email_queue(
            to="a@martaf.test",
            subject="Hello",
            template=text_only_template,
            context={"name": "Ama"},
        )

    assert mail.outbox[0].body == "Hi Ama & welcome <b>here</b>."
    assert mail.outbox[0].alternatives == []
    message.refresh_from_db()
    assert (message.status, message.html_body, message.event) == (Status.SENT, "", "")


def test_email_queue_requires_the_text_template(db):
    with pytest.raises(TemplateDoesNotExist):
        email_queue(to="a@martaf.test", subject="x", template="emails/nope", context={})
    assert OutboundMessage.objects.count() == 0


def test_email_queue_refuses_an_unknown_event(db):
    with pytest.raises(ValueError):
        _queue_notification_email(event="order_exploded")
    assert OutboundMessage.objects.count() == 0


def test_email_subject_is_kept_on_one_line(django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks(execute=True):
        _queue_notification_email(subject="Line one\nBcc: evil@example.com")

    assert mail.outbox[0].subject == "Line one Bcc: evil@example.com"
    assert mail.outbox[0].bcc == []


def test_nothing_is_sent_when_the_transaction_rolls_back(
    customer, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _queue_notification_email(user=customer)
                raise RuntimeError("the caller failed")

    assert callbacks == []
    assert OutboundMessage.objects.count() == 0
    assert mail.outbox == []


# --- SMS --------------------------------------------------------------------------------------


def test_sms_queue_sends_through_the_configured_backend_after_commit(
    customer, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(to="+233201234567", body="Your code is 1234", user=customer)
        assert sms_outbox == []

    assert sms_outbox == [SentSMS(to="+233201234567", body="Your code is 1234")]
    message.refresh_from_db()
    assert (message.channel, message.status, message.attempts) == ("sms", Status.SENT, 1)
    assert message.provider_id == "locmem-1"


@pytest.mark.parametrize("number", ["0201234567", "+0201234567", "+23320 1234567", "", "+12"])
def test_sms_queue_refuses_a_number_that_is_not_e164(number, db):
    with pytest.raises(ValueError):
        sms_queue(to=number, body="x")
    assert OutboundMessage.objects.count() == 0


def test_sms_queue_refuses_a_body_over_the_twilio_limit(db):
    with pytest.raises(ValueError):
        sms_queue(to="+233201234567", body="x" * 1601)


def test_sms_via_twilio_posts_the_message_to_the_twilio_api(
    customer, twilio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(to="+233201234567", body="Order A-1 shipped", user=customer)

    assert len(twilio.requests) == 1
    request = twilio.requests[0]
    assert request["method"] == "POST"
    assert request["url"] == (
        f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    )
    assert TWILIO_SID in request["url"] and request["url"].endswith("Messages.json")
    assert request["data"] == {
        "To": "+233201234567",
        "From": TWILIO_FROM,
        "Body": "Order A-1 shipped",
    }
    assert request["auth"] == (TWILIO_SID, "test-auth-token")
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_id == "SM" + "0" * 31 + "1"


def test_a_twilio_server_error_is_recorded_and_retried_later(
    customer, twilio, django_capture_on_commit_callbacks
):
    twilio.status = 503
    twilio.reply = {"code": 20500, "message": "Service unavailable"}
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(to="+233201234567", body="hello", user=customer)

    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert message.last_error == (
        "SMSProviderError: Twilio error 20500 (HTTP 503): Unable to create record: "
        "Service unavailable"
    )
    assert before + timedelta(seconds=60) <= message.next_attempt_at
    assert message.next_attempt_at <= timezone.now() + timedelta(seconds=60)


def test_a_number_twilio_rejects_fails_at_once_without_retries(
    customer, twilio, django_capture_on_commit_callbacks
):
    twilio.status = 400
    twilio.reply = {"code": 21211, "message": "The 'To' number is not a valid phone number."}

    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(to="+233201234567", body="hello", user=customer)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (Status.FAILED, 1, None)
    assert message.last_error == (
        "SMSRejected: Twilio error 21211 (HTTP 400): Unable to create record: "
        "The 'To' number is not a valid phone number."
    )


def test_sms_is_configured_is_false_for_twilio_without_credentials(twilio_unconfigured):
    assert sms_is_configured() is False


def test_sms_is_configured_is_true_for_twilio_with_credentials(twilio):
    assert sms_is_configured() is True


def test_the_logging_backend_counts_as_configured(settings):
    settings.SMS_BACKEND = "notifications.sms.LoggingSMSBackend"
    assert sms_is_configured() is True


def test_unconfigured_twilio_fails_the_attempt_with_a_clear_error(
    twilio_unconfigured, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(to="+233201234567", body="hello", user=customer)

    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.last_error == (
        "SMSNotConfigured: Twilio is not configured: set TWILIO_ACCOUNT_SID, "
        "TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
    )
