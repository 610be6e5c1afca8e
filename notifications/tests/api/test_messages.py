"""The message REST API: own data only, the read rules, errors with detail."""

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Message, Notification, OutboundMessage

pytestmark = pytest.mark.django_db

MESSAGES = "/api/messages/"


def _message(sender, receiver, content="Hello", **fields) -> Message:
    return Message.objects.create(sender=sender, receiver=receiver, content=content, **fields)


def _snapshot(message: Message) -> tuple:
    row = Message.objects.get(pk=message.pk)
    return (row.sender_id, row.receiver_id, row.content, row.is_read, row.read_at)


# --- Messages: sending ------------------------------------------------------------------------


def test_send_a_message_notifies_the_receiver(
    jwt_client, customer, manufacturer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = jwt_client(customer).post(
            MESSAGES,
            {"receiver": manufacturer_a.pk, "content": "  Is this in stock?  "},
            format="json",
        )

    assert response.status_code == 201
    message = Message.objects.get()
    assert response.json() == {
        "id": message.pk,
        "sender": customer.pk,
        "sender_name": f"MARTAF user #{customer.pk}",
        "receiver": manufacturer_a.pk,
        "receiver_name": "Maker A",
        "content": "Is this in stock?",
        "is_read": False,
        "created_at": message.created_at.isoformat().replace("+00:00", "Z"),
        "read_at": None,
    }
    notification = Notification.objects.get(user=manufacturer_a)
    assert notification.event == "new_message"
    assert notification.title == f"New message from MARTAF user #{customer.pk}"
    assert notification.body == "Is this in stock?"
    assert notification.link == f"/messages/{message.pk}"
    assert [m.to for m in mail.outbox] == [["maker.a@martaf.test"]]
    assert not Notification.objects.filter(user=customer).exists()


def test_the_slash_is_optional_and_a_post_is_never_redirected(
    jwt_client, customer, manufacturer_a
):
    response = jwt_client(customer).post(
        "/api/messages", {"receiver": manufacturer_a.pk, "content": "Hi"}, format="json"
    )

    assert response.status_code == 201


def test_detail_routes_answer_without_the_slash(jwt_client, customer, manufacturer_a):
    message = _message(manufacturer_a, customer)
    client = jwt_client(customer)

    assert client.post(f"/api/messages/{message.pk}/mark_as_read").status_code == 200
    assert client.get("/api/messages/unread").status_code == 200
    assert client.get("/api/notifications/unread_count").json() == {"unread_count": 0}
    assert client.post("/api/notifications/mark_all_read").status_code == 200


def test_cannot_message_yourself(jwt_client, customer):
    response = jwt_client(customer).post(
        MESSAGES, {"receiver": customer.pk, "content": "Hi me"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "You cannot send a message to yourself.",
        "code": "self_message",
        "receiver": ["You cannot send a message to yourself."],
    }
    assert Message.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("receiver", [999_999, "abc", None])
def test_unknown_or_malformed_receiver_is_a_400(jwt_client, customer, receiver):
    response = jwt_client(customer).post(
        MESSAGES, {"receiver": receiver, "content": "Hi"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["receiver"]
    assert Message.objects.count() == 0


def test_an_inactive_receiver_is_unknown(jwt_client, customer, manufacturer_a):
    manufacturer_a.is_active = False
    manufacturer_a.save(update_fields=["is_active"])

    response = jwt_client(customer).post(
        MESSAGES, {"receiver": manufacturer_a.pk, "content": "Hi"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "There is no active user with this id."
    assert response.json()["receiver"] == ["There is no active user with this id."]


def test_empty_content_is_a_400(jwt_client, customer, manufacturer_a):
    response = jwt_client(customer).post(
        MESSAGES, {"receiver": manufacturer_a.pk, "content": "   "}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "content: This field may not be blank."
    assert Message.objects.count() == 0


def test_anonymous_gets_401(api_client):
    response = api_client.get(MESSAGES)

    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_failing_email_provider_does_not_fail_sending_a_message(
    failing_email, jwt_client, customer, manufacturer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = jwt_client(customer).post(
            MESSAGES, {"receiver": manufacturer_a.pk, "content": "Hi"}, format="json"
        )

    assert response.status_code == 201
    assert Message.objects.count() == 1
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("pending", 1)
    assert outbound.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"


# --- Messages: reading ------------------------------------------------------------------------


def test_list_shows_sent_and_received_only(jwt_client, customer, manufacturer_a, manufacturer_b):
    sent = _message(customer, manufacturer_a, "sent")
    received = _message(manufacturer_b, customer, "received")
    _message(manufacturer_a, manufacturer_b, "not mine")

    response = jwt_client(customer).get(MESSAGES)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [m["id"] for m in body["results"]] == [received.pk, sent.pk]  # newest first


def test_message_list_query_count_does_not_grow(
    jwt_client, customer, manufacturer_a, manufacturer_b, django_assert_num_queries
):
    client = jwt_client(customer)
    for index in range(3):
        _message(customer, manufacturer_a, f"a{index}")
        _message(manufacturer_b, customer, f"b{index}")

    # JWT user, count, one page with both people and their profiles joined.
    with django_assert_num_queries(3):
        assert len(client.get(MESSAGES).json()["results"]) == 6

    for index in range(10):
        _message(manufacturer_b, customer, f"c{index}")
    with django_assert_num_queries(3):
        assert len(client.get(MESSAGES).json()["results"]) == 16


def test_sender_and_receiver_can_open_a_message_others_get_404(
    jwt_client, customer, manufacturer_a, manufacturer_b
):
    message = _message(customer, manufacturer_a)

    assert jwt_client(customer).get(f"{MESSAGES}{message.pk}/").status_code == 200
    assert jwt_client(manufacturer_a).get(f"{MESSAGES}{message.pk}/").status_code == 200
    response = jwt_client(manufacturer_b).get(f"{MESSAGES}{message.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Message matches the given query.", "code": "not_found"}


def test_unread_lists_received_unread_messages_only(
    jwt_client, customer, manufacturer_a, manufacturer_b
):
    unread = _message(manufacturer_a, customer, "new")
    _message(manufacturer_b, customer, "old", is_read=True, read_at=timezone.now())
    _message(customer, manufacturer_a, "mine, unread by them")

    response = jwt_client(customer).get(f"{MESSAGES}unread/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [m["id"] for m in response.json()["results"]] == [unread.pk]


def test_receiver_marks_a_message_read_once(jwt_client, customer, manufacturer_a):
    message = _message(manufacturer_a, customer)
    client = jwt_client(customer)

    first = client.post(f"{MESSAGES}{message.pk}/mark_as_read/")
    assert first.status_code == 200
    assert first.json()["is_read"] is True
    read_at = Message.objects.get(pk=message.pk).read_at
    assert read_at is not None

    again = client.post(f"{MESSAGES}{message.pk}/mark_as_read/")
    assert again.status_code == 200
    assert Message.objects.get(pk=message.pk).read_at == read_at
    assert client.get(f"{MESSAGES}unread/").json()["count"] == 0


def test_sender_cannot_mark_as_read_and_nothing_changes(jwt_client, customer, manufacturer_a):
    message = _message(customer, manufacturer_a)
    before = _snapshot(message)

    response = jwt_client(customer).post(f"{MESSAGES}{message.pk}/mark_as_read/")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the receiver can mark a message as read.",
        "code": "not_receiver",
    }
    assert _snapshot(message) == before
    assert before[3] is False


def test_a_stranger_cannot_mark_as_read(jwt_client, customer, manufacturer_a, manufacturer_b):
    message = _message(customer, manufacturer_a)
    before = _snapshot(message)

    response = jwt_client(manufacturer_b).post(f"{MESSAGES}{message.pk}/mark_as_read/")

    assert response.status_code == 404
    assert _snapshot(message) == before


# --- Messages: edit and delete ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch"])
def test_sender_edits_an_unread_message(jwt_client, customer, manufacturer_a, method):
    message = _message(customer, manufacturer_a, "Helo")

    response = getattr(jwt_client(customer), method)(
        f"{MESSAGES}{message.pk}/", {"content": "Hello"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["content"] == "Hello"
    assert Message.objects.get(pk=message.pk).content == "Hello"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_receiver_cannot_edit_or_delete(jwt_client, customer, manufacturer_a, method):
    message = _message(customer, manufacturer_a, "original")
    before = _snapshot(message)

    response = getattr(jwt_client(manufacturer_a), method)(
        f"{MESSAGES}{message.pk}/", {"content": "changed"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the sender can change or delete a message.",
        "code": "not_sender",
    }
    assert _snapshot(message) == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_read_message_can_no_longer_be_edited_or_deleted(
    jwt_client, customer, manufacturer_a, method
):
    message = _message(customer, manufacturer_a, "original", is_read=True, read_at=timezone.now())
    before = _snapshot(message)

    response = getattr(jwt_client(customer), method)(
        f"{MESSAGES}{message.pk}/", {"content": "changed"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "The receiver has read this message; it can no longer be changed or deleted."
    )
    assert _snapshot(message) == before


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_strangers_get_404_for_every_method(
    jwt_client, customer, manufacturer_a, manufacturer_b, method
):
    message = _message(customer, manufacturer_a, "original")
    before = _snapshot(message)

    response = getattr(jwt_client(manufacturer_b), method)(
        f"{MESSAGES}{message.pk}/", {"content": "changed"}, format="json"
    )

    assert response.status_code == 404
    assert _snapshot(message) == before


def test_sender_deletes_an_unread_message(jwt_client, customer, manufacturer_a):
    message = _message(customer, manufacturer_a)

    response = jwt_client(customer).delete(f"{MESSAGES}{message.pk}/")

    assert response.status_code == 204
    assert not Message.objects.filter(pk=message.pk).exists()
