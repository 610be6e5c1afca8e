"""django-q2 tasks of the notifications app: thin wrappers that take ids and call a service."""

from notifications.services import outbound_retry_due, outbound_send


def outbound_send_task(outbound_id: int) -> str:
    """One attempt at sending one outbox row (idempotent; see services.outbound_send)."""
    return outbound_send(outbound_id=outbound_id)


def outbound_send_many_task(outbound_ids: list[int]) -> list[str]:
    """``outbound_send_task`` for the rows one commit wrote (a checkout's notices): one task
    on the queue instead of one per message; each row is still claimed and sent on its own."""
    return [outbound_send(outbound_id=outbound_id) for outbound_id in outbound_ids]


def outbound_retry_due_task() -> int:
    """Every minute (Schedule made by migration 0002): queue the rows whose retry is due."""
    return outbound_retry_due()
