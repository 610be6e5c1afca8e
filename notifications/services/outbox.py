"""The email/SMS outbox: queue a message in the caller's transaction, send it after commit.

In one paragraph: ``email_queue`` / ``sms_queue`` write an ``OutboundMessage`` row in
the caller's transaction and, after commit, queue ``tasks.outbound_send_task(id)``. The task
claims the row with one conditional UPDATE (so a row is never sent by two workers, and a sent row
never again), sends it, and records the outcome on the row. A failure sets ``next_attempt_at``
with exponential backoff; a periodic sweeper task (``tasks.outbound_retry_due_task``, every
minute, scheduled by migration 0002) re-queues whatever is due. Retries go through the sweeper
rather than a self-rescheduled task so that the backoff lives in one column staff can see, a
queue message lost between commit and broker is still sent, a worker that died mid-send is
recovered when its lease runs out, and tests (django-q2 in SYNC mode) stay deterministic: a
failed attempt returns at once instead of recursing through every retry.

A message is sent once, with one exception (delivery is at-least-once there): a worker that dies
after the provider accepted the message but before the row says "sent" leaves it to be sent
again when its lease expires.
"""

import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractUser
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F
from django.template import Context, TemplateDoesNotExist, engines
from django.utils import timezone
from django_q.tasks import async_task

from notifications.errors import PermanentDeliveryError
from notifications.models import NotificationEvent, OutboundMessage
from notifications.selectors import outbound_claimable_q, outbound_due_ids
from notifications.sms import get_sms_backend

logger = logging.getLogger(__name__)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
SEND_TASK = "notifications.tasks.outbound_send_task"
SEND_MANY_TASK = "notifications.tasks.outbound_send_many_task"
SMS_MAX_LENGTH = 1600  # Twilio's limit for one (multi-part) message


def _event_value(event: NotificationEvent | str) -> str:
    # Catch a typo at the call site instead of storing an event no filter knows.
    return NotificationEvent(event).value if event else ""


def _render_text(template_name: str, context: dict) -> str:
    # Plain-text email must not be HTML-escaped ("&amp;" in a text body), whoever wrote the
    # template; the HTML part keeps Django's autoescaping.
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def _render_html(template_name: str, context: dict) -> str:
    try:
        template = engines["django"].get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    return template.render(context)


def _one_line(subject: str) -> str:
    # A newline in a header is refused by Django's mail API; better a clean subject than a
    # message that can never be sent.
    return " ".join(str(subject).split())[:255]


def outbound_enqueue(outbound_id: int) -> None:
    """Hand one outbox row to a worker of the outbox's own cluster (``OUTBOX_TASK_CLUSTER``:
    a stalled mail server never delays the other tasks). Never raises: a broker that is down
    must not fail the request that committed the row; the sweeper sends it once its lease runs
    out."""
    try:
        async_task(
            SEND_TASK, outbound_id, group="outbox", cluster=settings.OUTBOX_TASK_CLUSTER or None
        )
    except Exception:
        logger.exception("Could not queue outbound message %s; the sweeper will.", outbound_id)


def outbound_enqueue_many(outbound_ids: list[int]) -> None:
    """``outbound_enqueue`` for the rows one commit wrote: one task for them all (one broker
    write), each row claimed and sent on its own by it."""
    if len(outbound_ids) == 1:
        outbound_enqueue(outbound_ids[0])
        return
    try:
        async_task(
            SEND_MANY_TASK, list(outbound_ids), group="outbox",
            cluster=settings.OUTBOX_TASK_CLUSTER or None,
        )
    except Exception:
        logger.exception("Could not queue outbound messages %s; the sweeper will.", outbound_ids)


def _new_row_defaults() -> dict:
    now = timezone.now()
    return {
        "status": OutboundMessage.Status.PENDING,
        "max_attempts": settings.OUTBOX_MAX_ATTEMPTS,
        # Until then the task queued at commit owns the row; afterwards the sweeper does.
        "next_attempt_at": now + timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS),
    }


def outbound_email_build(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    user: AbstractUser | None,
    event: str,
    send_before: datetime | None = None,
) -> OutboundMessage:
    """An unsaved email row with both parts rendered (notify() saves many in one INSERT)."""
    return OutboundMessage(
        send_before=send_before,
        channel=OutboundMessage.Channel.EMAIL,
        recipient=to.strip(),
        user=user,
        event=_event_value(event),
        template=template,
        subject=_one_line(subject),
        body=_render_text(f"{template}.txt", context),
        html_body=_render_html(f"{template}.html", context),
        **_new_row_defaults(),
    )


def outbound_sms_build(
    *, to: str, body: str, user: AbstractUser | None, event: str
) -> OutboundMessage:
    """An unsaved SMS row; refuses a number that is not E.164 or a body Twilio would refuse."""
    to = str(to).strip()
    if not E164.match(to):
        raise ValueError(f"An SMS recipient must be an E.164 number such as +233201234567: {to!r}")
    if len(body) > SMS_MAX_LENGTH:
        raise ValueError(f"An SMS body is limited to {SMS_MAX_LENGTH} characters.")
    return OutboundMessage(
        channel=OutboundMessage.Channel.SMS,
        recipient=to,
        user=user,
        event=_event_value(event),
        body=body,
        **_new_row_defaults(),
    )


def email_queue(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    user: AbstractUser | None = None,
    event: NotificationEvent | str = "",
    send_before: datetime | None = None,
) -> OutboundMessage:
    """Write an email to the outbox and send it after commit.

    ``template`` is a path without extension (``"emails/password_reset"``): ``<template>.txt``
    is required (rendered without HTML escaping), ``<template>.html`` optional. Both are
    rendered now, so the row shows exactly what is sent and the task needs no context.
    ``send_before``: the email is given up rather than sent or retried after it (the expiry
    of a link it carries).
    """
    message = outbound_email_build(
        to=to,
        subject=subject,
        template=template,
        context=context,
        user=user,
        event=event,
        send_before=send_before,
    )
    message.save()
    transaction.on_commit(partial(outbound_enqueue, message.pk))
    return message


def sms_queue(
    *, to: str, body: str, user: AbstractUser | None = None, event: NotificationEvent | str = ""
) -> OutboundMessage:
    """Write an SMS to the outbox and send it after commit. ``to`` is an E.164 number."""
    message = outbound_sms_build(to=to, body=body, user=user, event=event)
    message.save()
    transaction.on_commit(partial(outbound_enqueue, message.pk))
    return message


def sms_is_configured() -> bool:
    """Whether the configured SMS backend can send (Twilio needs its three settings)."""
    return get_sms_backend().is_configured()


def _retry_delay(attempts: int) -> timedelta:
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _deliver(message: OutboundMessage, *, email_connection=None, sms_backend=None) -> str:
    """Hand the message to the provider (the settings' backends unless given); returns the
    provider's id, raises on failure."""
    if message.channel == OutboundMessage.Channel.EMAIL:
        # Our own Message-ID, so the row can name the email the provider accepted.
        message_id = make_msgid(domain=DNS_NAME)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id},
            connection=email_connection,
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        email.send(fail_silently=False)
        return message_id
    return (sms_backend or get_sms_backend()).send(to=message.recipient, body=message.body)


# Emails whose body carries a live secret (a password-reset or one-time login link). Their
# stored copy is redacted once sent or given up, so reading the outbox (database or admin)
# never yields a usable link.
SECRET_EVENTS = {NotificationEvent.PASSWORD_RESET.value, NotificationEvent.ONE_TIME_LOGIN.value}
REDACTED_BODY = "[Removed after sending: this message carried a one-time link.]"


def _redaction(message: OutboundMessage) -> dict:
    if message.event in SECRET_EVENTS:
        return {"body": REDACTED_BODY, "html_body": ""}
    return {}


def outbound_send(*, outbound_id: int, email_connection=None, sms_backend=None) -> str:
    """One attempt at sending an outbox row; returns what happened ("sent", "retry", ...).

    ``email_connection`` / ``sms_backend``: send through these instead of the settings' (the
    demo data's messages, counted instead of printed: ``notifications.demo``).

    Idempotent: the claim is a conditional UPDATE, so a row that is sent, failed, claimed by
    another worker or not yet due is left alone ("skipped"). Provider errors are recorded on
    the row, never raised: the task itself always succeeds.
    """
    now = timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    claimed = OutboundMessage.objects.filter(outbound_claimable_q(now=now), pk=outbound_id).update(
        status=OutboundMessage.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + lease,
        updated_at=now,
    )
    if not claimed:
        return "skipped"
    message = OutboundMessage.objects.get(pk=outbound_id)
    if message.send_before is not None and now >= message.send_before:
        _give_up_expired(message=message, now=now)
        return "expired"
    try:
        provider_id = _deliver(message, email_connection=email_connection, sms_backend=sms_backend)
    except Exception as exc:  # any provider failure: record it, retry later
        return _record_failure(message=message, error=exc)
    done_at = timezone.now()
    OutboundMessage.objects.filter(pk=outbound_id, status=OutboundMessage.Status.SENDING).update(
        status=OutboundMessage.Status.SENT,
        sent_at=done_at,
        next_attempt_at=None,
        last_error="",
        provider_id=str(provider_id or "")[:100],
        updated_at=done_at,
        **_redaction(message),
    )
    return "sent"


EXPIRED_ERROR = "Not sent: the link it carries expired before it could be delivered."


def _give_up_expired(*, message: OutboundMessage, now: datetime) -> None:
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundMessage.Status.SENDING).update(
        status=OutboundMessage.Status.FAILED,
        next_attempt_at=None,
        last_error=EXPIRED_ERROR,
        updated_at=now,
        **_redaction(message),
    )


def _record_failure(*, message: OutboundMessage, error: Exception) -> str:
    now = timezone.now()
    text = f"{type(error).__name__}: {error}"[:2000]
    retry_at = now + _retry_delay(message.attempts)
    # A retry that could only deliver an expired link is not worth making.
    too_late = message.send_before is not None and retry_at >= message.send_before
    gave_up = (
        isinstance(error, PermanentDeliveryError)
        or message.attempts >= message.max_attempts
        or too_late
    )
    logger.warning(
        "Outbound %s %s to %s failed (attempt %s of %s): %s",
        message.channel,
        message.pk,
        message.recipient,
        message.attempts,
        message.max_attempts,
        text,
    )
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundMessage.Status.SENDING).update(
        status=OutboundMessage.Status.FAILED if gave_up else OutboundMessage.Status.PENDING,
        next_attempt_at=None if gave_up else retry_at,
        last_error=f"{text} (not retried: {EXPIRED_ERROR})" if too_late else text,
        updated_at=now,
        **(_redaction(message) if gave_up else {}),
    )
    return "failed" if gave_up else "retry"


LOST_WORKER_ERROR = (
    "The worker stopped during the last attempt; the message may or may not have been delivered."
)


def outbound_retry_due(*, limit: int = 500) -> int:
    """The sweeper: queue every outbox row whose (re)try is due; returns how many."""
    now = timezone.now()
    # A worker that died during the last allowed attempt left a claim no one may take again.
    OutboundMessage.objects.filter(
        status=OutboundMessage.Status.SENDING,
        next_attempt_at__lte=now,
        attempts__gte=F("max_attempts"),
    ).update(
        status=OutboundMessage.Status.FAILED,
        next_attempt_at=None,
        last_error=LOST_WORKER_ERROR,
        updated_at=now,
    )
    due = outbound_due_ids(limit=limit)
    for outbound_id in due:
        outbound_enqueue(outbound_id)
    return len(due)


@transaction.atomic
def outbound_retry(*, outbound_ids: Iterable[int], actor: AbstractUser) -> list[int]:
    """Staff's "retry": failed rows get a fresh budget of attempts and are queued now.

    ``attempts`` keeps counting (it is the history), so the budget is ``max_attempts``.
    Rows that are not failed are left alone. Each retry is written to the admin history.
    Returns the ids that were re-queued.
    """
    now = timezone.now()
    rows = OutboundMessage.objects.select_for_update().filter(
        pk__in=list(outbound_ids), status=OutboundMessage.Status.FAILED
    )
    retried = list(rows.order_by("pk"))
    if not retried:
        return []
    ids = [row.pk for row in retried]
    OutboundMessage.objects.filter(pk__in=ids).update(
        status=OutboundMessage.Status.PENDING,
        max_attempts=F("attempts") + settings.OUTBOX_MAX_ATTEMPTS,
        next_attempt_at=now,
        updated_at=now,
    )
    for row in retried:
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[row],
            action_flag=CHANGE,
            change_message=(
                f"Retried by {actor.email} after {row.attempts} failed attempt(s); "
                f"last error: {row.last_error or '-'}"
            ),
            single_object=True,
        )
        transaction.on_commit(partial(outbound_enqueue, row.pk))
    return ids
