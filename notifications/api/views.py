"""REST views for buyer-seller messages and the user's notifications (JWT only, own data only).

Messages: a user lists, reads and sends their own messages; another user's message answers 404
(its existence is not revealed). Only the receiver marks a message read (the sender gets 403).
The sender may edit (PUT/PATCH ``content``) or delete a message until it has been read (then
409: the receiver has seen it, it is part of the record); the receiver gets 403 for both.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import PageNumberPagination, StrictBooleanFilter
from notifications import services
from notifications.api.serializers import (
    MarkAllReadSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    MessageUpdateSerializer,
    NotificationPreferenceSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)
from notifications.models import Message, Notification, NotificationPreference
from notifications.selectors import (
    messages_of,
    messages_unread_of,
    notification_unread_count,
    notifications_of,
)


class NotificationFilter(filters.FilterSet):
    is_read = StrictBooleanFilter(help_text="true: read ones only; false: unread ones only.")

    class Meta:
        model = Notification
        fields = ["is_read", "event"]


class StandardPagination(PageNumberPagination):
    """The API's one page rule (``core.api``): 20 a page."""

    page_size = 20


@extend_schema(tags=["Messages"])
class MessageViewSet(viewsets.ModelViewSet):
    serializer_class = MessageSerializer
    pagination_class = StandardPagination
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Message.objects.none()
        return messages_of(user=self.request.user)

    @extend_schema(
        summary="Send a message",
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_send(
            sender=request.user,
            receiver_id=data.validated_data["receiver"],
            content=data.validated_data["content"],
        )
        message = self.get_queryset().get(pk=message.pk)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit an unread message (sender only)",
        request=MessageUpdateSerializer,
        responses={200: MessageSerializer},
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        message = self.get_object()
        data = MessageUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_update(
            message=message, user=request.user, content=data.validated_data["content"]
        )
        return Response(MessageSerializer(message).data)

    @extend_schema(
        summary="Edit an unread message (sender only)",
        request=MessageUpdateSerializer,
        responses={200: MessageSerializer},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        # Only ``content`` can change, so PATCH and PUT take the same body.
        return self.update(request, *args, **kwargs)

    @extend_schema(summary="Delete an unread message (sender only)")
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        message = self.get_object()
        services.message_delete(message=message, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Received messages not read yet", responses=MessageSerializer(many=True)
    )
    @action(detail=False, methods=["get"])
    def unread(self, request: Request) -> Response:
        page = self.paginate_queryset(messages_unread_of(user=request.user))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(
        summary="Mark a received message read", request=None, responses=MessageSerializer
    )
    @action(detail=True, methods=["post"])
    def mark_as_read(self, request: Request, pk: str | None = None) -> Response:
        message = self.get_object()
        message = services.message_mark_read(message=message, user=request.user)
        return Response(MessageSerializer(message).data)


@extend_schema(tags=["Notifications"])
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NotificationSerializer
    pagination_class = StandardPagination
    filterset_class = NotificationFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        # The user's own notifications, also for staff: this is "my notifications".
        return notifications_of(user=self.request.user)

    @extend_schema(
        summary="How many of my notifications are unread", responses=UnreadCountSerializer
    )
    @action(detail=False, methods=["get"])
    def unread_count(self, request: Request) -> Response:
        return Response({"unread_count": notification_unread_count(user=request.user)})

    @extend_schema(
        summary="Mark one notification read", request=None, responses=NotificationSerializer
    )
    @action(detail=True, methods=["post"])
    def mark_read(self, request: Request, pk: str | None = None) -> Response:
        try:
            notification = services.notification_mark_read(
                user=request.user, notification_id=int(pk)
            )
        except Notification.DoesNotExist as missing:
            raise NotFound() from missing
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all my notifications read", request=None, responses=MarkAllReadSerializer
    )
    @action(detail=False, methods=["post"])
    def mark_all_read(self, request: Request) -> Response:
        changed = services.notifications_mark_all_read(user=request.user)
        return Response(
            {"marked_read": changed, "unread_count": notification_unread_count(user=request.user)}
        )

    @extend_schema(
        summary="My email/SMS notification preferences",
        methods=["GET"],
        responses=NotificationPreferenceSerializer,
    )
    @extend_schema(
        summary="Change my email/SMS notification preferences",
        methods=["PATCH"],
        request=NotificationPreferenceSerializer,
        responses=NotificationPreferenceSerializer,
    )
    @action(detail=False, methods=["get", "patch"])
    def preferences(self, request: Request) -> Response:
        if request.method == "GET":
            preference = NotificationPreference.objects.filter(user=request.user).first()
            preference = preference or NotificationPreference(user=request.user)
            return Response(NotificationPreferenceSerializer(preference).data)
        data = NotificationPreferenceSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        preference = services.notification_preference_update(
            user=request.user, **data.validated_data
        )
        return Response(NotificationPreferenceSerializer(preference).data)
