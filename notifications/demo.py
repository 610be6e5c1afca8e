"""The notifications' part of ``manage.py seed_demo``, run last, and the demo's outbox.

Making the demo's history (orders placed, stock running low, reviews written) notified everyone
as it went, so a newcomer would open the backoffice to dozens of unread notifications. Each user
keeps their newest few unread and the rest are marked read, as if they had been using the
backoffice all along.

The same history queued hundreds of emails and SMS. With the development backends (the
console, memory: nothing leaves the machine) printing them one line each buried the server's
start for most of a minute, so ``outbox_send_counted`` sends the demo's own rows (those written
after ``seed_demo`` began) through backends that only count, and ``seed_demo`` prints the
count; the rows end "sent", readable in the admin's outbox as if the worker had sent them.
Messages sent later, while the site is used, still print one line each. With a real mail
server or Twilio configured the demo's messages are left to the worker, as any others.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from notifications.models import Notification, OutboundMessage
from notifications.selectors import outbound_unsent_ids_after
from notifications.services import outbound_send
from notifications.sms import DummySMSBackend

#: The backends that deliver nowhere but the console or memory.
LOCAL_EMAIL_BACKENDS = frozenset(
    {
        "core.mail.OneLineConsoleBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    }
)
LOCAL_SMS_BACKENDS = frozenset(
    {
        "notifications.sms.LoggingSMSBackend",
        "notifications.sms.LocmemSMSBackend",
        "notifications.sms.DummySMSBackend",
    }
)

UNREAD_KEPT = 5


def seed(stdout=None) -> None:
    crowded = (
        Notification.objects.filter(is_read=False)
        .values("user_id")
        .annotate(unread=Count("pk"))
        .filter(unread__gt=UNREAD_KEPT)
    )
    marked = 0
    now = timezone.now()
    for row in crowded:
        older = Notification.objects.filter(user_id=row["user_id"], is_read=False).order_by(
            "-created_at", "-pk"
        )[UNREAD_KEPT:]
        marked += Notification.objects.filter(
            pk__in=list(older.values_list("pk", flat=True))
        ).update(is_read=True, read_at=now)
    if stdout is not None and marked:
        stdout.write(f"  {marked} older notifications marked read ({UNREAD_KEPT} kept unread each)")


@dataclass(frozen=True)
class DemoOutbox:
    """The demo's messages: sent here and counted (``emails``, ``sms``), or left queued for the
    worker because a real provider is configured."""

    emails: int = 0
    sms: int = 0
    queued_emails: int = 0
    queued_sms: int = 0

    def summary(self) -> str:
        """The one console line about them ("" when the demo wrote none)."""
        parts = []
        if self.emails or self.sms:
            parts.append(
                f"Demo data: {_count(self.emails, 'email')} and {self.sms} SMS sent to the "
                "development outbox, not printed one by one: read them in the admin under "
                "Communication → Email & SMS outbox."
            )
        if self.queued_emails or self.queued_sms:
            parts.append(
                f"Demo data: {_count(self.queued_emails, 'email')} and {self.queued_sms} SMS "
                "queued for the worker (a real mail server or SMS provider is configured)."
            )
        return "\n".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def outbox_send_counted(*, after_id: int) -> DemoOutbox:
    """Send the rows written after ``after_id`` that are still unsent, by channel, through
    backends that count instead of print, when the configured one is a development backend;
    leave the others to the worker. One transaction: a few hundred rows in a second or two."""
    email_local = settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS
    sms_local = settings.SMS_BACKEND in LOCAL_SMS_BACKENDS
    connection = get_connection("django.core.mail.backends.dummy.EmailBackend")
    sms_backend = DummySMSBackend()
    counts = {"emails": 0, "sms": 0, "queued_emails": 0, "queued_sms": 0}
    with transaction.atomic():
        for outbound_id, channel in outbound_unsent_ids_after(after_id=after_id):
            is_email = channel == OutboundMessage.Channel.EMAIL
            if not (email_local if is_email else sms_local):
                counts["queued_emails" if is_email else "queued_sms"] += 1
                continue
            outcome = outbound_send(
                outbound_id=outbound_id, email_connection=connection, sms_backend=sms_backend
            )
            if outcome == "sent":
                counts["emails" if is_email else "sms"] += 1
    return DemoOutbox(**counts)
