"""Websocket routes, mounted by backoffice.asgi inside AuthMiddlewareStack and the origin check."""

from django.urls import re_path

from notifications.consumers import NotificationConsumer

websocket_urlpatterns: list = [
    re_path(r"^ws/notifications/?$", NotificationConsumer.as_asgi(), name="ws-notifications"),
]
