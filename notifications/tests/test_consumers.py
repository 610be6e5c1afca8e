"""The notification websocket: who may connect, and that each user gets only their own events.

The tests drive the whole ASGI application (origin check, session middleware, URL routing) with
Channels' WebsocketCommunicator. The consumer queries the database from worker threads, so these
tests use ``transactional_db`` (committed rows) and run each scenario in one event loop.
"""

import asyncio
import json
import statistics
import sys
import time
import types
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings as django_settings
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from backoffice.asgi import application
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db(transaction=True)


def _websocket_communicator_class():
    """``channels.testing.WebsocketCommunicator``. The package's __init__ also imports its
    live-server test case, which needs daphne, a server this project does not install; the
    communicator itself is pure asgiref. Without daphne, a stand-in is registered for the
    import only and removed right after."""
    try:
        from channels.testing import WebsocketCommunicator
    except ModuleNotFoundError as missing:
        if missing.name not in ("daphne", "daphne.testing"):
            raise
        stand_in = types.ModuleType("daphne.testing")
        stand_in.DaphneProcess = None
        sys.modules.update({"daphne": types.ModuleType("daphne"), "daphne.testing": stand_in})
        try:
            from channels.testing import WebsocketCommunicator
        finally:
            del sys.modules["daphne"], sys.modules["daphne.testing"]
    return WebsocketCommunicator


WebsocketCommunicator = _websocket_communicator_class()

ORIGIN = (b"origin", b"http://testserver")
PATH = "/ws/notifications/"


def run(scenario) -> None:
    """Run an async scenario on a clean channel layer."""

    async def main():
        await get_channel_layer().flush()
        await scenario()

    async_to_sync(main)()


def _token(user) -> str:
    return str(RefreshToken.for_user(user).access_token)


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


def communicator(*, path=PATH, subprotocols=None, cookie: bytes | None = None):
    headers = [ORIGIN] + ([(b"cookie", cookie)] if cookie else [])
    return WebsocketCommunicator(application, path, headers=headers, subprotocols=subprotocols)


@database_sync_to_async
def _notify_low_stock(user, product_name="Mug", stock=2, link=""):
    return notify(
        event="low_stock",
        recipients=[user],
        context={"product_name": product_name, "stock": stock},
        link=link,
    )


async def _connect_ok(ws, expected_unread: int, expected_subprotocol=None) -> None:
    connected, subprotocol = await ws.connect()
    assert connected is True
    assert subprotocol == expected_subprotocol
    assert await ws.receive_json_from() == {
        "type": "unread_count",
        "unread_count": expected_unread,
    }


async def _assert_refused(ws, expected_subprotocol=None) -> None:
    connected, subprotocol = await ws.connect()
    assert connected is True  # accepted, then closed, so a browser sees the code
    assert subprotocol == expected_subprotocol
    assert await ws.receive_output() == {"type": "websocket.close", "code": 4401}


# --- Authentication ---------------------------------------------------------------------------


def test_jwt_in_the_query_string(customer):
    token = _token(customer)

    async def scenario():
        ws = communicator(path=f"{PATH}?token={token}")
        await _connect_ok(ws, expected_unread=0)
        await ws.disconnect()

    run(scenario)


def test_jwt_in_the_websocket_subprotocol(manufacturer_a):
    token = _token(manufacturer_a)
    notify(
        event="low_stock", recipients=[manufacturer_a], context={"product_name": "Mug", "stock": 1}
    )

    async def scenario():
        ws = communicator(subprotocols=["jwt", token])
        await _connect_ok(ws, expected_unread=1, expected_subprotocol="jwt")
        await ws.disconnect()

    run(scenario)


def test_path_without_trailing_slash(customer):
    token = _token(customer)

    async def scenario():
        ws = communicator(path=f"/ws/notifications?token={token}")
        await _connect_ok(ws, expected_unread=0)
        await ws.disconnect()

    run(scenario)


@pytest.mark.parametrize("who", ["staff_user", "manufacturer_a"])
def test_admin_users_connect_with_their_session(request, who):
    user = request.getfixturevalue(who)
    cookie = _session_cookie(user)

    async def scenario():
        ws = communicator(cookie=cookie)
        await _connect_ok(ws, expected_unread=0)
        await ws.disconnect()

    run(scenario)


def test_a_customer_session_is_not_enough(customer):
    cookie = _session_cookie(customer)

    async def scenario():
        await _assert_refused(communicator(cookie=cookie))

    run(scenario)


@pytest.mark.parametrize(
    "path, subprotocols",
    [
        (PATH, None),
        (f"{PATH}?token=not-a-jwt", None),
        (PATH, ["jwt", "not-a-jwt"]),
        (PATH, ["jwt"]),
    ],
)
def test_anonymous_or_bad_token_is_closed_with_4401(db, path, subprotocols):
    async def scenario():
        expected = "jwt" if subprotocols else None
        await _assert_refused(communicator(path=path, subprotocols=subprotocols), expected)

    run(scenario)


def test_only_the_jwt_subprotocol_is_spoken(customer):
    token = _token(customer)

    async def scenario():
        ws = communicator(path=f"{PATH}?token={token}", subprotocols=["graphql-ws"])
        await _connect_ok(ws, expected_unread=0, expected_subprotocol=None)
        await ws.disconnect()

    run(scenario)


def test_expired_or_refresh_tokens_are_refused(customer):
    expired = AccessToken.for_user(customer)
    expired.set_exp(lifetime=-timedelta(seconds=1))
    refresh = str(RefreshToken.for_user(customer))

    async def scenario():
        await _assert_refused(communicator(path=f"{PATH}?token={expired}"))
        await _assert_refused(communicator(path=f"{PATH}?token={refresh}"))

    run(scenario)


def test_an_inactive_users_token_is_refused(customer):
    token = _token(customer)
    customer.is_active = False
    customer.save(update_fields=["is_active"])

    async def scenario():
        await _assert_refused(communicator(path=f"{PATH}?token={token}"))

    run(scenario)


def test_a_foreign_origin_is_refused_before_anything_else(customer):
    token = _token(customer)

    async def scenario():
        ws = WebsocketCommunicator(
            application,
            f"{PATH}?token={token}",
            headers=[(b"origin", b"https://evil.example.com")],
        )
        connected, _ = await ws.connect()
        assert connected is False

    run(scenario)


# --- Delivery ---------------------------------------------------------------------------------


def test_each_user_receives_only_their_own_notifications(manufacturer_a, manufacturer_b):
    token_a, token_b = _token(manufacturer_a), _token(manufacturer_b)

    async def scenario():
        ws_a = communicator(path=f"{PATH}?token={token_a}")
        ws_b = communicator(subprotocols=["jwt", token_b])
        await _connect_ok(ws_a, expected_unread=0)
        await _connect_ok(ws_b, expected_unread=0, expected_subprotocol="jwt")

        [notification] = await _notify_low_stock(
            manufacturer_a, link="/admin/catalog/product/1/change/"
        )

        frame = await ws_a.receive_json_from()
        assert frame == {
            "type": "notification",
            "id": notification.pk,
            "event": "low_stock",
            "title": "Low stock: Mug",
            "body": "Your product “Mug” is low on stock: 2 left. Please restock soon.",
            "link": "/admin/catalog/product/1/change/",
            "created_at": notification.created_at.isoformat(),
            "unread_count": 1,
        }
        assert await ws_b.receive_nothing(timeout=0.2) is True

        await _notify_low_stock(manufacturer_b, product_name="Cup")
        frame_b = await ws_b.receive_json_from()
        assert (frame_b["title"], frame_b["unread_count"]) == ("Low stock: Cup", 1)
        assert await ws_a.receive_nothing(timeout=0.2) is True

        await ws_a.disconnect()
        await ws_b.disconnect()

    run(scenario)


def test_unread_count_follows_notifications_and_reads(manufacturer_a):
    token = _token(manufacturer_a)

    async def scenario():
        ws = communicator(path=f"{PATH}?token={token}")
        await _connect_ok(ws, expected_unread=0)

        await _notify_low_stock(manufacturer_a)
        [second] = await _notify_low_stock(manufacturer_a, product_name="Cup")
        assert (await ws.receive_json_from())["unread_count"] == 1
        assert (await ws.receive_json_from())["unread_count"] == 2

        await database_sync_to_async(notification_mark_read)(
            user=manufacturer_a, notification_id=second.pk
        )
        assert await ws.receive_json_from() == {"type": "unread_count", "unread_count": 1}

        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from() == {"type": "pong"}
        await ws.send_to(text_data="not json")  # ignored, the connection stays up
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from() == {"type": "pong"}
        await ws.disconnect()

    run(scenario)


def test_a_rolled_back_notification_is_never_pushed(manufacturer_a):
    token = _token(manufacturer_a)

    @database_sync_to_async
    def notify_then_fail():
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            notify(
                event="low_stock",
                recipients=[manufacturer_a],
                context={"product_name": "x", "stock": 0},
            )
            raise RuntimeError("caller failed")

    async def scenario():
        ws = communicator(path=f"{PATH}?token={token}")
        await _connect_ok(ws, expected_unread=0)
        await notify_then_fail()
        assert await ws.receive_nothing(timeout=0.2) is True
        await ws.disconnect()

    run(scenario)
    assert Notification.objects.count() == 0


def test_the_admin_sees_new_notifications_live_through_the_session(staff_user):
    cookie = _session_cookie(staff_user)

    @database_sync_to_async
    def submit():
        notify(
            event="product_submitted",
            recipients=[staff_user],
            context={"product_name": "Mug", "manufacturer_name": "Maker A"},
        )

    async def scenario():
        ws = communicator(cookie=cookie)
        await _connect_ok(ws, expected_unread=0)
        await submit()
        frame = await ws.receive_json_from()
        assert (frame["event"], frame["title"], frame["unread_count"]) == (
            "product_submitted",
            "Product awaiting approval: Mug",
            1,
        )
        await ws.disconnect()

    run(scenario)


# --- Latency ----------------------------------------------------------------------------------


def _measure_latency(user, *, samples: int) -> list[float]:
    """Seconds from the commit of notify() to the frame arriving at the client."""
    token = _token(user)
    latencies: list[float] = []

    @database_sync_to_async
    def notify_and_time(index: int) -> float:
        from django.db import transaction

        committed = {}
        with transaction.atomic():
            # The first commit callback: its time is the moment of the commit.
            transaction.on_commit(lambda: committed.setdefault("at", time.perf_counter()))
            notify(
                event="low_stock",
                recipients=[user],
                context={"product_name": f"P{index}", "stock": index},
            )
        return committed["at"]

    async def receive_and_time(ws) -> tuple[dict, float]:
        frame = await ws.receive_json_from(timeout=5)
        return frame, time.perf_counter()

    async def scenario():
        ws = communicator(path=f"{PATH}?token={token}")
        await _connect_ok(ws, expected_unread=0)
        for index in range(samples):
            # Already waiting when the commit happens, as a browser would be.
            receiving = asyncio.ensure_future(receive_and_time(ws))
            committed_at = await notify_and_time(index)
            frame, received_at = await receiving
            latencies.append(received_at - committed_at)
            assert frame["title"] == f"Low stock: P{index}"
        await ws.disconnect()

    run(scenario)
    return latencies


def test_commit_to_frame_latency(manufacturer_a, request):
    # Only the live push is measured: with django-q2 in SYNC mode an email would be sent inline
    # in the same thread, which a production worker does elsewhere.
    NotificationPreference.objects.create(user=manufacturer_a, email_enabled=False)
    latencies = _measure_latency(manufacturer_a, samples=50)
    backend = django_settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    summary = {
        "layer": backend,
        "samples": len(latencies),
        "median_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
    }
    print("\ncommit-to-websocket latency:", json.dumps(summary))
    request.node.user_properties.append(("latency", summary))
    # A generous bound: this guards against a push that waits for something (a poll, a task).
    assert statistics.median(latencies) < 0.25


def test_the_storefront_origin_may_connect(customer, settings):
    # The storefront runs on another origin (CORS_ALLOWED_ORIGINS), not on ALLOWED_HOSTS.
    assert "http://localhost:5173" in settings.CORS_ALLOWED_ORIGINS
    token = _token(customer)

    async def scenario():
        ws = WebsocketCommunicator(
            application,
            f"{PATH}?token={token}",
            headers=[(b"origin", b"http://localhost:5173")],
        )
        connected, _ = await ws.connect()
        assert connected is True
        await ws.disconnect()

    run(scenario)
