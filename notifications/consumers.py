"""The live notification websocket at ``/ws/notifications/``.

Who is connecting, in this order:

1. a JWT access token in ``Sec-WebSocket-Protocol`` (the browser sends
   ``new WebSocket(url, ["jwt", token])``; we accept with the ``jwt`` subprotocol and never echo
   the token back);
2. a JWT access token in the query string (``?token=...``), for clients that cannot set
   subprotocols (it may end up in access logs, hence second);
3. the Django session, for admin users (staff and manufacturers) in the backoffice.

Anyone else is accepted and immediately closed with code 4401, so that a browser sees the code
(a refused handshake only shows as 1006). Each user joins ``notifications.user.<id>`` and receives
``{"type": "unread_count", ...}`` on connect, then every notification pushed after commit.
The token is checked at connect only; a client reconnects with a fresh one.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AbstractUser
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError

from core.roles import user_can_enter_backoffice
from notifications.selectors import notification_unread_count
from notifications.services import user_group_name

JWT_SUBPROTOCOL = "jwt"
CLOSE_UNAUTHORIZED = 4401


def _jwt_authenticator() -> JWTAuthentication:
    """The API's own JWT authentication class, so the socket accepts exactly what the API does."""
    for auth_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(auth_class, JWTAuthentication):
            return auth_class()
    return JWTAuthentication()


@database_sync_to_async
def _user_from_token(raw_token: str) -> AbstractUser | None:
    authenticator = _jwt_authenticator()
    try:
        return authenticator.get_user(authenticator.get_validated_token(raw_token.encode()))
    except (APIException, TokenError):
        return None


@database_sync_to_async
def _unread_count(user: AbstractUser) -> int:
    return notification_unread_count(user=user)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    user: AbstractUser | None = None
    group_name: str = ""

    def _offered_token(self) -> str:
        """The JWT of the handshake: after "jwt" in the subprotocols, else ``?token=``."""
        subprotocols = self.scope.get("subprotocols") or []
        if JWT_SUBPROTOCOL in subprotocols:
            rest = [p for p in subprotocols if p != JWT_SUBPROTOCOL]
            if rest:
                return rest[0]
        query = parse_qs(self.scope.get("query_string", b"").decode("latin1"))
        return (query.get("token") or [""])[0]

    async def connect(self) -> None:
        token = self._offered_token()
        if token:
            user = await _user_from_token(token)
        else:
            session_user = self.scope.get("user")
            user = session_user if user_can_enter_backoffice(user=session_user) else None
        # Whoever offered "jwt" gets it back (a browser fails the handshake otherwise), also
        # with a bad token, so that it sees the 4401 below. We speak no other subprotocol.
        offered = self.scope.get("subprotocols") or []
        await self.accept(subprotocol=JWT_SUBPROTOCOL if JWT_SUBPROTOCOL in offered else None)
        if user is None:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        self.user = user
        self.group_name = user_group_name(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.send_json({"type": "unread_count", "unread_count": await _unread_count(user)})

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None  # a malformed frame is ignored, not a crash of the connection

    async def receive_json(self, content, **kwargs) -> None:
        # The socket is one-way; reads are marked through the API. Answer pings so clients can
        # keep proxies from closing an idle connection.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notification_push(self, event: dict) -> None:
        """Channel-layer handler for ``{"type": "notification.push", "payload": {...}}``."""
        await self.send_json(event["payload"])
