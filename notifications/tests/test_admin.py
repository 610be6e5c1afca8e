"""The Communication admin: the outbox (staff only, retry), notifications, messages, the bell."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message, Notification, OutboundMessage
from notifications.services import notify

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status
OUTBOX = reverse("admin:notifications_outboundmessage_changelist")
NOTIFICATIONS = reverse("admin:notifications_notification_changelist")
MESSAGES = reverse("admin:notifications_message_changelist")


def _outbound(**fields) -> OutboundMessage:
    values = {
        "channel": "email",
        "recipient": "buyer@martaf.test",
        "subject": "Order A-1",
        "body": "Your order",
        "status": Status.FAILED,
        "attempts": 5,
        "max_attempts": 5,
        "last_error": "SMTPServerDisconnected: Connection unexpectedly closed",
        "event": "order_placed",
    }
    return OutboundMessage.objects.create(**{**values, **fields})


def _notify(user, product_name="Mug"):
    return notify(
        event="low_stock", recipients=[user], context={"product_name": product_name, "stock": 1}
    )


# --- Outbox -----------------------------------------------------------------------------------


def test_staff_see_the_outbox_with_status_badges(staff_user, client):
    client.force_login(staff_user)
    _outbound(recipient="failed@martaf.test")
    _outbound(recipient="sent@martaf.test", status=Status.SENT, attempts=1, last_error="")

    response = client.get(OUTBOX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "failed@martaf.test" in html and "sent@martaf.test" in html
    assert "Failed" in html and "Sent" in html
    assert "5 / 5" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?status__exact=failed", ["failed@martaf.test"]),
        ("?channel__exact=sms", ["+233201234567"]),
        ("?event__exact=low_stock", ["sent@martaf.test"]),
        ("?q=sent%40martaf", ["sent@martaf.test"]),
        ("?q=Low+stock", ["sent@martaf.test"]),
    ],
)
def test_outbox_filters_and_search(client, staff_user, query, expected):
    client.force_login(staff_user)
    _outbound(recipient="failed@martaf.test")
    _outbound(
        recipient="sent@martaf.test",
        status=Status.SENT,
        event="low_stock",
        subject="Low stock: Mug",
    )
    _outbound(channel="sms", recipient="+233201234567", subject="", status=Status.PENDING)

    response = client.get(OUTBOX + query)

    assert response.status_code == 200
    assert [row.recipient for row in response.context["cl"].result_list] == expected


def test_outbox_changelist_query_count_does_not_grow(client, staff_user):
    client.force_login(staff_user)
    for index in range(2):
        _outbound(recipient=f"r{index}@martaf.test", user=staff_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(OUTBOX).status_code == 200
    for index in range(2, 22):
        _outbound(recipient=f"r{index}@martaf.test", user=staff_user)
    with CaptureQueriesContext(connection) as many:
        assert client.get(OUTBOX).status_code == 200

    assert len(many) == len(few)


def test_staff_open_an_outbox_row_read_only(client, staff_user):
    client.force_login(staff_user)
    row = _outbound()

    response = client.get(reverse("admin:notifications_outboundmessage_change", args=[row.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert 'name="_save"' not in html  # nothing to save: the row is the record


def test_manufacturers_cannot_reach_the_outbox(client, manufacturer_a):
    client.force_login(manufacturer_a)
    row = _outbound(user=manufacturer_a)

    assert client.get(OUTBOX).status_code == 403
    assert (
        client.get(
            reverse("admin:notifications_outboundmessage_change", args=[row.pk])
        ).status_code
        == 403
    )
    assert client.get(MESSAGES).status_code == 403


def test_retry_action_requeues_failed_rows_and_records_it(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    failed = _outbound()
    sent = _outbound(recipient="sent@martaf.test", status=Status.SENT, attempts=1, last_error="")
    sent_before = OutboundMessage.objects.filter(pk=sent.pk).values().get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            OUTBOX,
            {"action": "retry_selected", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "1 message queued again.",
        "1 selected message(s) were not failed and were left alone.",
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.max_attempts, failed.last_error) == (
        Status.SENT,
        6,
        10,
        "",
    )
    assert [m.to for m in mail.outbox] == [["buyer@martaf.test"]]
    entry = LogEntry.objects.get(object_id=str(failed.pk))
    assert (entry.user, entry.action_flag) == (staff_user, CHANGE)
    assert entry.change_message == (
        "Retried by staff@martaf.test after 5 failed attempt(s); "
        "last error: SMTPServerDisconnected: Connection unexpectedly closed"
    )
    assert OutboundMessage.objects.filter(pk=sent.pk).values().get() == sent_before


def test_a_retry_that_fails_again_stays_visible_with_its_new_budget(
    client, staff_user, failing_email, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    failed = _outbound()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(OUTBOX, {"action": "retry_selected", "_selected_action": [failed.pk]})

    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.max_attempts) == (Status.PENDING, 6, 10)
    assert failed.next_attempt_at > timezone.now() + timedelta(seconds=59)


def test_retry_detail_action(client, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    failed = _outbound()
    url = reverse("admin:notifications_outboundmessage_retry_detail", args=[failed.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:notifications_outboundmessage_change", args=[failed.pk]
    )
    failed.refresh_from_db()
    assert failed.status == Status.SENT


def test_retry_button_is_only_on_failed_rows(client, staff_user):
    client.force_login(staff_user)
    failed = _outbound()
    sent = _outbound(status=Status.SENT, attempts=1, last_error="")
    before = OutboundMessage.objects.filter(pk=sent.pk).values().get()
    retry_url = "admin:notifications_outboundmessage_retry_detail"

    failed_page = client.get(
        reverse("admin:notifications_outboundmessage_change", args=[failed.pk])
    )
    sent_page = client.get(reverse("admin:notifications_outboundmessage_change", args=[sent.pk]))
    forced = client.get(reverse(retry_url, args=[sent.pk]))

    assert reverse(retry_url, args=[failed.pk]) in failed_page.content.decode()
    assert reverse(retry_url, args=[sent.pk]) not in sent_page.content.decode()
    assert forced.status_code == 403
    assert OutboundMessage.objects.filter(pk=sent.pk).values().get() == before


def test_the_html_part_is_previewed_in_a_sandbox(client, staff_user):
    client.force_login(staff_user)
    row = _outbound(html_body='<p onclick="x()">Hi &amp; bye</p><script>alert(1)</script>')

    html = client.get(
        reverse("admin:notifications_outboundmessage_change", args=[row.pk])
    ).content.decode()

    assert (
        '<iframe sandbox srcdoc="&lt;p onclick=&quot;x()&quot;&gt;Hi &amp;amp; bye&lt;/p&gt;'
        '&lt;script&gt;alert(1)&lt;/script&gt;"'
    ) in html
    assert "<script>alert(1)</script>" not in html


def test_manufacturer_cannot_retry(client, manufacturer_a):
    client.force_login(manufacturer_a)
    failed = _outbound(user=manufacturer_a)
    before = OutboundMessage.objects.filter(pk=failed.pk).values().get()

    list_response = client.post(
        OUTBOX, {"action": "retry_selected", "_selected_action": [failed.pk]}
    )
    detail_response = client.get(
        reverse("admin:notifications_outboundmessage_retry_detail", args=[failed.pk])
    )

    assert (list_response.status_code, detail_response.status_code) == (403, 403)
    assert OutboundMessage.objects.filter(pk=failed.pk).values().get() == before
    assert mail.outbox == []
    assert not LogEntry.objects.exists()


# --- Notifications ----------------------------------------------------------------------------


def test_manufacturer_sees_only_own_notifications(client, manufacturer_a, manufacturer_b):
    _notify(manufacturer_a, "Mine")
    [theirs] = _notify(manufacturer_b, "Theirs")
    client.force_login(manufacturer_a)

    response = client.get(NOTIFICATIONS)

    assert response.status_code == 200
    assert [n.title for n in response.context["cl"].result_list] == ["Low stock: Mine"]
    other = client.get(reverse("admin:notifications_notification_change", args=[theirs.pk]))
    assert other.status_code == 302  # "doesn't exist", back to the index
    assert other["Location"] == reverse("admin:index")


def test_the_bells_link_works_for_a_manufacturer(client, manufacturer_a, manufacturer_b):
    _notify(manufacturer_a, "Mine")
    _notify(manufacturer_b, "Theirs")
    client.force_login(manufacturer_a)

    response = client.get(NOTIFICATIONS + "?recipient=me")

    # The list itself, not Django's "unknown parameter" redirect to ``?e=1``.
    assert response.status_code == 200
    assert [n.title for n in response.context["cl"].result_list] == ["Low stock: Mine"]


def test_staff_see_all_notifications_and_filter_their_own(client, staff_user, manufacturer_a):
    _notify(manufacturer_a, "Maker's")
    _notify(staff_user, "Mine")
    client.force_login(staff_user)

    everyone = client.get(NOTIFICATIONS).context["cl"].result_list
    mine = client.get(NOTIFICATIONS + "?recipient=me").context["cl"].result_list

    assert sorted(n.title for n in everyone) == ["Low stock: Maker's", "Low stock: Mine"]
    assert [n.title for n in mine] == ["Low stock: Mine"]


def test_mark_selected_read_only_touches_ones_own(client, staff_user, manufacturer_a):
    [maker_note] = _notify(manufacturer_a, "Maker's")
    [mine] = _notify(staff_user, "Mine")
    client.force_login(staff_user)

    client.post(
        NOTIFICATIONS,
        {"action": "mark_selected_read", "_selected_action": [maker_note.pk, mine.pk]},
    )

    assert Notification.objects.get(pk=mine.pk).is_read is True
    assert Notification.objects.get(pk=maker_note.pk).is_read is False


def test_manufacturer_marks_all_read_from_the_changelist(client, manufacturer_a, manufacturer_b):
    _notify(manufacturer_a, "One")
    _notify(manufacturer_a, "Two")
    _notify(manufacturer_b, "Theirs")
    client.force_login(manufacturer_a)
    url = reverse("admin:notifications_notification_mark_all_read")

    # The list's button is a link: the GET only asks, and changes nothing.
    page = client.get(url)
    assert page.status_code == 200
    assert "You have 2 unread notifications: mark them all as read?" in page.content.decode()
    assert Notification.objects.filter(is_read=False).count() == 3

    response = client.post(url)

    assert response.status_code == 302
    assert Notification.objects.filter(user=manufacturer_a, is_read=False).count() == 0
    assert Notification.objects.filter(user=manufacturer_b, is_read=False).count() == 1


def test_nobody_edits_or_deletes_notifications(client, staff_user):
    [note] = _notify(staff_user)
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:notifications_notification_delete", args=[note.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Notification.objects.filter(pk=note.pk).exists()


# --- Messages ---------------------------------------------------------------------------------


def test_staff_read_messages(client, staff_user, customer, manufacturer_a):
    Message.objects.create(sender=customer, receiver=manufacturer_a, content="Is the mug blue?")
    client.force_login(staff_user)

    response = client.get(MESSAGES)

    assert response.status_code == 200
    assert "Is the mug blue?" in response.content.decode()


# --- The bell ---------------------------------------------------------------------------------


def _bell_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "notifications_notification" in q["sql"]]


@pytest.mark.parametrize("who", ["staff_user", "manufacturer_a"])
def test_the_bell_shows_the_unread_count_with_one_query(client, request, who, manufacturer_b):
    user = request.getfixturevalue(who)
    for name in ["A", "B", "C"]:
        _notify(user, name)
    first = Notification.objects.filter(user=user).order_by("pk").first()
    Notification.objects.filter(pk=first.pk).update(is_read=True)
    _notify(manufacturer_b, "Not mine")
    client.force_login(user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="martaf-notification-bell"' in html
    assert f'href="{NOTIFICATIONS}?recipient=me"' in html
    assert "2 unread notifications" in html
    assert ">2</span>" in html
    assert len(_bell_queries(queries)) == 1


def test_the_bell_is_on_every_admin_page(client, staff_user):
    client.force_login(staff_user)

    for url in [OUTBOX, NOTIFICATIONS, reverse("admin:users_user_changelist")]:
        assert 'id="martaf-notification-bell"' in client.get(url).content.decode(), url


def test_the_bell_hides_its_badge_at_zero(client, manufacturer_a):
    client.force_login(manufacturer_a)

    html = client.get(reverse("admin:index")).content.decode()

    assert "0 unread notifications" in html
    assert "display:none;" in html


def test_the_login_page_has_no_bell(client):
    assert (
        'id="martaf-notification-bell"' not in client.get(reverse("admin:login")).content.decode()
    )


# --- Opening a notification ---------------------------------------------------------------------


def _open(notification) -> str:
    return reverse("admin:notifications_notification_open", args=[notification.pk])


def test_opening_ones_notification_marks_it_read_and_follows_its_link(client, manufacturer_a):
    [note] = _notify(manufacturer_a, "Mine")
    Notification.objects.filter(pk=note.pk).update(link="/admin/catalog/product/?stock=low")
    note.refresh_from_db()
    client.force_login(manufacturer_a)

    html = client.get(NOTIFICATIONS).content.decode()
    assert f'formaction="{_open(note)}"' in html and 'formmethod="post"' in html

    response = client.post(_open(note))

    assert response.status_code == 302 and response["Location"] == note.link
    note.refresh_from_db()
    assert note.is_read and note.read_at is not None


def test_opening_by_get_changes_nothing(client, manufacturer_a):
    [note] = _notify(manufacturer_a, "Mine")
    client.force_login(manufacturer_a)

    response = client.get(_open(note))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:notifications_notification_change", args=[note.pk]
    )
    note.refresh_from_db()
    assert not note.is_read


def test_a_link_to_another_site_is_not_followed(client, manufacturer_a):
    [note] = _notify(manufacturer_a, "Mine")
    Notification.objects.filter(pk=note.pk).update(link="https://evil.example/phish")
    client.force_login(manufacturer_a)

    response = client.post(_open(note))

    assert response["Location"] == reverse(
        "admin:notifications_notification_change", args=[note.pk]
    )
    note.refresh_from_db()
    assert note.is_read


def test_nobody_opens_someone_elses_notification(client, staff_user, manufacturer_a,
                                                  manufacturer_b):
    [theirs] = _notify(manufacturer_b, "Theirs")
    for who in (manufacturer_a, staff_user):
        client.force_login(who)

        assert client.post(_open(theirs)).status_code == 404

    theirs.refresh_from_db()
    assert not theirs.is_read
    # Staff reading someone else's see its page, not an open button.
    html = client.get(NOTIFICATIONS).content.decode()
    assert _open(theirs) not in html
    assert reverse("admin:notifications_notification_change", args=[theirs.pk]) in html
