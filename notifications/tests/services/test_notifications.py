"""notify(): one in-app notification per recipient, then email and SMS per event, preference
and phone; a missing context key writes nothing."""

import pytest
from django.core import mail

from notifications.events import MissingContextError
from notifications.models import (
    Notification,
    NotificationEvent,
    NotificationPreference,
    OutboundMessage,
)
from notifications.services import notify
from notifications.sms import SentSMS

pytestmark = pytest.mark.django_db


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
