"""Reads about notifications, messages and the outbox, scoped to the user asking."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from notifications.models import Message, Notification, NotificationPreference, OutboundMessage


def notifications_visible_to(*, user: AbstractUser | AnonymousUser) -> QuerySet[Notification]:
    """The one scoping function for Notification: everyone sees their own, staff see all.

    Used by the admin; the API and the websocket use ``notifications_of`` (own only, also for
    staff, because "my notifications" means mine).
    """
    if not user.is_authenticated:
        return Notification.objects.none()
    if user.is_staff:
        return Notification.objects.all()
    return Notification.objects.filter(user=user)


def notifications_of(*, user: AbstractUser) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def notification_unread_count(*, user: AbstractUser) -> int:
    return Notification.objects.filter(user=user, is_read=False).count()


def notification_unread_counts(*, user_ids: list[int]) -> dict[int, int]:
    """Unread counts of many users in one query (users with none are 0)."""
    rows = (
        Notification.objects.filter(user_id__in=user_ids, is_read=False)
        .values("user_id")
        .annotate(unread=Count("pk"))
        .order_by()
    )
    counts = {user_id: 0 for user_id in user_ids}
    counts.update({row["user_id"]: row["unread"] for row in rows})
    return counts


# What a message list shows of both people (their public name) in the same query.
_MESSAGE_RELATED = (
    "sender",
    "sender__manufacturer_profile",
    "receiver",
    "receiver__manufacturer_profile",
)


def messages_of(*, user: AbstractUser) -> QuerySet[Message]:
    """The one scoping function for Message outside the staff admin: sent or received."""
    return Message.objects.filter(Q(sender=user) | Q(receiver=user)).select_related(
        *_MESSAGE_RELATED
    )


def messages_unread_of(*, user: AbstractUser) -> QuerySet[Message]:
    return Message.objects.filter(receiver=user, is_read=False).select_related(*_MESSAGE_RELATED)


def user_public_name(*, user: AbstractUser) -> str:
    """How one user is named to another: the company for a manufacturer, else the full name.
    Never the email address, which is private."""
    if user.is_manufacturer:
        profile = getattr(user, "manufacturer_profile", None)
        if profile is not None and profile.display_name:
            return profile.display_name
    return user.get_full_name() or f"MARTAF user #{user.pk}"


def notification_preferences_of(*, users: list[AbstractUser]) -> dict[int, NotificationPreference]:
    """Each user's preference row (unsaved defaults where there is none), in one query."""
    stored = NotificationPreference.objects.in_bulk([u.pk for u in users])
    return {u.pk: stored.get(u.pk) or NotificationPreference(user=u) for u in users}


def staff_recipients() -> QuerySet[AbstractUser]:
    """Who hears about staff events (e.g. a product submitted for approval)."""
    return get_user_model().objects.filter(is_staff=True, is_active=True)


def outbound_due_q(*, now: datetime) -> Q:
    """Rows whose time has come: a pending retry, or a claim whose lease ran out (the worker
    died mid-send). A new row is due only after the lease too: until then the task queued at
    commit is expected to take it, and the sweeper would only queue a duplicate."""
    return Q(
        status__in=[OutboundMessage.Status.PENDING, OutboundMessage.Status.SENDING],
        next_attempt_at__lte=now,
        attempts__lt=F("max_attempts"),
    )


def outbound_claimable_q(*, now: datetime) -> Q:
    """Rows a worker may claim: the due ones, and a new row straight away."""
    return outbound_due_q(now=now) | Q(
        status=OutboundMessage.Status.PENDING, attempts=0, max_attempts__gt=0
    )


def outbound_due_ids(*, limit: int) -> list[int]:
    """Outbox rows the sweeper should hand to a worker now, oldest due first."""
    return list(
        OutboundMessage.objects.filter(outbound_due_q(now=timezone.now()))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbound_last_id() -> int:
    """The newest outbox row's id (0 when empty): rows written later have larger ids."""
    return OutboundMessage.objects.aggregate(last=Max("pk"))["last"] or 0


def outbound_unsent_ids_after(*, after_id: int) -> list[tuple[int, str]]:
    """``(id, channel)`` of the rows written after ``after_id`` that no one tried to send yet,
    oldest first."""
    return list(
        OutboundMessage.objects.filter(
            pk__gt=after_id, status=OutboundMessage.Status.PENDING, attempts=0
        )
        .order_by("pk")
        .values_list("pk", "channel")
    )
