"""Notifications, buyer-seller messages, the email/SMS outbox and per-user delivery preferences.

``Notification`` rows are the source of truth of what a user was told; the websocket push and
the emails/SMS are deliveries of it. ``OutboundMessage`` is the outbox: one row per email or SMS,
written in the caller's transaction and sent by a django-q2 task after commit, with every attempt
counted on the row so staff can see what happened.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class NotificationEvent(models.TextChoices):
    """Why a user is told something. The channels of each event are in ``events.EVENTS``."""

    PRODUCT_SUBMITTED = "product_submitted", _("Product submitted for approval")
    PRODUCT_APPROVED = "product_approved", _("Product approved")
    PRODUCT_REJECTED = "product_rejected", _("Product rejected")
    ORDER_PLACED = "order_placed", _("Order placed")
    ORDER_STATUS_CHANGED = "order_status_changed", _("Order status changed")
    LOW_STOCK = "low_stock", _("Low stock")
    NEW_REVIEW = "new_review", _("New review")
    NEW_MESSAGE = "new_message", _("New message")
    MANUFACTURER_APPLIED = "manufacturer_applied", _("Manufacturer awaiting approval")
    MANUFACTURER_APPROVED = "manufacturer_approved", _("Manufacturer account approved")
    MANUFACTURER_REJECTED = "manufacturer_rejected", _("Manufacturer application rejected")
    MANUFACTURER_SUSPENDED = "manufacturer_suspended", _("Manufacturer account suspended")
    MANUFACTURER_REINSTATED = "manufacturer_reinstated", _("Manufacturer account reinstated")
    PAYOUT_PAID = "payout_paid", _("Payout paid")
    PAYOUT_FAILED = "payout_failed", _("Payout failed")
    # Account emails: sent with email_queue/sms_queue directly, never through notify().
    PASSWORD_RESET = "password_reset", _("Password reset")
    ONE_TIME_LOGIN = "one_time_login", _("One-time login")
    FORGOT_EMAIL = "forgot_email", _("Forgotten email")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("type"), max_length=40, choices=NotificationEvent.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The unread badge and the "unread, newest first" list both start from here.
            models.Index(
                fields=["user", "is_read", "created_at"], name="notif_user_read_created_idx"
            ),
            # The admin's list, newest first: everyone's (staff) and one's own.
            models.Index(fields=["-created_at", "-id"], name="notif_created_idx"),
            models.Index(fields=["user", "-created_at"], name="notif_user_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_messages",
        verbose_name=_("sender"),
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="received_messages",
        verbose_name=_("receiver"),
    )
    content = models.TextField(_("content"))
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["receiver", "is_read", "created_at"], name="msg_receiver_read_idx"
            ),
            models.Index(fields=["sender", "created_at"], name="msg_sender_created_idx"),
        ]
        constraints = [
            # The service refuses this with a clear error; the constraint is the backstop.
            models.CheckConstraint(
                condition=~Q(sender=F("receiver")), name="msg_sender_is_not_receiver"
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} from {self.sender_id} to {self.receiver_id}"


class OutboundMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # Claimed by a worker; ``next_attempt_at`` is then the end of its lease.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(
        _("recipient"), max_length=254, help_text=_("Email address or E.164 phone number.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
        verbose_name=_("user"),
    )
    event = models.CharField(
        _("event"), max_length=40, choices=NotificationEvent.choices, blank=True
    )
    template = models.CharField(_("template"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("max attempts"), default=5)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A message that is useless after a moment (it carries a link that expires then) is never
    # sent or retried past it.
    send_before = models.DateTimeField(
        _("send before"),
        null=True,
        blank=True,
        help_text=_("Not sent after this time: a link in it has expired by then."),
    )
    provider_id = models.CharField(
        _("provider id"), max_length=100, blank=True, help_text=_("e.g. the Twilio message SID.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email or SMS")
        verbose_name_plural = _("email & SMS outbox")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The retry sweeper's "what is due" query.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due_idx"),
            models.Index(fields=["created_at"], name="outbox_created_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} to {self.recipient}: {self.subject or self.body[:40]}"
        )


class NotificationPreference(models.Model):
    """How a user wants to be told, beyond the in-app notification they always get.

    No row means the defaults (email and SMS on, nothing muted).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_enabled = models.BooleanField(_("email notifications"), default=True)
    sms_enabled = models.BooleanField(_("SMS notifications"), default=True)
    muted_events = models.JSONField(
        _("muted events"),
        default=list,
        blank=True,
        help_text=_("Events for which no email or SMS is sent (the in-app notification stays)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"
