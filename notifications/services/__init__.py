"""Writes of the notifications app, one module per job; import them from here.

- ``outbox``: ``email_queue``, ``sms_queue``, ``sms_is_configured`` and the sending task's
  service (claim, send, record, retry with backoff, the sweeper, staff's retry).
- ``notifications``: ``notify`` (rows, live push after commit, email/SMS per event and
  preference), marking notifications read, preferences.
- ``messaging``: buyer-seller messages.
"""

from notifications.services.messaging import (
    message_delete,
    message_mark_read,
    message_send,
    message_update,
)
from notifications.services.notifications import (
    Notice,
    notification_mark_read,
    notification_preference_update,
    notifications_mark_all_read,
    notify,
    notify_many,
    user_group_name,
)
from notifications.services.outbox import (
    LOST_WORKER_ERROR,
    email_queue,
    outbound_retry,
    outbound_retry_due,
    outbound_send,
    sms_is_configured,
    sms_queue,
)

__all__ = [
    "Notice",
    "notify_many",
    "LOST_WORKER_ERROR",
    "email_queue",
    "message_delete",
    "message_mark_read",
    "message_send",
    "message_update",
    "notification_mark_read",
    "notification_preference_update",
    "notifications_mark_all_read",
    "notify",
    "outbound_retry",
    "outbound_retry_due",
    "outbound_send",
    "sms_is_configured",
    "sms_queue",
    "user_group_name",
]
