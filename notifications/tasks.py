"""django-q2 tasks of the notifications app: thin wrappers that take ids and call a service."""

from notifications.services import outbound_retry_due, outbound_send


def outbound_send_task(outbound_id: int) -> str:
    """One attempt at sending one outbox row (idempotent; see services.outbound_send)."""
    return outbound_send(outbound_id=outbound_id)


def outbound_retry_due_task() -> int:
    """Every minute (Schedule made by migration 0002): queue the rows whose retry is due."""
    return outbound_retry_due()
