"""django-q2 tasks of the money app: thin wrappers that call a service."""

from money.services.payouts import payout_transfer_send, payouts_send_due


def payout_send_task(payout_id: int) -> str:
    """Queued after a run's approval commits: one payout's Paystack transfer."""
    return payout_transfer_send(payout_id=payout_id)


def payouts_send_due_task() -> int:
    """Every five minutes (Schedule made by migration): try again the transfers that were
    never made (Paystack unreachable), with the same references."""
    return payouts_send_due()
