"""notify() and the user's notifications: rows first, then the live push after commit.

``notify`` writes one Notification per recipient (the source of truth), registers the live push
over the channel layer for after the commit, and writes email/SMS rows to the outbox per the
event's channels (``events.EVENTS``) and each user's preference.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone

from notifications.events import EVENTS, render_event_text
from notifications.models import (
    Notification,
    NotificationEvent,
    NotificationPreference,
    OutboundMessage,
)
from notifications.selectors import notification_preferences_of, notification_unread_counts
from notifications.services.outbox import (
    outbound_email_build,
    outbound_enqueue_many,
    outbound_sms_build,
    sms_is_configured,
)

logger = logging.getLogger(__name__)


def user_group_name(user_id: int) -> str:
    """The channel-layer group of one user's websocket connections."""
    return f"notifications.user.{user_id}"


def _absolute_link(link: str) -> str:
    """Links in emails must be absolute: admin paths point at the backoffice, other paths at
    the storefront."""
    if not link or "://" in link:
        return link
    base = settings.BACKOFFICE_URL if link.startswith("/admin") else settings.FRONTEND_URL
    return f"{base}/{link.lstrip('/')}"


def _distinct_active(recipients: Iterable[AbstractUser]) -> list[AbstractUser]:
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user.pk not in seen and user.is_active:
            seen.add(user.pk)
            users.append(user)
    return users


def _notification_payload(notification: Notification, unread_count: int) -> dict:
    return {
        "type": "notification",
        "id": notification.pk,
        "event": notification.event,
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "created_at": notification.created_at.isoformat(),
        "unread_count": unread_count,
    }


def _group_send_all(messages: list[tuple[str, dict]]) -> None:
    """Send to channel-layer groups; a layer that is down costs the live push, nothing else
    (the rows are committed and the client catches up from the API)."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.exception("Live notification push failed")


def _push_notifications(notifications: list[Notification]) -> None:
    counts = notification_unread_counts(user_ids=sorted({n.user_id for n in notifications}))
    _group_send_all(
        [
            (
                user_group_name(n.user_id),
                {
                    "type": "notification.push",
                    "payload": _notification_payload(n, counts[n.user_id]),
                },
            )
            for n in notifications
        ]
    )


def _push_unread_count(user_id: int) -> None:
    count = notification_unread_counts(user_ids=[user_id])[user_id]
    _group_send_all(
        [
            (
                user_group_name(user_id),
                {
                    "type": "notification.push",
                    "payload": {"type": "unread_count", "unread_count": count},
                },
            )
        ]
    )


def _wants(preference: NotificationPreference, *, event: str, channel: str) -> bool:
    if event in (preference.muted_events or []):
        return False
    return preference.email_enabled if channel == "email" else preference.sms_enabled


@dataclass(frozen=True)
class Notice:
    """One thing to tell some users: what ``notify`` takes, for ``notify_many``."""

    event: NotificationEvent | str
    recipients: Iterable[AbstractUser]
    context: dict
    link: str = ""


def notify(
    *,
    event: NotificationEvent | str,
    recipients: Iterable[AbstractUser],
    context: dict,
    link: str = "",
) -> list[Notification]:
    """Tell users something: one Notification row each (the source of truth), a live push
    after commit, and email/SMS per the event's channels (``events.EVENTS``) and each user's
    preference. Inactive and duplicate recipients are skipped; SMS goes only to users with a
    phone number and only when an SMS backend is configured.

    ``context`` fills the event's wording; ``title`` / ``body`` in it replace the wording.
    """
    return notify_many(
        notices=[Notice(event=event, recipients=recipients, context=context, link=link)]
    )


def _notice_rows(notice: Notice) -> tuple[Notice, list[AbstractUser], str, str]:
    event = NotificationEvent(notice.event)
    spec = EVENTS[event]
    if not spec.in_app:
        raise ValueError(f"{event.value} is an account email: send it with email_queue/sms_queue.")
    context = notice.context
    title = str(context.get("title") or render_event_text(spec.title, context, event=event))
    body = str(context.get("body") or render_event_text(spec.body, context, event=event))
    return notice, _distinct_active(notice.recipients), title, body


def _outbox_of(notice: Notice, users, title: str, body: str, preferences) -> list:
    event = NotificationEvent(notice.event)
    spec = EVENTS[event]
    context, link = notice.context, notice.link
    subject = (
        render_event_text(spec.email_subject, context, event=event)
        if spec.email_subject and "title" not in context
        else title
    )
    send_sms = spec.sms and sms_is_configured()
    outbox: list[OutboundMessage] = []
    for user in users:
        preference = preferences[user.pk]
        if spec.email and user.email and _wants(preference, event=event, channel="email"):
            outbox.append(
                outbound_email_build(
                    to=user.email,
                    subject=subject,
                    template="emails/notification",
                    context={
                        "user": user,
                        "title": title,
                        "body": body,
                        "link": _absolute_link(link),
                        "event": event,
                    },
                    user=user,
                    event=event,
                )
            )
        if send_sms and user.phone and _wants(preference, event=event, channel="sms"):
            text = f"MARTAF: {title}"
            if link:
                text += f" {_absolute_link(link)}"
            outbox.append(
                outbound_sms_build(to=str(user.phone), body=text, user=user, event=event)
            )
    return outbox


def notify_many(*, notices: Sequence[Notice]) -> list[Notification]:
    """``notify`` for several notices at once (a checkout tells each seller and its buyer):
    one read of every recipient's preferences, one INSERT of every notification, one INSERT
    of every email/SMS, one live push and one hand-over to the worker after commit, whatever
    the number of notices.

    Everything is worded and rendered before the first write (a wording that fails writes
    nothing); the writes then run in the caller's transaction without a savepoint, so a
    failure among them dooms it: nothing is half told."""
    prepared = [_notice_rows(notice) for notice in notices]
    prepared = [entry for entry in prepared if entry[1]]
    if not prepared:
        return []
    everyone = _distinct_active(user for _, users, _, _ in prepared for user in users)
    preferences = notification_preferences_of(users=everyone)
    outbox = [
        message
        for notice, users, title, body in prepared
        for message in _outbox_of(notice, users, title, body, preferences)
    ]
    with transaction.atomic(savepoint=False):
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    user=user, event=NotificationEvent(notice.event), title=title[:200],
                    body=body, link=notice.link,
                )
                for notice, users, title, body in prepared
                for user in users
            ]
        )
        # Registered first so the live push does not wait for the broker writes queued below.
        transaction.on_commit(partial(_push_notifications, notifications))
        queued = OutboundMessage.objects.bulk_create(outbox) if outbox else []
        if queued:
            transaction.on_commit(partial(outbound_enqueue_many, [message.pk for message in queued]))
    return notifications


@transaction.atomic
def notification_mark_read(*, user: AbstractUser, notification_id: int) -> Notification:
    """Mark one of the user's notifications read. Raises Notification.DoesNotExist for
    another user's notification (the API answers 404: no hint that it exists)."""
    notification = Notification.objects.get(pk=notification_id, user=user)
    if not notification.is_read:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, is_read=False).update(
            is_read=True, read_at=now
        )
        notification.is_read, notification.read_at = True, now
        transaction.on_commit(partial(_push_unread_count, user.pk))
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: AbstractUser) -> int:
    """Mark all of the user's notifications read; returns how many changed."""
    changed = Notification.objects.filter(user=user, is_read=False).update(
        is_read=True, read_at=timezone.now()
    )
    if changed:
        transaction.on_commit(partial(_push_unread_count, user.pk))
    return changed


@transaction.atomic
def notification_preference_update(
    *,
    user: AbstractUser,
    email_enabled: bool | None = None,
    sms_enabled: bool | None = None,
    muted_events: list[str] | None = None,
) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    fields = []
    if email_enabled is not None:
        preference.email_enabled = email_enabled
        fields.append("email_enabled")
    if sms_enabled is not None:
        preference.sms_enabled = sms_enabled
        fields.append("sms_enabled")
    if muted_events is not None:
        preference.muted_events = sorted({NotificationEvent(e).value for e in muted_events})
        fields.append("muted_events")
    if fields:
        preference.save(update_fields=[*fields, "updated_at"])
    return preference
