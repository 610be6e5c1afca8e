"""The notification REST API: own notifications only, read flags, the unread count, delivery
preferences, and the schema's tags."""

import pytest

from notifications.models import Notification, NotificationPreference
from notifications.services import notify

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/notifications/"


def _notify(user, n=1, **context):
    for index in range(n):
        notify(
            event="low_stock",
            recipients=[user],
            context={"product_name": f"P{index}", "stock": index, **context},
        )


def test_notifications_list_is_own_newest_first_and_paginated(
    jwt_client, manufacturer_a, manufacturer_b
):
    _notify(manufacturer_a, 25)
    _notify(manufacturer_b, 2)

    response = jwt_client(manufacturer_a).get(NOTIFICATIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["next"].endswith("/api/notifications/?page=2")
    first = body["results"][0]
    newest = (
        Notification.objects.filter(user=manufacturer_a).order_by("-created_at", "-id").first()
    )
    assert first == {
        "id": newest.pk,
        "event": "low_stock",
        "title": "Low stock: P24",
        "body": "Your product “P24” is low on stock: 24 left. Please restock soon.",
        "link": "",
        "is_read": False,
        "read_at": None,
        "created_at": newest.created_at.isoformat().replace("+00:00", "Z"),
    }
    ids = [n["id"] for n in body["results"]]
    assert ids == sorted(ids, reverse=True)


def test_notifications_filter_by_read_flag(jwt_client, manufacturer_a):
    _notify(manufacturer_a, 3)
    read = Notification.objects.filter(user=manufacturer_a).order_by("pk").first()
    Notification.objects.filter(pk=read.pk).update(is_read=True)
    client = jwt_client(manufacturer_a)

    assert [n["id"] for n in client.get(f"{NOTIFICATIONS}?is_read=true").json()["results"]] == [
        read.pk
    ]
    assert client.get(f"{NOTIFICATIONS}?is_read=false").json()["count"] == 2


def test_notification_list_query_count_does_not_grow(
    jwt_client, manufacturer_a, django_assert_num_queries
):
    client = jwt_client(manufacturer_a)
    _notify(manufacturer_a, 2)
    with django_assert_num_queries(3):  # JWT user, count, page
        client.get(NOTIFICATIONS)
    _notify(manufacturer_a, 15)
    with django_assert_num_queries(3):
        assert len(client.get(NOTIFICATIONS).json()["results"]) == 17


def test_unread_count(jwt_client, manufacturer_a, manufacturer_b, django_assert_num_queries):
    _notify(manufacturer_a, 4)
    _notify(manufacturer_b, 1)
    Notification.objects.filter(user=manufacturer_a).order_by("pk").first().delete()
    client = jwt_client(manufacturer_a)

    with django_assert_num_queries(2):
        response = client.get(f"{NOTIFICATIONS}unread_count/")

    assert response.json() == {"unread_count": 3}


def test_mark_one_read(jwt_client, manufacturer_a):
    _notify(manufacturer_a, 2)
    target = Notification.objects.filter(user=manufacturer_a).first()

    response = jwt_client(manufacturer_a).post(f"{NOTIFICATIONS}{target.pk}/mark_read/")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    target.refresh_from_db()
    assert target.is_read is True and target.read_at is not None
    assert Notification.objects.filter(user=manufacturer_a, is_read=False).count() == 1


def test_cannot_mark_someone_elses_notification_read(jwt_client, manufacturer_a, manufacturer_b):
    _notify(manufacturer_b)
    theirs = Notification.objects.get(user=manufacturer_b)

    response = jwt_client(manufacturer_a).post(f"{NOTIFICATIONS}{theirs.pk}/mark_read/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    theirs.refresh_from_db()
    assert (theirs.is_read, theirs.read_at) == (False, None)
    assert jwt_client(manufacturer_a).get(f"{NOTIFICATIONS}{theirs.pk}/").status_code == 404


def test_mark_all_read_touches_only_my_notifications(jwt_client, manufacturer_a, manufacturer_b):
    _notify(manufacturer_a, 3)
    _notify(manufacturer_b, 2)

    response = jwt_client(manufacturer_a).post(f"{NOTIFICATIONS}mark_all_read/")

    assert response.status_code == 200
    assert response.json() == {"marked_read": 3, "unread_count": 0}
    assert Notification.objects.filter(user=manufacturer_a, is_read=False).count() == 0
    assert Notification.objects.filter(user=manufacturer_b, is_read=False).count() == 2


def test_staff_see_only_their_own_notifications_in_the_api(jwt_client, staff_user, manufacturer_a):
    _notify(manufacturer_a)

    assert jwt_client(staff_user).get(NOTIFICATIONS).json()["count"] == 0


def test_preferences_default_and_update(jwt_client, customer):
    client = jwt_client(customer)

    assert client.get(f"{NOTIFICATIONS}preferences/").json() == {
        "email_enabled": True,
        "sms_enabled": True,
        "muted_events": [],
    }
    response = client.patch(
        f"{NOTIFICATIONS}preferences/",
        {"sms_enabled": False, "muted_events": ["new_review", "low_stock"]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "email_enabled": True,
        "sms_enabled": False,
        "muted_events": ["low_stock", "new_review"],
    }
    preference = NotificationPreference.objects.get(user=customer)
    assert (preference.sms_enabled, preference.muted_events) == (
        False,
        ["low_stock", "new_review"],
    )


def test_account_emails_cannot_be_muted(jwt_client, customer):
    response = jwt_client(customer).patch(
        f"{NOTIFICATIONS}preferences/", {"muted_events": ["password_reset"]}, format="json"
    )

    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=customer).exists()


def test_the_schema_documents_both_tags(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    schema = response.json()
    tags = {
        tag
        for path, operations in schema["paths"].items()
        if path.startswith(("/api/messages", "/api/notifications"))
        for operation in operations.values()
        for tag in operation.get("tags", [])
    }

    assert response.status_code == 200
    assert tags == {"Messages", "Notifications"}


@pytest.mark.parametrize("value", ["-1", "maybe"])
def test_an_invalid_is_read_is_a_400_not_ignored(jwt_client, manufacturer_a, value):
    _notify(manufacturer_a)

    response = jwt_client(manufacturer_a).get(f"{NOTIFICATIONS}?is_read={value}")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("is_read: Select a valid choice.")
