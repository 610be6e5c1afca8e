"""Serializers of the message and notification API: shapes only, the rules are in services."""

from rest_framework import serializers

from notifications.events import EVENTS
from notifications.models import Message, Notification, NotificationPreference
from notifications.selectors import user_public_name


class MessageSerializer(serializers.ModelSerializer):
    sender_name = serializers.SerializerMethodField()
    receiver_name = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "sender",
            "sender_name",
            "receiver",
            "receiver_name",
            "content",
            "is_read",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields

    def get_sender_name(self, message: Message) -> str:
        return user_public_name(user=message.sender)

    def get_receiver_name(self, message: Message) -> str:
        return user_public_name(user=message.receiver)


class MessageCreateSerializer(serializers.Serializer):
    receiver = serializers.IntegerField(min_value=1, help_text="The receiving user's id.")
    content = serializers.CharField(max_length=5000, trim_whitespace=True)


class MessageUpdateSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000, trim_whitespace=True)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "link", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField()


class MarkAllReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()
    unread_count = serializers.IntegerField()


class NotificationPreferenceSerializer(serializers.ModelSerializer):
    muted_events = serializers.ListField(
        # Account emails cannot be muted: they are not notifications.
        child=serializers.ChoiceField(
            choices=[(event.value, event.label) for event, spec in EVENTS.items() if spec.in_app]
        ),
        required=False,
        help_text="Events for which no email or SMS is sent; the in-app notification stays.",
    )

    class Meta:
        model = NotificationPreference
        fields = ["email_enabled", "sms_enabled", "muted_events"]
