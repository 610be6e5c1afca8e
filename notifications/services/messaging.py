"""Buyer-seller messages: sending (which notifies the receiver), reading, editing, deleting.

Rules: nobody messages themselves; only the receiver marks a message read; only the sender
edits or deletes, and only while the message is unread (once read it is part of the record).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone

from core.text import text_excerpt
from notifications.errors import MessagingError, MessagingErrorCode
from notifications.models import Message, NotificationEvent
from notifications.selectors import user_public_name
from notifications.services.notifications import notify


@transaction.atomic
def message_send(*, sender: AbstractUser, receiver_id: int, content: str) -> Message:
    """Send a message and tell the receiver (in-app, live, and email per their preference)."""
    if receiver_id == sender.pk:
        raise MessagingError(MessagingErrorCode.SELF_MESSAGE)
    receiver = get_user_model().objects.filter(pk=receiver_id, is_active=True).first()
    if receiver is None:
        raise MessagingError(MessagingErrorCode.UNKNOWN_RECEIVER)
    content = content.strip()
    if not content:
        raise MessagingError(MessagingErrorCode.EMPTY_CONTENT)
    message = Message.objects.create(sender=sender, receiver=receiver, content=content)
    preview = text_excerpt(content, limit=140)
    notify(
        event=NotificationEvent.NEW_MESSAGE,
        recipients=[receiver],
        context={"sender_name": user_public_name(user=sender), "preview": preview},
        link=f"/messages/{message.pk}",
    )
    return message


@transaction.atomic
def message_mark_read(*, message: Message, user: AbstractUser) -> Message:
    """Only the receiver reads a message; marking it again changes nothing."""
    if message.receiver_id != user.pk:
        raise MessagingError(MessagingErrorCode.NOT_RECEIVER)
    if not message.is_read:
        now = timezone.now()
        changed = Message.objects.filter(pk=message.pk, is_read=False).update(
            is_read=True, read_at=now
        )
        if changed:
            message.is_read, message.read_at = True, now
        else:  # read concurrently: report the stored time
            message.refresh_from_db(fields=["is_read", "read_at"])
    return message


def _check_sender_may_change(*, message: Message, user: AbstractUser) -> None:
    if message.sender_id != user.pk:
        raise MessagingError(MessagingErrorCode.NOT_SENDER)
    if message.is_read:
        raise MessagingError(MessagingErrorCode.ALREADY_READ)


@transaction.atomic
def message_update(*, message: Message, user: AbstractUser, content: str) -> Message:
    """The sender may correct a message until the receiver has read it."""
    _check_sender_may_change(message=message, user=user)
    content = content.strip()
    if not content:
        raise MessagingError(MessagingErrorCode.EMPTY_CONTENT)
    # Conditional on "still unread" so a read that lands meanwhile wins.
    changed = Message.objects.filter(pk=message.pk, is_read=False).update(content=content)
    if not changed:
        raise MessagingError(MessagingErrorCode.ALREADY_READ)
    message.content = content
    return message


@transaction.atomic
def message_delete(*, message: Message, user: AbstractUser) -> None:
    """The sender may take a message back until the receiver has read it."""
    _check_sender_may_change(message=message, user=user)
    deleted, _ = Message.objects.filter(pk=message.pk, is_read=False).delete()
    if not deleted:
        raise MessagingError(MessagingErrorCode.ALREADY_READ)
