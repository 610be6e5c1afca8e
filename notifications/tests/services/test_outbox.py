"""The outbox interface (email_queue, sms_queue, sms_is_configured) and notify()."""

from datetime import timedelta

import pytest
from django.core import mail
from django.template import TemplateDoesNotExist
from django.utils import timezone

from notifications.events import MissingContextError
from notifications.models import (
    Notification,
    NotificationEvent,
    NotificationPreference,
    OutboundMessage,
)
from notifications.selectors import staff_recipients
from notifications.services import email_queue, notify, sms_is_configured, sms_queue
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


# --- notify -----------------------------------------------------------------------------------


@pytest.fixture
def buyer_with_phone(make_user):
    return make_user(
        "phone.buyer@martaf.test", is_customer=True, phone="+233201234567", first_name="Ama"
    )


def test_notify_writes_one_notification_and_emails_the_manufacturer(
    manufacturer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications = notify(
            event=NotificationEvent.PRODUCT_APPROVED,
            recipients=[manufacturer_a],
            context={"product_name": "Kente scarf"},
            link="/admin/catalog/product/7/change/",
        )

    notification = Notification.objects.get()
    assert notifications == [notification]
    assert notification.user == manufacturer_a
    assert notification.event == "product_approved"
    assert notification.title == "Your product “Kente scarf” was approved"
    assert notification.body == "“Kente scarf” is now visible in the catalogue."
    assert notification.link == "/admin/catalog/product/7/change/"
    assert notification.is_read is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maker.a@martaf.test"]
    assert mail.outbox[0].subject == "Your product “Kente scarf” was approved"
    # An admin link in an email points at the backoffice.
    assert "http://127.0.0.1:8000/admin/catalog/product/7/change/" in mail.outbox[0].body
    assert list(OutboundMessage.objects.values_list("channel", "status")) == [("email", "sent")]


def test_order_events_also_send_an_sms_to_a_user_with_a_phone(
    buyer_with_phone, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="order_status_changed",
            recipients=[buyer_with_phone],
            context={"order_number": "A-1", "status": "shipped"},
            link="/orders/A-1",
        )

    assert sms_outbox == [
        SentSMS(
            to="+233201234567",
            body="MARTAF: Order A-1 is now shipped http://localhost:5173/orders/A-1",
        )
    ]
    assert mail.outbox[0].subject == "Order A-1 is now shipped"
    assert "http://localhost:5173/orders/A-1" in mail.outbox[0].body
    assert sorted(OutboundMessage.objects.values_list("channel", flat=True)) == ["email", "sms"]


def test_no_sms_without_a_phone_number(customer, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="order_placed",
            recipients=[customer],
            context={"order_number": "A-2", "total": "GHS 120.00"},
        )

    assert sms_outbox == []
    assert list(OutboundMessage.objects.values_list("channel", flat=True)) == ["email"]


def test_no_sms_when_no_sms_backend_is_configured(
    buyer_with_phone, twilio_unconfigured, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="order_placed",
            recipients=[buyer_with_phone],
            context={"order_number": "A-3", "total": "GHS 5.00"},
        )

    assert list(OutboundMessage.objects.values_list("channel", flat=True)) == ["email"]


@pytest.mark.parametrize(
    ("event", "context", "email", "sms"),
    [
        ("product_submitted", {"product_name": "P", "manufacturer_name": "Maker A"}, True, False),
        ("product_approved", {"product_name": "P"}, True, False),
        ("product_rejected", {"product_name": "P", "reason": "Blurry photos"}, True, False),
        ("order_placed", {"order_number": "A-1", "total": "GHS 1.00"}, True, True),
        ("order_status_changed", {"order_number": "A-1", "status": "shipped"}, True, True),
        ("low_stock", {"product_name": "P", "stock": 2}, True, False),
        ("new_review", {"product_name": "P", "rating": 5, "reviewer_name": "Ama"}, True, False),
        ("new_message", {"sender_name": "Ama", "preview": "Hello"}, True, False),
    ],
)
def test_channels_per_event(
    event, context, email, sms, buyer_with_phone, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=event, recipients=[buyer_with_phone], context=context)

    channels = sorted(OutboundMessage.objects.values_list("channel", flat=True))
    assert channels == sorted(["email"] * email + ["sms"] * sms)
    assert Notification.objects.filter(user=buyer_with_phone, event=event).count() == 1


def test_low_stock_email_uses_the_seed_subject(manufacturer_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="low_stock",
            recipients=[manufacturer_a],
            context={"product_name": "Mug", "stock": 3},
        )

    assert mail.outbox[0].subject == "Low Stock Alert: Mug"
    assert Notification.objects.get().body == (
        "Your product “Mug” is low on stock: 3 left. Please restock soon."
    )


def test_email_preference_off_keeps_in_app_and_sms(
    buyer_with_phone, sms_outbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=buyer_with_phone, email_enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="order_placed",
            recipients=[buyer_with_phone],
            context={"order_number": "A-9", "total": "1"},
        )

    assert Notification.objects.filter(user=buyer_with_phone).count() == 1
    assert mail.outbox == []
    assert len(sms_outbox) == 1
    assert list(OutboundMessage.objects.values_list("channel", flat=True)) == ["sms"]


def test_sms_preference_off(buyer_with_phone, sms_outbox, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=buyer_with_phone, sms_enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="order_placed",
            recipients=[buyer_with_phone],
            context={"order_number": "A-9", "total": "1"},
        )

    assert sms_outbox == []
    assert len(mail.outbox) == 1


def test_a_muted_event_sends_no_email_or_sms_but_is_still_notified(
    buyer_with_phone, sms_outbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=buyer_with_phone, muted_events=["order_placed"])

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="order_placed",
            recipients=[buyer_with_phone],
            context={"order_number": "A-9", "total": "1"},
        )
        notify(
            event="order_status_changed",
            recipients=[buyer_with_phone],
            context={"order_number": "A-9", "status": "shipped"},
        )

    assert Notification.objects.filter(user=buyer_with_phone).count() == 2
    assert [m.subject for m in mail.outbox] == ["Order A-9 is now shipped"]
    assert len(sms_outbox) == 1


def test_staff_fan_out_skips_inactive_and_duplicate_recipients(
    make_user, staff_user, django_capture_on_commit_callbacks
):
    other_staff = make_user("staff2@martaf.test", is_staff=True)
    gone = make_user("gone@martaf.test", is_staff=True)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    with django_capture_on_commit_callbacks(execute=True):
        notifications = notify(
            event="product_submitted",
            recipients=[staff_user, other_staff, gone, staff_user],
            context={"product_name": "Mug", "manufacturer_name": "Maker A"},
        )

    assert sorted(n.user.email for n in notifications) == [
        "staff2@martaf.test",
        "staff@martaf.test",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["staff2@martaf.test", "staff@martaf.test"]
    assert not Notification.objects.filter(user=gone).exists()


def test_notify_with_a_missing_context_key_writes_nothing(customer, db):
    with pytest.raises(MissingContextError) as error:
        notify(event="order_placed", recipients=[customer], context={"order_number": "A-1"})

    assert str(error.value) == "notify(order_placed) needs context key(s): total"
    assert Notification.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_title_and_body_in_the_context_replace_the_wording(
    manufacturer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="order_placed",
            recipients=[manufacturer_a],
            context={"title": "New order A-5: 2 of your items", "body": "Kente scarf × 2"},
        )

    notification = Notification.objects.get()
    assert (notification.title, notification.body) == (
        "New order A-5: 2 of your items",
        "Kente scarf × 2",
    )
    assert mail.outbox[0].subject == "New order A-5: 2 of your items"


@pytest.mark.parametrize("event", ["password_reset", "one_time_login", "forgot_email"])
def test_account_events_are_not_notifications(event, customer):
    with pytest.raises(ValueError):
        notify(event=event, recipients=[customer], context={})
    assert Notification.objects.count() == 0


def test_notify_with_nobody_to_tell_does_nothing(db):
    assert (
        notify(event="low_stock", recipients=[], context={"product_name": "x", "stock": 0}) == []
    )


def test_staff_recipients_are_the_active_staff_users(
    staff_user, manufacturer_a, customer, make_user
):
    # notifications imports no users module: the selector asks for the configured user model.
    clerk = make_user("clerk@martaf.test", is_staff=True)
    gone = make_user("gone@martaf.test", is_staff=True)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert sorted(u.email for u in staff_recipients()) == [clerk.email, staff_user.email]
